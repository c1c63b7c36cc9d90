//! Twilio's JSON error bodies, written once for every route.
//!
//! Every error the emulator sends is
//! `{"code": …, "message": …, "more_info": "https://www.twilio.com/docs/errors/<code>", "status": …}`
//! with the same HTTP status and `Content-Type: application/json`. The codes:
//!
//! | status | code | when |
//! |---|---|---|
//! | 401 | 20003 `Authenticate` | missing or wrong Basic credentials |
//! | 404 | 20404 | unknown route, unknown SID, another account's resource |
//! | 405 | 20004 `Method not allowed` | known route, unsupported method (with `Allow`) |
//! | 400 | 20001 | a missing or invalid parameter, a broken referential rule |
//! | 400 | 70002 | a request that cannot be read: wrong content type, invalid UTF-8, malformed form, `Page` without `PageToken` |
//! | 413 | 70002 | a body over 64 KiB |
//! | 429 / 5xx | 20429 / 20500 / 20503 / … | injected faults only |
//!
//! Messages never repeat an IP address the caller sent.

use std::time::Duration;

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;

use super::routes;

/// Twilio's page for an error code.
pub(crate) fn more_info(code: u32) -> String {
    format!("https://www.twilio.com/docs/errors/{code}")
}

/// An error response in Twilio's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TwilioError {
    pub(crate) status: StatusCode,
    pub(crate) code: u32,
    pub(crate) message: String,
    pub(crate) retry_after: Option<Duration>,
    /// For a 405: the methods the path accepts, sent as `Allow` (RFC 9110 §15.5.6).
    pub(crate) allow: Option<String>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: u32,
    message: &'a str,
    more_info: String,
    status: u16,
}

impl TwilioError {
    pub(crate) fn new(status: StatusCode, code: u32, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
            allow: None,
        }
    }

    /// 401, 20003: no or wrong credentials.
    pub(crate) fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, 20003, "Authenticate")
    }

    /// 404, 20404. v1 paths are named without their `/v1` prefix and 2010 paths in full, as
    /// Twilio does (and as the spec's examples show).
    pub(crate) fn not_found(path: &str) -> Self {
        let shown = match path.strip_prefix("/v1/") {
            Some(rest) => &path[path.len() - rest.len() - 1..],
            None => path,
        };
        Self::new(
            StatusCode::NOT_FOUND,
            20404,
            format!("The requested resource {shown} was not found"),
        )
    }

    /// 405, 20004, with `Allow: <allow>` (the methods the path accepts, such as `GET, HEAD`).
    pub(crate) fn method_not_allowed(allow: String) -> Self {
        let mut error = Self::new(StatusCode::METHOD_NOT_ALLOWED, 20004, "Method not allowed");
        error.allow = Some(allow);
        error
    }

    /// 400, 20001: a required form parameter is absent (or empty).
    pub(crate) fn missing(parameter: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            20001,
            format!("Missing required parameter {parameter} in the post body"),
        )
    }

    /// 400, 20001: a parameter has a value the API does not accept. `reason` must not repeat
    /// the value (it may be an IP address).
    pub(crate) fn invalid(parameter: &str, reason: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            20001,
            format!("Invalid {parameter}: {reason}"),
        )
    }

    /// 400, 20001: a well-formed request that breaks a rule between resources.
    pub(crate) fn rule(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, 20001, message)
    }

    /// 400, 70002: the request itself cannot be read.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, 70002, message)
    }

    /// 413, 70002: the body is over the limit.
    pub(crate) fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            70002,
            format!("Request body too large: at most {limit} bytes are accepted"),
        )
    }

    /// The error an injected fault answers with: Twilio's code for the status where it has
    /// one (`20429 Too Many Requests`, `20503 Service unavailable`, …), else `20000 + status`.
    pub(crate) fn injected(status: u16, path: &str, retry_after: Option<Duration>) -> Self {
        let status = StatusCode::from_u16(status)
            .ok()
            .filter(|s| s.is_client_error() || s.is_server_error())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut error = match status.as_u16() {
            400 => Self::bad_request("Bad request"),
            401 => Self::unauthorized(),
            404 => Self::not_found(path),
            405 => Self::method_not_allowed(routes::allow(path)),
            429 => Self::new(status, 20429, "Too Many Requests"),
            500 => Self::new(status, 20500, "Internal Server Error"),
            503 => Self::new(status, 20503, "Service unavailable"),
            other => Self::new(
                status,
                20000 + u32::from(other),
                status.canonical_reason().unwrap_or("Error"),
            ),
        };
        error.retry_after = retry_after;
        error
    }
}

impl IntoResponse for TwilioError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.code,
            message: &self.message,
            more_info: more_info(self.code),
            status: self.status.as_u16(),
        };
        let text = serde_json::to_string(&body).unwrap_or_else(|_| String::from("{}"));
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            text,
        )
            .into_response();
        if let Some(delay) = self.retry_after {
            // Whole seconds, rounded up: a client must not come back early.
            let secs = delay
                .as_secs()
                .saturating_add(u64::from(delay.subsec_nanos() > 0));
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if let Some(allow) = self
            .allow
            .as_deref()
            .and_then(|a| HeaderValue::from_str(a).ok())
        {
            response.headers_mut().insert(header::ALLOW, allow);
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"Twilio API\""),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_names_v1_paths_without_version() {
        assert_eq!(
            TwilioError::not_found("/v1/IpRecords/ILx").message,
            "The requested resource /IpRecords/ILx was not found"
        );
        assert_eq!(
            TwilioError::not_found(
                "/2010-04-01/Accounts/ACx/SIP/IpAccessControlLists/ALx/IpAddresses.json"
            )
            .message,
            "The requested resource /2010-04-01/Accounts/ACx/SIP/IpAccessControlLists/ALx/IpAddresses.json was not found"
        );
        assert_eq!(
            TwilioError::not_found("/nope").message,
            "The requested resource /nope was not found"
        );
    }

    #[test]
    fn a_405_names_the_methods_of_its_path_in_allow() {
        let injected = TwilioError::injected(405, "/v1/IpRecords", None);
        assert_eq!(injected.allow.as_deref(), Some("GET, HEAD, POST"));
        let response = injected.into_response();
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(response.headers()[header::ALLOW], "GET, HEAD, POST");
        let other = TwilioError::injected(404, "/v1/IpRecords", None).into_response();
        assert!(other.headers().get(header::ALLOW).is_none());
    }

    #[test]
    fn injected_codes() {
        assert_eq!(TwilioError::injected(429, "/", None).code, 20429);
        assert_eq!(TwilioError::injected(503, "/", None).code, 20503);
        assert_eq!(TwilioError::injected(502, "/", None).code, 20502);
        // Not an error status: answered as a 500 rather than panicking.
        assert_eq!(
            TwilioError::injected(200, "/", None).status,
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(
            TwilioError::injected(7, "/", None).status,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
