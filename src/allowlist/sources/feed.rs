//! `{ url = "https://…", format = "lines" }` or `{ url = …, format = "json", path = "$…" }`: a
//! published range list, fetched over HTTPS (plain HTTP only from this machine) with a timeout
//! and a size cap, then read as lines (as a file source) or as the strings a JSONPath (RFC
//! 9535) selects.

use serde_json_path::JsonPath;
use url::Url;

use super::{Item, Position, SourceError, SourceOptions, SourceRef, file};

/// How a feed's body is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Format {
    /// One address or range per line, `#` comments.
    Lines,
    /// A JSON document; the strings the path selects.
    Json(JsonPath),
}

/// Checks a feed entry's `url`, `format` and `path` before anything is fetched.
pub(super) fn check(
    url: &str,
    format: Option<&str>,
    path: Option<&str>,
) -> Result<(Url, Format), String> {
    let parsed = Url::parse(url).map_err(|e| format!("`url` is not a URL ({e})"))?;
    match parsed.scheme() {
        "https" => {}
        "http" if is_loopback(&parsed) => {}
        "http" => {
            return Err(
                "`url` must be https:// (a feed decides who may call: it is not fetched in clear text, except from this machine)".into(),
            );
        }
        other => return Err(format!("`url` must be https://, not {other}://")),
    }
    let format = match (format, path) {
        (None | Some("lines"), None) => Format::Lines,
        (Some("lines"), Some(_)) => {
            return Err(
                "`path` is for `format = \"json\"`; a `lines` feed has one address per line".into(),
            );
        }
        (None | Some("json"), Some(path)) => Format::Json(JsonPath::parse(path).map_err(|e| {
            format!("`path` is not a JSONPath (RFC 9535) such as \"$.prefixes[*].ip_prefix\": {e}")
        })?),
        (Some("json"), None) => {
            return Err("`format = \"json\"` needs `path`, the JSONPath of the addresses, such as \"$.prefixes[*].ip_prefix\"".into());
        }
        (Some(other), _) => {
            return Err(format!("`format` is \"lines\" or \"json\", not {other:?}"));
        }
    };
    Ok((parsed, format))
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// The URL as errors and the plan show it: no user, password or fragment, and the query (which
/// may hold a token) as `?…`.
/// The name a feed gives its addresses without `name`: its host and path (no scheme, port,
/// credentials or query, which may hold a secret), `ip-ranges.example.com/ip-ranges.json`.
pub(super) fn named(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    format!("{host}{}", url.path())
        .trim_end_matches('/')
        .to_owned()
}

pub(super) fn shown(url: &Url) -> String {
    let mut bare = url.clone();
    let _ = bare.set_username("");
    let _ = bare.set_password(None);
    bare.set_query(None);
    bare.set_fragment(None);
    let mut text = bare.to_string();
    if url.query().is_some() {
        text.push_str("?…");
    }
    text
}

/// The HTTP client for feeds: rustls (the crate's reqwest), the timeout, at most 5 redirects,
/// none of them from HTTPS to plain HTTP.
pub(super) fn client(options: &SourceOptions) -> Result<reqwest::Client, String> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() >= 5 {
            attempt.error("more than 5 redirects")
        } else if attempt.url().scheme() != "https" && !is_loopback(attempt.url()) {
            attempt.error("a redirect away from https://")
        } else {
            attempt.follow()
        }
    });
    reqwest::Client::builder()
        .timeout(options.timeout)
        .redirect(policy)
        .user_agent(concat!("twilio-ip-access/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| e.to_string())
}

/// Fetches the feed and reads its values.
pub(super) async fn read(
    http: &reqwest::Client,
    url: &Url,
    format: &Format,
    reference: &SourceRef,
    options: &SourceOptions,
) -> Result<Vec<Item>, SourceError> {
    let from = reference.to_string();
    let failed = |e: reqwest::Error| {
        if e.is_timeout() {
            SourceError::Timeout {
                from: from.clone(),
                after: options.timeout,
            }
        } else {
            SourceError::Fetch {
                from: from.clone(),
                // reqwest's text names the URL, query and all: leave it out.
                reason: error_chain(&e.without_url()),
            }
        }
    };
    let mut response = http.get(url.clone()).send().await.map_err(failed)?;
    if !response.status().is_success() {
        return Err(SourceError::Http {
            from,
            status: response.status().as_u16(),
        });
    }
    let too_large = || SourceError::TooLarge {
        from: from.clone(),
        limit: options.max_feed_bytes,
    };
    if response
        .content_length()
        .is_some_and(|n| n > options.max_feed_bytes)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(failed)? {
        if (body.len() + chunk.len()) as u64 > options.max_feed_bytes {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    let unparsable = |reason: String| SourceError::Unparsable {
        from: from.clone(),
        reason,
    };
    match format {
        Format::Lines => {
            let text = String::from_utf8(body).map_err(|e| {
                unparsable(format!(
                    "not UTF-8 text (at byte {})",
                    e.utf8_error().valid_up_to()
                ))
            })?;
            Ok(file::lines(&text))
        }
        Format::Json(path) => {
            let document: serde_json::Value =
                serde_json::from_slice(&body).map_err(|e| unparsable(format!("not JSON: {e}")))?;
            path.query_located(&document)
                .all()
                .into_iter()
                .map(|node| {
                    let at = node.location().to_string();
                    match node.node() {
                        serde_json::Value::String(text) => Ok(Item {
                            text: text.clone(),
                            position: Position::Path(at),
                        }),
                        other => Err(unparsable(format!(
                            "{at} is {other}, not a string such as \"198.51.100.0/24\""
                        ))),
                    }
                })
                .collect()
        }
    }
}

/// An error and its causes, one after the other (reqwest's own text is only the outermost).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_shown_without_secrets() {
        let url = Url::parse("https://user:pw@example.com/ranges.json?token=s3cret#x").unwrap();
        assert_eq!(shown(&url), "https://example.com/ranges.json?…");
    }

    #[test]
    fn entries_are_checked_before_fetching() {
        let ok = |u, f, p| check(u, f, p).map(|(_, f)| f);
        assert_eq!(
            ok("https://example.com/a.txt", None, None),
            Ok(Format::Lines)
        );
        assert!(matches!(
            ok(
                "https://example.com/a.json",
                Some("json"),
                Some("$.prefixes[*].ip_prefix")
            ),
            Ok(Format::Json(_))
        ));
        assert!(ok("http://127.0.0.1:8080/a.txt", Some("lines"), None).is_ok());
        let refused = |u, f, p| check(u, f, p).unwrap_err();
        assert!(refused("http://example.com/a.txt", None, None).contains("https://"));
        assert!(refused("ftp://example.com/a.txt", None, None).contains("ftp://"));
        assert!(refused("https://example.com/a", Some("json"), None).contains("needs `path`"));
        assert!(
            refused("https://example.com/a", Some("json"), Some("prefixes")).contains("JSONPath")
        );
        assert!(refused("https://example.com/a", Some("csv"), None).contains("\"csv\""));
        assert!(refused("https://example.com/a", Some("lines"), Some("$.a")).contains("`path`"));
    }
}
