//! Request parameters: `application/x-www-form-urlencoded` bodies and query strings, parsed
//! strictly, and the checks a [`Field`] of the resource table states (required, SID pattern,
//! IPv4 address, text length, integer bounds, boolean, enum). Unknown parameters are ignored, as
//! Twilio does; a repeated parameter counts once (the first value).

use std::net::Ipv4Addr;

use serde_json::Value;

use super::{
    errors::TwilioError,
    table::{Field, FieldKind},
};

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
            Ok((decode(key, true)?, decode(value, true)?))
        })
        .collect()
}

/// Decodes a path segment: `%XX` escapes (strictly, and to UTF-8); `+` stays a `+`.
pub(crate) fn percent_decode(text: &str) -> Result<String, Malformed> {
    decode(text, false)
}

fn decode(text: &str, plus_is_space: bool) -> Result<String, Malformed> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' if plus_is_space => out.push(b' '),
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
    pub(crate) fn from_body(content_type: Option<&str>, body: &[u8]) -> Result<Self, TwilioError> {
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

    /// The value of `field`, checked against what the field states: `None` when an optional
    /// field is absent. A required field that is absent or empty is missing; an optional one
    /// that is present but empty is checked like any other value (an empty text clears it, an
    /// empty address or number is invalid).
    pub(crate) fn field(&self, field: &Field) -> Result<Option<Value>, TwilioError> {
        let text = match self.get(field.wire) {
            Some("") | None if field.required => return Err(TwilioError::missing(field.wire)),
            None => return Ok(None),
            Some(text) => text,
        };
        check(field, text).map(Some)
    }

    /// Every field of `fields`, in order (the first problem is the answer), with its value if
    /// it was given.
    pub(crate) fn fields(
        &self,
        fields: &'static [Field],
    ) -> Result<Vec<(&'static Field, Option<Value>)>, TwilioError> {
        fields
            .iter()
            .map(|field| Ok((field, self.field(field)?)))
            .collect()
    }
}

