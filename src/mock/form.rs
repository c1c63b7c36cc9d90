//! Request parameters: `application/x-www-form-urlencoded` bodies and query strings, parsed
//! strictly, and the checks every resource shares (IPv4 address, CIDR prefix length, friendly
//! name, SIDs). Unknown parameters are ignored, as Twilio does; a repeated parameter counts once
//! (the first value).

use std::net::Ipv4Addr;

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::header,
};

use super::errors::TwilioError;
use crate::sid::{Sid, SidKind};

/// Twilio's limit for `FriendlyName`, in characters.
const FRIENDLY_NAME_MAX: usize = 255;

/// Why a urlencoded string could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Malformed {
    /// A `%` not followed by two hex digits.
    Escape,
    /// Decoded bytes that are not UTF-8.
    Utf8,
}

/// Splits `a=1&b=2` into decoded pairs. Unlike the lenient WHATWG parser, a broken `%`
/// escape or bytes that are not UTF-8 are errors rather than silently replaced.
pub(crate) fn parse_urlencoded(text: &str) -> Result<Vec<(String, String)>, Malformed> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((decode(key)?, decode(value)?))
        })
        .collect()
}

fn decode(text: &str) -> Result<String, Malformed> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or(Malformed::Escape)?;
                let hex = std::str::from_utf8(hex).map_err(|_| Malformed::Escape)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(Malformed::Escape);
                }
                out.push(u8::from_str_radix(hex, 16).map_err(|_| Malformed::Escape)?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| Malformed::Utf8)
}

/// A parsed POST body.
#[derive(Debug, Clone, Default)]
pub(crate) struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    fn from_body(content_type: Option<&str>, body: &[u8]) -> Result<Self, TwilioError> {
        // An empty body is an empty form, whatever it claims to be (updates may send nothing).
        if body.is_empty() {
            return Ok(Self::default());
        }
        let essence = content_type
            .and_then(|c| c.split(';').next())
            .map(str::trim)
            .unwrap_or_default();
        if !essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            return Err(TwilioError::bad_request(
                "Invalid Content-Type: the request body must be application/x-www-form-urlencoded",
            ));
        }
        let text = std::str::from_utf8(body)
            .map_err(|_| TwilioError::bad_request("Invalid request body: not valid UTF-8"))?;
        let pairs = parse_urlencoded(text).map_err(|e| match e {
            Malformed::Escape => TwilioError::bad_request(
                "Invalid request body: malformed application/x-www-form-urlencoded data",
            ),
            Malformed::Utf8 => TwilioError::bad_request("Invalid request body: not valid UTF-8"),
        })?;
        Ok(Self { pairs })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A present, non-empty value.
    fn value(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    fn require<'a>(&'a self, name: &str) -> Result<&'a str, TwilioError> {
        self.value(name).ok_or_else(|| TwilioError::missing(name))
    }

    /// `IpAddress`, required.
    pub(crate) fn ip_address(&self) -> Result<String, TwilioError> {
        check_ipv4(self.require("IpAddress")?)
    }

    /// `IpAddress`, optional (an empty value is invalid, not absent).
    pub(crate) fn optional_ip_address(&self) -> Result<Option<String>, TwilioError> {
        self.get("IpAddress").map(check_ipv4).transpose()
    }

    /// `CidrPrefixLength`, optional: an integer from 0 to 32.
    pub(crate) fn cidr_prefix_length(&self) -> Result<Option<u8>, TwilioError> {
        self.get("CidrPrefixLength")
            .map(|v| {
                v.parse::<u8>().ok().filter(|n| *n <= 32).ok_or_else(|| {
                    TwilioError::invalid("CidrPrefixLength", "must be an integer from 0 to 32")
                })
            })
            .transpose()
    }

    /// `FriendlyName`, required.
    pub(crate) fn friendly_name(&self) -> Result<String, TwilioError> {
        check_friendly_name(self.require("FriendlyName")?)
    }

    /// `FriendlyName`, optional (an empty value is kept: it clears the name).
    pub(crate) fn optional_friendly_name(&self) -> Result<Option<String>, TwilioError> {
        self.get("FriendlyName")
            .map(check_friendly_name)
            .transpose()
    }

    /// A required SID parameter of kind `K`.
    pub(crate) fn sid<K: SidKind>(&self, name: &str) -> Result<Sid<K>, TwilioError> {
        let value = self.require(name)?;
        Sid::<K>::new(value).map_err(|_| {
            TwilioError::invalid(
                name,
                &format!("must be `{}` followed by 32 hex digits", K::PREFIX),
            )
        })
    }
}

