//! Client-side checks, written once for all four resources.
//!
//! Each check returns an [`ArgError`] naming the parameter by its Twilio wire name; builders keep
//! it and report it as [`Error::InvalidArgument`] when the request would be sent, before any byte
//! leaves the process.

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
        f.write_str("** redacted (PII) **")
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

/// Twilio's limit for `FriendlyName`.
pub const FRIENDLY_NAME_MAX_CHARS: usize = 255;

/// `FriendlyName`: up to 255 characters.
pub(crate) fn friendly_name(value: String) -> Checked<String> {
    let chars = value.chars().count();
    if chars > FRIENDLY_NAME_MAX_CHARS {
        return fail(
            "FriendlyName",
            format!("at most {FRIENDLY_NAME_MAX_CHARS} characters, got {chars}"),
        );
    }
    Ok(value)
}

/// `CidrPrefixLength`: 0 to 32.
pub(crate) fn cidr_prefix_length(value: u8) -> Checked<u8> {
    if value > 32 {
        return fail("CidrPrefixLength", format!("must be 0 to 32, got {value}"));
    }
    Ok(value)
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

/// `IpAddress`.
pub(crate) fn ip_address(value: impl IntoIpv4) -> Pii<Checked<Ipv4Addr>> {
    Pii(value
        .into_ipv4()
        .or_else(|reason| fail("IpAddress", reason)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_rules() {
        assert_eq!(
            ip_address("203.0.113.10").0.unwrap(),
            Ipv4Addr::new(203, 0, 113, 10)
        );
        assert_eq!(
            format!("{:?}", ip_address("203.0.113.10")),
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
            let err = ip_address(input).0.unwrap_err();
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
        assert!(friendly_name("x".repeat(255)).is_ok());
        assert_eq!(
            friendly_name("é".repeat(256)).unwrap_err().reason,
            "at most 255 characters, got 256"
        );
        assert!(cidr_prefix_length(32).is_ok());
        assert_eq!(
            cidr_prefix_length(33).unwrap_err().reason,
            "must be 0 to 32, got 33"
        );
        assert_eq!(page_size(0).unwrap_err().parameter, "PageSize");
        assert!(page_size(1000).is_ok());
        assert!(page_size(1001).is_err());
    }
}