/// A present value of `field`, as the JSON value stored for it.
pub(crate) fn check(field: &Field, text: &str) -> Result<Value, TwilioError> {
    let invalid = |reason: &str| TwilioError::invalid(field.wire, reason);
    match &field.kind {
        FieldKind::Sid { prefix } => {
            let hex = text
                .strip_prefix(prefix.as_ref())
                .filter(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
            match hex {
                Some(_) => Ok(Value::from(text)),
                None => Err(invalid(&format!(
                    "must be `{prefix}` followed by 32 hex digits"
                ))),
            }
        }
        FieldKind::Ipv4 => check_ipv4(field.wire, text).map(Value::from),
        FieldKind::Text {
            min_length,
            max_length,
            pattern,
        } => {
            let length = text.chars().count() as u64;
            if let Some(max) = max_length.filter(|max| length > *max) {
                return Err(invalid(&format!("must be at most {max} characters")));
            }
            if let Some(min) = min_length.filter(|min| length < *min) {
                let plural = if min == 1 { "" } else { "s" };
                return Err(invalid(&format!(
                    "must be at least {min} character{plural}"
                )));
            }
            // The spec's own pattern, in the ECMAScript syntax JSON Schema uses (the client
            // checks it with the same engine before sending).
            if let Some(pattern) = pattern
                && regress::Regex::new(pattern).is_ok_and(|re| re.find(text).is_none())
            {
                return Err(invalid(&format!("must match `{pattern}`")));
            }
            Ok(Value::from(text))
        }
        FieldKind::Integer { minimum, maximum } => {
            let reason = match (minimum, maximum) {
                (Some(min), Some(max)) => format!("must be an integer from {min} to {max}"),
                (Some(min), None) => format!("must be an integer of {min} or more"),
                (None, Some(max)) => format!("must be an integer of {max} or less"),
                (None, None) => String::from("must be an integer"),
            };
            text.parse::<i64>()
                .ok()
                .filter(|n| minimum.is_none_or(|min| *n >= min))
                .filter(|n| maximum.is_none_or(|max| *n <= max))
                .map(Value::from)
                .ok_or_else(|| invalid(&reason))
        }
    }
}

/// An IPv4 address in dotted decimal. The reasons never repeat the value.
fn check_ipv4(wire: &str, text: &str) -> Result<String, TwilioError> {
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
    Err(TwilioError::invalid(wire, reason))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    const FORM: Option<&str> = Some("application/x-www-form-urlencoded");

    fn form(pairs: &[(&str, &str)]) -> Form {
        Form {
            pairs: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    const fn field(wire: &'static str, required: bool, kind: FieldKind) -> Field {
        Field {
            wire,
            property: "p",
            required,
            kind,
            default: None,
        }
    }

    const IP: Field = field("IpAddress", true, FieldKind::Ipv4);
    const OPTIONAL_IP: Field = field("IpAddress", false, FieldKind::Ipv4);
    const NAME: Field = field(
        "FriendlyName",
        true,
        FieldKind::Text {
            min_length: Some(1),
            max_length: Some(255),
            pattern: None,
        },
    );
    const OPTIONAL_NAME: Field = field(
        "FriendlyName",
        false,
        FieldKind::Text {
            min_length: None,
            max_length: Some(255),
            pattern: None,
        },
    );
    const CIDR: Field = field(
        "CidrPrefixLength",
        false,
        FieldKind::Integer {
            minimum: Some(0),
            maximum: Some(32),
        },
    );

    fn message(form: &Form, field: &Field) -> String {
        form.field(field).unwrap_err().message
    }

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
        assert_eq!(percent_decode("a+b%20c").unwrap(), "a+b c");
        assert_eq!(percent_decode("%ff"), Err(Malformed::Utf8));
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
        let body = Form::from_body(
            FORM,
            b"IpAddress=10.0.0.*&CidrPrefixLength=33&FriendlyName=",
        )
        .unwrap();
        let err = message(&body, &IP);
        assert!(err.starts_with("Invalid IpAddress: wildcards"), "{err}");
        assert!(!err.contains("10.0.0"));
        assert_eq!(
            message(&body, &CIDR),
            "Invalid CidrPrefixLength: must be an integer from 0 to 32"
        );
        assert_eq!(
            message(&body, &NAME),
            "Missing required parameter FriendlyName in the post body"
        );
        assert_eq!(body.field(&OPTIONAL_NAME).unwrap(), Some(Value::from("")));
        assert_eq!(form(&[]).field(&OPTIONAL_NAME).unwrap(), None);
        assert_eq!(
            message(&form(&[("IpAddress", "")]), &OPTIONAL_IP),
            "Invalid IpAddress: an IPv4 address is required"
        );
        for bad in [
            "010.1.1.1",
            "1.2.3",
            "256.1.1.1",
            " 1.2.3.4",
            "::1",
            "1.2.3.4/24",
        ] {
            assert!(form(&[("IpAddress", bad)]).field(&IP).is_err(), "{bad}");
        }
        let sid = field(
            "IpRecordSid",
            true,
            FieldKind::Sid {
                prefix: Cow::Borrowed("IL"),
            },
        );
        assert_eq!(
            message(&form(&[("IpRecordSid", "ILxyz")]), &sid),
            "Invalid IpRecordSid: must be `IL` followed by 32 hex digits"
        );
        let good = format!("IL{}", "aB".repeat(16));
        assert_eq!(
            form(&[("IpRecordSid", &good)]).field(&sid).unwrap(),
            Some(Value::from(good.as_str()))
        );
        let long = "é".repeat(256);
        assert_eq!(
            message(&form(&[("FriendlyName", &long)]), &NAME),
            "Invalid FriendlyName: must be at most 255 characters"
        );
        assert!(form(&[("FriendlyName", &long[2..])]).field(&NAME).is_ok());
    }

    #[test]
    fn other_kinds() {
        let at_least = field(
            "N",
            false,
            FieldKind::Integer {
                minimum: Some(1),
                maximum: None,
            },
        );
        assert_eq!(
            message(&form(&[("N", "0")]), &at_least),
            "Invalid N: must be an integer of 1 or more"
        );
        let short = field(
            "Name",
            false,
            FieldKind::Text {
                min_length: Some(2),
                max_length: None,
                pattern: None,
            },
        );
        assert_eq!(
            message(&form(&[("Name", "x")]), &short),
            "Invalid Name: must be at least 2 characters"
        );
        let coded = field(
            "Code",
            false,
            FieldKind::Text {
                min_length: None,
                max_length: None,
                pattern: Some(Cow::Borrowed("^[A-Z]{2}$")),
            },
        );
        assert!(form(&[("Code", "AB")]).field(&coded).is_ok());
        assert_eq!(
            message(&form(&[("Code", "abc")]), &coded),
            "Invalid Code: must match `^[A-Z]{2}$`"
        );
    }
}