fn check_ipv4(text: &str) -> Result<String, TwilioError> {
    let reason = if text.is_empty() {
        "an IPv4 address is required"
    } else if text.contains('*') {
        "wildcards are not supported; give a complete IPv4 address and a CidrPrefixLength"
    } else if text.contains('/') {
        "give the prefix length as CidrPrefixLength, not in CIDR notation"
    } else if text.contains(':') {
        "only IPv4 addresses are supported"
    } else if text.parse::<Ipv4Addr>().is_ok() {
        // std accepts exactly dotted decimal: four octets, no leading zeros, none over 255.
        return Ok(text.to_owned());
    } else {
        "not an IPv4 address in dotted decimal notation"
    };
    Err(TwilioError::invalid("IpAddress", reason))
}

fn check_friendly_name(text: &str) -> Result<String, TwilioError> {
    if text.chars().count() > FRIENDLY_NAME_MAX {
        return Err(TwilioError::invalid(
            "FriendlyName",
            "must be at most 255 characters",
        ));
    }
    Ok(text.to_owned())
}

impl<S: Send + Sync> FromRequest<S> for Form {
    type Rejection = TwilioError;

    async fn from_request(request: Request, state: &S) -> Result<Self, TwilioError> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap_or("invalid").to_owned());
        // The gate middleware has already read the body (at most 64 KiB) into memory.
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|_| TwilioError::bad_request("Invalid request body: it could not be read"))?;
        Form::from_body(content_type.as_deref(), &body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: Option<&str> = Some("application/x-www-form-urlencoded");

    #[test]
    fn strict_decoding() {
        assert_eq!(
            parse_urlencoded("A=1&B=x+y%21&&C").unwrap(),
            vec![
                ("A".into(), "1".into()),
                ("B".into(), "x y!".into()),
                ("C".into(), "".into())
            ]
        );
        assert_eq!(parse_urlencoded("A=%zz"), Err(Malformed::Escape));
        assert_eq!(parse_urlencoded("A=%4"), Err(Malformed::Escape));
        assert_eq!(parse_urlencoded("A=%ff"), Err(Malformed::Utf8));
        assert_eq!(parse_urlencoded("A=%C3%A9").unwrap()[0].1, "é");
    }

    #[test]
    fn content_type_and_utf8() {
        assert!(Form::from_body(None, b"").is_ok());
        assert_eq!(
            Form::from_body(Some("application/json"), b"{}")
                .unwrap_err()
                .code,
            70002
        );
        assert!(
            Form::from_body(
                Some("application/x-www-form-urlencoded; charset=utf-8"),
                b"A=1"
            )
            .is_ok()
        );
        assert!(
            Form::from_body(FORM, b"A=\xff")
                .unwrap_err()
                .message
                .contains("UTF-8")
        );
    }

    #[test]
    fn field_checks_do_not_echo_values() {
        let form = Form::from_body(
            FORM,
            b"IpAddress=10.0.0.*&CidrPrefixLength=33&FriendlyName=",
        )
        .unwrap();
        let err = form.ip_address().unwrap_err();
        assert!(
            err.message.starts_with("Invalid IpAddress: wildcards"),
            "{}",
            err.message
        );
        assert!(!err.message.contains("10.0.0"));
        assert_eq!(
            form.cidr_prefix_length().unwrap_err().message,
            "Invalid CidrPrefixLength: must be an integer from 0 to 32"
        );
        assert_eq!(
            form.friendly_name().unwrap_err().message,
            "Missing required parameter FriendlyName in the post body"
        );
        assert_eq!(form.optional_friendly_name().unwrap(), Some(String::new()));
        for bad in [
            "010.1.1.1",
            "1.2.3",
            "256.1.1.1",
            " 1.2.3.4",
            "::1",
            "1.2.3.4/24",
        ] {
            let form = Form {
                pairs: vec![("IpAddress".into(), bad.into())],
            };
            assert!(form.ip_address().is_err(), "{bad}");
        }
        let form = Form {
            pairs: vec![("IpRecordSid".into(), "ILxyz".into())],
        };
        assert_eq!(
            form.sid::<crate::sid::kind::IpRecord>("IpRecordSid")
                .unwrap_err()
                .message,
            "Invalid IpRecordSid: must be `IL` followed by 32 hex digits"
        );
    }
}
