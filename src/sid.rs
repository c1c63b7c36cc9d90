//! Typed Twilio SIDs.
//!
//! Every Twilio identifier is 34 characters: a two-letter prefix naming its kind and 32 hex
//! digits. [`Sid<K>`] carries the kind in its type, so an IP record SID cannot be passed where an
//! access control list SID belongs. The generated bindings use these same types for path
//! parameters, form fields and response properties (see `build.rs`).
//!
//! ```
//! use twilio_ip_access::sid::{IpRecordSid, TrunkSid};
//!
//! let sid: IpRecordSid = "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse()?;
//! assert_eq!(sid.as_str(), "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
//!
//! // Wrong prefix: a trunk SID is not an IP record SID.
//! let err = "TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse::<IpRecordSid>().unwrap_err();
//! assert_eq!(err.to_string(), "an IpRecord SID starts with `IL`, got `TK…`");
//! # Ok::<(), twilio_ip_access::sid::SidError>(())
//! ```

use std::{fmt, hash::Hash, marker::PhantomData, str::FromStr};

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// The kind of a SID: its two-letter prefix and the resource it names.
pub trait SidKind: 'static {
    /// The two-letter prefix, such as `AC`.
    const PREFIX: &'static str;
    /// The resource name used in error messages, such as `Account`.
    const NAME: &'static str;
}

/// The length of every Twilio SID.
pub const SID_LEN: usize = 34;

/// A validated Twilio SID of kind `K`.
///
/// Parsing from user input ([`FromStr`], [`Sid::new`]) checks the prefix, the length and that the
/// last 32 characters are hex digits. Deserializing a server response checks the prefix and the
/// length only: Twilio's own documentation shows placeholder SIDs such as `ACXXXX…`, and a client
/// should not reject a whole page because of one odd identifier.
pub struct Sid<K> {
    value: Box<str>,
    kind: PhantomData<fn() -> K>,
}

/// Why a string is not a valid SID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct SidError {
    kind: &'static str,
    reason: String,
}

impl SidError {
    /// The kind of SID that was expected, such as `IpRecord`.
    pub fn kind(&self) -> &'static str {
        self.kind
    }
}

impl<K: SidKind> Sid<K> {
    /// Parses and validates a SID from user input.
    pub fn new(value: &str) -> Result<Self, SidError> {
        check::<K>(value, true)?;
        Ok(Self::unchecked(value))
    }

    fn unchecked(value: &str) -> Self {
        Self {
            value: value.into(),
            kind: PhantomData,
        }
    }

    /// The SID as a string.
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

fn check<K: SidKind>(value: &str, strict: bool) -> Result<(), SidError> {
    let fail = |reason: String| {
        Err(SidError {
            kind: K::NAME,
            reason,
        })
    };
    let shown = |s: &str| s.chars().take(2).collect::<String>();
    if value.is_empty() {
        return fail(format!(
            "{} {} SID is required, got an empty string",
            article(K::NAME),
            K::NAME
        ));
    }
    if !value.starts_with(K::PREFIX) {
        return fail(format!(
            "{} {} SID starts with `{}`, got `{}…`",
            article(K::NAME),
            K::NAME,
            K::PREFIX,
            shown(value)
        ));
    }
    let len = value.chars().count();
    if len != SID_LEN {
        return fail(format!(
            "{} {} SID is {SID_LEN} characters long, got {len}",
            article(K::NAME),
            K::NAME
        ));
    }
    let body = &value[K::PREFIX.len()..];
    let ok = if strict {
        body.bytes().all(|b| b.is_ascii_hexdigit())
    } else {
        body.bytes().all(|b| b.is_ascii_alphanumeric())
    };
    if !ok {
        return fail(format!(
            "{} {} SID is `{}` followed by 32 hex digits",
            article(K::NAME),
            K::NAME,
            K::PREFIX
        ));
    }
    Ok(())
}

fn article(name: &str) -> &'static str {
    if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}

