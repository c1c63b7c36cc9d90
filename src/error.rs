//! The crate's one error type.
//!
//! Every fallible call returns [`Error`]. Twilio's own errors keep everything Twilio said
//! (status, code, message, `more_info`, `details`); an error page that is not JSON keeps its HTTP
//! status; invalid arguments name the parameter; transport and decode failures keep their source.
//! Nothing here ever holds the auth token or API key secret.

use std::{fmt, time::Duration};

use serde::{Deserialize, Serialize};

/// The JSON body of every Twilio 4xx response:
/// `{"code": 20404, "message": "...", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}`.
///
/// The generated bindings use this type for the spec's `TwilioError` schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ApiErrorBody {
    /// Twilio's error code, such as `20404`.
    pub code: i64,
    /// Twilio's message.
    pub message: String,
    /// A link to Twilio's page for the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more_info: Option<String>,
    /// The HTTP status, as Twilio repeats it in the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Extra detail some errors carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Map<String, serde_json::Value>>,
}

impl fmt::Display for ApiErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Twilio error {}: {}", self.code, self.message)?;
        if let Some(more_info) = &self.more_info {
            write!(f, " (see {more_info})")?;
        }
        if let Some(details) = &self.details {
            write!(
                f,
                "; details: {}",
                serde_json::Value::Object(details.clone())
            )?;
        }
        Ok(())
    }
}

/// An error response from Twilio with a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status of the response.
    pub status: u16,
    /// What Twilio said.
    pub body: ApiErrorBody,
    /// The `Retry-After` delay the response asked for, if any.
    pub retry_after: Option<Duration>,
    /// Twilio's id of the request (the `Twilio-Request-Id` header), for support tickets.
    pub request_id: Option<String>,
}

/// The text of an error response that is not Twilio's JSON. A proxy's page may echo the
/// request, credentials included, so `Debug` shows only the length; read it with
/// [`as_str`](Self::as_str).
#[derive(Clone, PartialEq, Eq)]
pub struct ResponseBody(String);

impl ResponseBody {
    pub(crate) fn new(text: String) -> Self {
        Self(text)
    }

    /// The body as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the body was empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl PartialEq<str> for ResponseBody {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for ResponseBody {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResponseBody({} bytes)", self.0.len())
    }
}

/// Everything that can go wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Twilio answered with an error and a JSON body.
    #[error("HTTP {status}: {body}{}", attempts_note(*attempts), status = error.status, body = error.body)]
    Api {
        /// The error Twilio sent.
        error: Box<ApiError>,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// An error status whose body is not Twilio's JSON (a proxy's error page, a bare 502, a
    /// server that is not Twilio's API).
    #[error("HTTP {status} with a non-JSON body ({} bytes){}{}", body.len(), from_url(url), attempts_note(*attempts))]
    Http {
        /// The HTTP status.
        status: u16,
        /// The URL that answered (without its query), when known.
        url: Option<String>,
        /// The body as text (lossy UTF-8, at most 4 KiB); `Debug` shows only its length.
        body: ResponseBody,
        /// The `Retry-After` delay the response asked for, if any.
        retry_after: Option<Duration>,
        /// The `Twilio-Request-Id` header, when the response had one.
        request_id: Option<String>,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// An argument was rejected before anything was sent.
    #[error("invalid argument `{parameter}`: {reason}")]
    InvalidArgument {
        /// The parameter, by its Twilio wire name (`IpAddress`, `PageSize`, `Sid`, …).
        parameter: &'static str,
        /// What was wrong with it.
        reason: String,
    },
    /// The client could not be configured (missing or malformed credentials, bad base URL).
    #[error("invalid configuration: {reason}")]
    Config {
        /// What was wrong.
        reason: String,
    },
    /// The request could not be sent or its response not received (connection, TLS, timeout).
    /// `Display` gives the cause below reqwest's own message too: connection refused, timed
    /// out, a DNS or TLS failure.
    #[error("request failed: {source}{}{}", causes(source), attempts_note(*attempts))]
    Transport {
        /// The underlying error.
        #[source]
        source: reqwest::Error,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// A response arrived but its body is not what the API documents (or not Twilio's API).
    #[error(
        "could not decode the HTTP {status} response{}: {reason}",
        from_url(url)
    )]
    Decode {
        /// The HTTP status of the response.
        status: u16,
        /// The URL that answered (without its query), when known.
        url: Option<String>,
        /// What did not match (the body itself is not kept: it may hold IP addresses).
        reason: String,
        /// The `Twilio-Request-Id` header, when the response had one.
        request_id: Option<String>,
    },
    /// A list could not be followed to its end.
    #[error("pagination stopped: {reason}")]
    Pagination {
        /// Why.
        reason: String,
    },
    /// The client's overall deadline passed before a response arrived.
    #[error("no response within the overall deadline of {deadline:?}{}", attempts_note(*attempts))]
    DeadlineExceeded {
        /// The configured deadline.
        deadline: Duration,
        /// How many times the request was sent: 0 if it waited for a
        /// [`RequestLimit`](crate::RequestLimit) permit until the deadline.
        attempts: u32,
    },
}

