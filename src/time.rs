//! Dates of the 2010 API.
//!
//! Voice and Trunking (v1) send ISO 8601 dates, which the generated types read as
//! [`chrono::DateTime<Utc>`] directly. The 2010 API sends RFC 2822 dates
//! (`Mon, 20 Jul 2015 17:27:10 +0000`); [`Rfc2822DateTime`] reads those into the same
//! `DateTime<Utc>` and writes them back in Twilio's format.

use std::{fmt, ops::Deref};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// A UTC date-time that travels as RFC 2822 text, as the Api 2010-04-01 resources send it.
///
/// Derefs to [`DateTime<Utc>`]:
///
/// ```
/// use twilio_ip_access::time::Rfc2822DateTime;
///
/// let date: Rfc2822DateTime = serde_json::from_str("\"Mon, 20 Jul 2015 17:27:10 +0000\"")?;
/// assert_eq!(date.to_rfc3339(), "2015-07-20T17:27:10+00:00");
/// assert_eq!(date.to_string(), "Mon, 20 Jul 2015 17:27:10 +0000");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rfc2822DateTime(pub DateTime<Utc>);

impl Rfc2822DateTime {
    /// The date-time in UTC.
    pub fn into_inner(self) -> DateTime<Utc> {
        self.0
    }
}

/// A string in RFC 2822 format (`format: date-time-rfc-2822`, Twilio's own name for it).
#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Rfc2822DateTime {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Rfc2822DateTime".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date-time-rfc-2822",
            "description": "A date and time in GMT in RFC 2822 format, such as `Mon, 20 Jul 2015 17:27:10 +0000`.",
            "pattern": "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}$",
        })
    }
}

impl Deref for Rfc2822DateTime {
    type Target = DateTime<Utc>;
    fn deref(&self) -> &DateTime<Utc> {
        &self.0
    }
}

impl From<DateTime<Utc>> for Rfc2822DateTime {
    fn from(value: DateTime<Utc>) -> Self {
        Self(value)
    }
}

impl From<Rfc2822DateTime> for DateTime<Utc> {
    fn from(value: Rfc2822DateTime) -> Self {
        value.0
    }
}

impl fmt::Display for Rfc2822DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Twilio writes `+0000`, not chrono's `GMT`-less default with a colon.
        write!(f, "{}", self.0.format("%a, %d %b %Y %H:%M:%S +0000"))
    }
}

impl std::str::FromStr for Rfc2822DateTime {
    type Err = chrono::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DateTime::parse_from_rfc2822(s).map(|d| Self(d.with_timezone(&Utc)))
    }
}

impl Serialize for Rfc2822DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rfc2822DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        text.parse()
            .map_err(|e| de::Error::custom(format!("not an RFC 2822 date ({e})")))
    }
}