impl<K> Clone for Sid<K> {
    fn clone(&self) -> Self {
        Self {
            value: self.value.clone(),
            kind: PhantomData,
        }
    }
}
impl<K> PartialEq for Sid<K> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl<K> Eq for Sid<K> {}
impl<K> PartialOrd for Sid<K> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<K> Ord for Sid<K> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}
impl<K> Hash for Sid<K> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state)
    }
}
impl<K> fmt::Debug for Sid<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.value, f)
    }
}
impl<K> fmt::Display for Sid<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}
impl<K> AsRef<str> for Sid<K> {
    fn as_ref(&self) -> &str {
        &self.value
    }
}
impl<K: SidKind> FromStr for Sid<K> {
    type Err = SidError;
    fn from_str(s: &str) -> Result<Self, SidError> {
        Self::new(s)
    }
}
impl<K: SidKind> TryFrom<&str> for Sid<K> {
    type Error = SidError;
    fn try_from(s: &str) -> Result<Self, SidError> {
        Self::new(s)
    }
}
impl<K: SidKind> TryFrom<String> for Sid<K> {
    type Error = SidError;
    fn try_from(s: String) -> Result<Self, SidError> {
        Self::new(&s)
    }
}
impl<K: SidKind> TryFrom<&String> for Sid<K> {
    type Error = SidError;
    fn try_from(s: &String) -> Result<Self, SidError> {
        Self::new(s)
    }
}
impl<K> From<Sid<K>> for String {
    fn from(sid: Sid<K>) -> String {
        sid.value.into()
    }
}
impl<K> PartialEq<str> for Sid<K> {
    fn eq(&self, other: &str) -> bool {
        &*self.value == other
    }
}
impl<K> PartialEq<&str> for Sid<K> {
    fn eq(&self, other: &&str) -> bool {
        &*self.value == *other
    }
}
impl<K> Serialize for Sid<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}
impl<'de, K: SidKind> Deserialize<'de> for Sid<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        check::<K>(&value, false).map_err(de::Error::custom)?;
        Ok(Self::unchecked(&value))
    }
}

/// The schema of a SID as this crate's spec states it: `^XX[0-9a-fA-F]{32}$`, 34 characters.
#[cfg(feature = "schemars")]
impl<K: SidKind> schemars::JsonSchema for Sid<K> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("{}Sid", K::NAME).into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": format!("{} {} SID: `{}` followed by 32 hex digits.", article(K::NAME), K::NAME, K::PREFIX),
            "pattern": format!("^{}[0-9a-fA-F]{{32}}$", K::PREFIX),
            "minLength": SID_LEN,
            "maxLength": SID_LEN,
        })
    }
}

/// Anything the facade accepts where a SID of kind `K` belongs: the typed SID itself or a
/// string, which is validated before any request is sent.
pub trait IntoSid<K> {
    /// Converts into a validated SID.
    fn into_sid(self) -> Result<Sid<K>, SidError>;
}
impl<K: SidKind> IntoSid<K> for Sid<K> {
    fn into_sid(self) -> Result<Sid<K>, SidError> {
        Ok(self)
    }
}
impl<K: SidKind> IntoSid<K> for &Sid<K> {
    fn into_sid(self) -> Result<Sid<K>, SidError> {
        Ok(self.clone())
    }
}
impl<K: SidKind> IntoSid<K> for &str {
    fn into_sid(self) -> Result<Sid<K>, SidError> {
        Sid::new(self)
    }
}
impl<K: SidKind> IntoSid<K> for String {
    fn into_sid(self) -> Result<Sid<K>, SidError> {
        Sid::new(&self)
    }
}
impl<K: SidKind> IntoSid<K> for &String {
    fn into_sid(self) -> Result<Sid<K>, SidError> {
        Sid::new(self)
    }
}

macro_rules! sid_kinds {
    ($($(#[$doc:meta])* $alias:ident, $kind:ident, $prefix:literal, $name:literal;)*) => {
        /// Marker types naming each SID kind.
        pub mod kind {
            $(
                #[doc = concat!("The `", $prefix, "` SID kind (", $name, ").")]
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
                pub enum $kind {}
                impl super::SidKind for $kind {
                    const PREFIX: &'static str = $prefix;
                    const NAME: &'static str = $name;
                }
            )*
        }
        $(
            $(#[$doc])*
            pub type $alias = Sid<kind::$kind>;
        )*
    };
}

// One kind per `<Kind>Sid` schema in `spec/` (and API keys), generated by build.rs
// (`codegen/sids.rs`).
include!(concat!(env!("OUT_DIR"), "/sid_kinds.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let ok = "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        assert_eq!(IpRecordSid::new(ok).unwrap().as_str(), ok);
        assert_eq!(
            IpRecordSid::new("").unwrap_err().to_string(),
            "an IpRecord SID is required, got an empty string"
        );
        assert_eq!(
            IpRecordSid::new("ILaaaa").unwrap_err().to_string(),
            "an IpRecord SID is 34 characters long, got 6"
        );
        assert_eq!(
            IpRecordSid::new("ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaz")
                .unwrap_err()
                .to_string(),
            "an IpRecord SID is `IL` followed by 32 hex digits"
        );
        assert_eq!(
            TrunkSid::new("ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                .unwrap_err()
                .to_string(),
            "a Trunk SID starts with `TK`, got `IL…`"
        );
    }

    #[test]
    fn deserializes_placeholders_but_not_wrong_kinds() {
        let sid: AccountSid =
            serde_json::from_str("\"ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\"").unwrap();
        assert_eq!(sid, "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX");
        assert!(
            serde_json::from_str::<AccountSid>("\"TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"").is_err()
        );
        assert!(serde_json::from_str::<AccountSid>("\"ACaaaa\"").is_err());
        // Strict on input: placeholders are not hex.
        assert!(
            "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
                .parse::<AccountSid>()
                .is_err()
        );
    }
}