/// ` from http://…` when the URL is known.
fn from_url(url: &Option<String>) -> String {
    url.as_ref()
        .map(|u| format!(" from {u}"))
        .unwrap_or_default()
}

/// The causes under an error's own message, each once (`: tcp connect error: Connection refused
/// (os error 111)`): reqwest's `Display` stops at "error sending request".
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut out = String::new();
    let mut seen = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        let text = e.to_string();
        if !text.is_empty() && !seen.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
            seen.push_str(&text);
        }
        cause = e.source();
    }
    out
}

fn attempts_note(attempts: u32) -> String {
    match attempts {
        0 => " (not sent: it waited for a RequestLimit permit all along)".to_owned(),
        1 => String::new(),
        n => format!(" (after {n} attempts)"),
    }
}

impl Error {
    pub(crate) fn config(reason: impl fmt::Display) -> Self {
        Error::Config {
            reason: reason.to_string(),
        }
    }

    /// The HTTP status of an error response, if one arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { error, .. } => Some(error.status),
            Error::Http { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// Twilio's error code (`20404`, `21201`, …), when Twilio sent one.
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Api { error, .. } => Some(error.body.code),
            _ => None,
        }
    }

    /// Twilio's error message, when Twilio sent one.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api { error, .. } => Some(&error.body.message),
            _ => None,
        }
    }

    /// The link to Twilio's documentation of the error code.
    pub fn more_info(&self) -> Option<&str> {
        match self {
            Error::Api { error, .. } => error.body.more_info.as_deref(),
            _ => None,
        }
    }

    /// Twilio's id of the request that failed (the `Twilio-Request-Id` response header), to
    /// cite in a support ticket. Also recorded in the request's `tracing` span.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { error, .. } => error.request_id.as_deref(),
            Error::Http { request_id, .. } | Error::Decode { request_id, .. } => {
                request_id.as_deref()
            }
            _ => None,
        }
    }

    /// The URL of a response that is not Twilio's ([`Error::Http`], [`Error::Decode`]), when
    /// known.
    pub fn url(&self) -> Option<&str> {
        match self {
            Error::Http { url, .. } | Error::Decode { url, .. } => url.as_deref(),
            _ => None,
        }
    }

    /// Whether a response came that is not what Twilio's API sends: an error page that is not
    /// Twilio's JSON, or a body of the wrong shape. A wrong base URL, or a proxy, is the usual
    /// cause.
    pub fn is_foreign_response(&self) -> bool {
        matches!(self, Error::Http { .. } | Error::Decode { .. })
    }

    /// The parameter an [`Error::InvalidArgument`] names.
    pub fn parameter(&self) -> Option<&'static str> {
        match self {
            Error::InvalidArgument { parameter, .. } => Some(parameter),
            _ => None,
        }
    }

    /// How many times the request was sent before this error was returned.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api { attempts, .. }
            | Error::Http { attempts, .. }
            | Error::Transport { attempts, .. }
            | Error::DeadlineExceeded { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    /// The `Retry-After` delay the server asked for.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { error, .. } => error.retry_after,
            Error::Http { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether sending the same request again later could succeed: rate limiting (429), server
    /// errors (5xx), timeouts and connection failures. Whether it is *safe* to resend a create is
    /// another matter; see [`crate::RetryPolicy`].
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api { .. } | Error::Http { .. } => {
                matches!(self.status(), Some(429) | Some(500..=599))
            }
            Error::Transport { source, .. } => {
                source.is_timeout() || source.is_connect() || source.is_request()
            }
            Error::DeadlineExceeded { .. } => true,
            _ => false,
        }
    }

    /// Whether the request may have reached Twilio although no answer came back: a timeout or a
    /// connection lost after sending (not a failure to connect, which never left the machine),
    /// or the overall deadline passing once it was sent. A create that ends this way may or may not have been
    /// made: only a new read tells. The retry policy never resends a `POST` in this state.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Error::Transport { source, .. } => !source.is_connect(),
            // With no attempt, the request waited for a `RequestLimit` permit and never left.
            Error::DeadlineExceeded { attempts, .. } => *attempts > 0,
            _ => false,
        }
    }

    /// Whether Twilio said the resource does not exist (HTTP 404, code 20404).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    pub(crate) fn with_attempts(mut self, n: u32) -> Self {
        match &mut self {
            Error::Api { attempts, .. }
            | Error::Http { attempts, .. }
            | Error::Transport { attempts, .. }
            | Error::DeadlineExceeded { attempts, .. } => *attempts = n,
            _ => {}
        }
        self
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
