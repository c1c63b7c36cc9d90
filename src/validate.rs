//! Client-side checks, written once for every resource.
//!
//! The generated builders call these with the constraints their spec states (`minLength`,
//! `maxLength`, `pattern`, `minimum`, `maximum`, SID patterns, `format: ipv4`). Each check returns
//! an [`ArgError`] naming the parameter by its Twilio wire name; builders keep it and report it as
//! [`Error::InvalidArgument`] when the request would be sent, before any byte leaves the process.

use std::net::Ipv4Addr;

use crate::{
    error::Error,
    sid::{IntoSid, Sid},
};

/// An argument that failed a check: cheap to clone, so builders can carry it until `send`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArgError {
    pub(crate) parameter: &'static str,
    pub(crate) reason: String,
}

impl From<ArgError> for Error {
    fn from(e: ArgError) -> Self {
        Error::InvalidArgument {
            parameter: e.parameter,
            reason: e.reason,
        }
    }
}

/// The result of a check.
pub(crate) type Checked<T> = Result<T, ArgError>;

/// A value Twilio marks as PII (IP addresses): builders hold it in this, so that their `Debug`
/// (and any log line made of it) never shows it.
#[derive(Clone)]
pub(crate) struct Pii<T>(pub(crate) T);

impl<T> std::fmt::Debug for Pii<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(REDACTED_PII)
    }
}

/// The most IP addresses one SIP IP access control list holds: Twilio's documented limit, which
/// no spec field states. The emulator enforces it; the allowlist refuses files over it.
pub const MAX_ADDRESSES_PER_LIST: usize = 100;

/// What `Debug` shows instead of a value Twilio marks as PII.
pub const REDACTED_PII: &str = "** redacted (PII) **";

/// Stands in for a PII value in the generated resource types' `Debug`.
#[derive(Clone, Copy)]
pub(crate) struct RedactedPii;

impl std::fmt::Debug for RedactedPii {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(REDACTED_PII)
    }
}

fn fail<T>(parameter: &'static str, reason: impl Into<String>) -> Checked<T> {
    Err(ArgError {
        parameter,
        reason: reason.into(),
    })
}

/// A SID of the right kind.
pub(crate) fn sid<K: crate::sid::SidKind>(
    value: impl IntoSid<K>,
    parameter: &'static str,
) -> Checked<Sid<K>> {
    value.into_sid().or_else(|e| fail(parameter, e.to_string()))
}

/// Text with the length limits (in characters) and `pattern` its schema states.
pub(crate) fn text(
    value: String,
    parameter: &'static str,
    min: Option<usize>,
    max: Option<usize>,
    pattern: Option<&'static str>,
) -> Checked<String> {
    let chars = value.chars().count();
    if let Some(max) = max
        && chars > max
    {
        return fail(parameter, format!("at most {max} characters, got {chars}"));
    }
    if let Some(min) = min
        && chars < min
    {
        return fail(
            parameter,
            match min {
                1 => "must not be empty".to_owned(),
                _ => format!("at least {min} characters, got {chars}"),
            },
        );
    }
    if let Some(pattern) = pattern {
        // The spec's own pattern: ECMAScript syntax, as JSON Schema says.
        let regex = regress::Regex::new(pattern).map_err(|e| ArgError {
            parameter,
            reason: format!("the spec's pattern `{pattern}` does not compile: {e}"),
        })?;
        if regex.find(&value).is_none() {
            return fail(parameter, format!("must match `{pattern}`"));
        }
    }
    Ok(value)
}

/// An integer within the bounds its schema states.
pub(crate) fn range<T: Copy + Into<i64> + std::fmt::Display>(
    value: T,
    parameter: &'static str,
    min: Option<i64>,
    max: Option<i64>,
) -> Checked<T> {
    let n: i64 = value.into();
    let ok = min.is_none_or(|lo| n >= lo) && max.is_none_or(|hi| n <= hi);
    if ok {
        return Ok(value);
    }
    fail(
        parameter,
        match (min, max) {
            (Some(lo), Some(hi)) => format!("must be {lo} to {hi}, got {value}"),
            (Some(lo), None) => format!("must be at least {lo}, got {value}"),
            (None, Some(hi)) => format!("must be at most {hi}, got {value}"),
            (None, None) => unreachable!("no bounds always pass"),
        },
    )
}

/// `PageSize`: 1 to 1000.
pub(crate) fn page_size(value: u32) -> Checked<u32> {
    if !(1..=1000).contains(&value) {
        return fail("PageSize", format!("must be 1 to 1000, got {value}"));
    }
    Ok(value)
}

/// An IPv4 address as a string in dotted decimal notation, or an [`Ipv4Addr`].
pub trait IntoIpv4 {
    /// Parses the address. The error says what was wrong, without repeating the address (PII).
    fn into_ipv4(self) -> Result<Ipv4Addr, String>;
}

impl IntoIpv4 for Ipv4Addr {
    fn into_ipv4(self) -> Result<Ipv4Addr, String> {
        Ok(self)
    }
}
impl IntoIpv4 for &str {
    fn into_ipv4(self) -> Result<Ipv4Addr, String> {
        parse_ipv4(self)
    }
}
impl IntoIpv4 for String {
    fn into_ipv4(self) -> Result<Ipv4Addr, String> {
        parse_ipv4(&self)
    }
}
impl IntoIpv4 for &String {
    fn into_ipv4(self) -> Result<Ipv4Addr, String> {
        parse_ipv4(self)
    }
}

fn parse_ipv4(text: &str) -> Result<Ipv4Addr, String> {
    if text.is_empty() {
        return Err("an IPv4 address is required, got an empty string".into());
    }
    if text.contains('*') {
        return Err(
            "wildcards are not supported; give a complete IPv4 address and a CidrPrefixLength"
                .into(),
        );
    }
    if text.contains('/') {
        return Err("give the prefix length as CidrPrefixLength, not in CIDR notation".into());
    }
    if text.contains(':') {
        return Err("only IPv4 is supported, got an IPv6 address".into());
    }
    // std rejects leading zeros, missing octets and octets over 255: exactly Twilio's dotted decimal.
    text.parse::<Ipv4Addr>()
        .map_err(|_| "not an IPv4 address in dotted decimal notation (such as 203.0.113.10)".into())
}

/// An IPv4 address (`format: ipv4`), kept as PII.
pub(crate) fn ipv4(value: impl IntoIpv4, parameter: &'static str) -> Pii<Checked<Ipv4Addr>> {
    Pii(value.into_ipv4().or_else(|reason| fail(parameter, reason)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_rules() {
        assert_eq!(
            ipv4("203.0.113.10", "IpAddress").0.unwrap(),
            Ipv4Addr::new(203, 0, 113, 10)
        );
        assert_eq!(
            format!("{:?}", ipv4("203.0.113.10", "IpAddress")),
            "** redacted (PII) **"
        );
        for (input, reason) in [
            ("", "required"),
            ("10.0.0.*", "wildcards"),
            ("10.0.0.0/24", "CidrPrefixLength"),
            ("::1", "IPv6"),
            ("256.1.1.1", "dotted decimal"),
            ("010.1.1.1", "dotted decimal"),
            ("1.2.3", "dotted decimal"),
            (" 1.2.3.4", "dotted decimal"),
        ] {
            let err = ipv4(input, "IpAddress").0.unwrap_err();
            assert_eq!(err.parameter, "IpAddress");
            assert!(err.reason.contains(reason), "{input}: {}", err.reason);
            assert!(
                input.is_empty() || !err.reason.contains(input),
                "the address is not echoed"
            );
        }
    }

    #[test]
    fn limits() {
        let name = |v: String| text(v, "FriendlyName", Some(1), Some(255), None);
        assert!(name("x".repeat(255)).is_ok());
        assert_eq!(
            name("é".repeat(256)).unwrap_err().reason,
            "at most 255 characters, got 256"
        );
        assert_eq!(name(String::new()).unwrap_err().reason, "must not be empty");
        assert_eq!(
            text("ab".into(), "X", Some(3), None, None)
                .unwrap_err()
                .reason,
            "at least 3 characters, got 2"
        );
        let coded = |v: &str| text(v.into(), "Code", None, None, Some("^[a-z]+$"));
        assert!(coded("abc").is_ok());
        assert_eq!(coded("aB").unwrap_err().reason, "must match `^[a-z]+$`");
        assert_eq!(coded("aB").unwrap_err().parameter, "Code");
        let cidr = |v: u8| range(v, "CidrPrefixLength", Some(0), Some(32));
        assert!(cidr(32).is_ok());
        assert_eq!(cidr(33).unwrap_err().reason, "must be 0 to 32, got 33");
        assert_eq!(
            range(-1i64, "N", Some(0), None).unwrap_err().reason,
            "must be at least 0, got -1"
        );
        assert_eq!(page_size(0).unwrap_err().parameter, "PageSize");
        assert!(page_size(1000).is_ok());
        assert!(page_size(1001).is_err());
    }
}
