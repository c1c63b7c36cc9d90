//! Pagination, written once for the four lists: the `PageSize`/`Page`/`PageToken` query
//! parameters, page tokens, and both list envelopes (v1 `meta` with absolute URLs, 2010 flat
//! with relative URIs).
//!
//! Lists are in creation order. A page token is `PA` followed by the SID of the last item of
//! the previous page (`PB` + the SID of the first item of the next page is also honoured), so a
//! listing stays stable while items are added or removed. As on the live API, a `Page` above 0
//! without a `PageToken` is refused: clients must follow the links.

use std::ops::Range;

use axum::{extract::FromRequestParts, http::request::Parts};
use serde_json::{Value, json};

use super::{errors::TwilioError, form};

/// Items per page when `PageSize` is not given.
pub(crate) const DEFAULT_PAGE_SIZE: u32 = 50;
/// The largest `PageSize`.
pub(crate) const MAX_PAGE_SIZE: u32 = 1000;
/// The largest `Page`: the spec declares it an int64 with no other maximum.
const MAX_PAGE: u64 = i64::MAX as u64;

/// Something that can be listed: an ordering key and a SID.
pub(crate) trait Listed {
    /// The creation sequence number: lists are sorted by it.
    fn seq(&self) -> u64;
    /// The SID page tokens are made of.
    fn sid(&self) -> &str;
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// The page after the item with this SID.
    After(String),
    /// The page before the item with this SID.
    Before(String),
}

/// The paging parameters of a list request.
#[derive(Debug, Clone)]
pub(crate) struct Paging {
    page_size: u32,
    page: u64,
    token: Option<Token>,
    raw_token: Option<String>,
}

/// The part of a list one page shows, and the queries of its neighbours.
#[derive(Debug, Clone)]
pub(crate) struct Selection {
    pub(crate) range: Range<usize>,
    next: Option<String>,
    previous: Option<String>,
}

impl Paging {
    pub(crate) fn from_query(query: Option<&str>) -> Result<Self, TwilioError> {
        let pairs = form::parse_urlencoded(query.unwrap_or_default()).map_err(|_| {
            TwilioError::bad_request(
                "Invalid query string: malformed percent-encoding or not UTF-8",
            )
        })?;
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let page_size = match get("PageSize") {
            None => DEFAULT_PAGE_SIZE,
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
                .ok_or_else(|| {
                    TwilioError::invalid("PageSize", "must be an integer from 1 to 1000")
                })?,
        };
        let page = match get("Page") {
            None => 0,
            Some(v) => parse_page(v)?,
        };
        let raw_token = get("PageToken")
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        let token = match raw_token.as_deref() {
            None => None,
            Some(t) => Some(if let Some(sid) = t.strip_prefix("PA") {
                Token::After(sid.to_owned())
            } else if let Some(sid) = t.strip_prefix("PB") {
                Token::Before(sid.to_owned())
            } else {
                return Err(invalid_token());
            }),
        };
        if page > 0 && token.is_none() {
            return Err(TwilioError::bad_request(
                "Invalid Page: a Page above 0 needs the PageToken of the previous page's next page link",
            ));
        }
        Ok(Self {
            page_size,
            page,
            token,
            raw_token,
        })
    }

    /// Picks this page out of `items` (sorted by [`Listed::seq`]). `prefix` is the SID prefix of
    /// the list's items; `issued` gives the sequence number of a SID issued earlier (for a token
    /// whose item has since been deleted).
    pub(crate) fn select<T: Listed>(
        &self,
        items: &[T],
        prefix: &str,
        issued: impl Fn(&str) -> Option<u64>,
    ) -> Result<Selection, TwilioError> {
        let size = self.page_size as usize;
        let seq_of = |sid: &str| -> Result<u64, TwilioError> {
            if sid.len() != 34 || !sid.starts_with(prefix) {
                return Err(invalid_token());
            }
            items
                .iter()
                .find(|i| i.sid() == sid)
                .map(Listed::seq)
                .or_else(|| issued(sid))
                .ok_or_else(invalid_token)
        };
        let range = match &self.token {
            None => 0..size.min(items.len()),
            Some(Token::After(sid)) => {
                let seq = seq_of(sid)?;
                let start = items.partition_point(|i| i.seq() <= seq);
                start..(start + size).min(items.len())
            }
            Some(Token::Before(sid)) => {
                let seq = seq_of(sid)?;
                let end = items.partition_point(|i| i.seq() < seq);
                end.saturating_sub(size)..end
            }
        };
        // The page that starts at index `start`: the first page, or the one after item `start - 1`.
        let link = |start: usize, page: u64| -> String {
            match start.checked_sub(1).and_then(|i| items.get(i)) {
                None => format!("PageSize={size}&Page=0"),
                Some(item) => format!("PageSize={size}&Page={page}&PageToken=PA{}", item.sid()),
            }
        };
        let next = (range.end < items.len())
            .then(|| link(range.end, self.page.saturating_add(1).min(MAX_PAGE)));
        let previous = (range.start > 0).then(|| {
            link(
                range.start.saturating_sub(size),
                self.page.saturating_sub(1),
            )
        });
        Ok(Selection {
            range,
            next,
            previous,
        })
    }

    fn query(&self) -> String {
        match &self.raw_token {
            None => format!("PageSize={}&Page={}", self.page_size, self.page),
            Some(token) => format!(
                "PageSize={}&Page={}&PageToken={}",
                self.page_size,
                self.page,
                encode(token)
            ),
        }
    }

    /// The v1 envelope: `{"<key>": [...], "meta": {...}}` with absolute URLs under `base_url`.
    pub(crate) fn v1_envelope(
        &self,
        key: &str,
        base_url: &str,
        path: &str,
        selection: &Selection,
        items: Vec<Value>,
    ) -> Value {
        let url = |query: &str| format!("{base_url}{path}?{query}");
        let mut envelope = serde_json::Map::new();
        envelope.insert(key.to_owned(), Value::Array(items));
        envelope.insert(
            "meta".to_owned(),
            json!({
                "page": self.page,
                "page_size": self.page_size,
                "first_page_url": url(&format!("PageSize={}&Page=0", self.page_size)),
                "previous_page_url": selection.previous.as_deref().map(url),
                "url": url(&self.query()),
                "next_page_url": selection.next.as_deref().map(url),
                "key": key,
            }),
        );
        Value::Object(envelope)
    }

    /// The 2010 flat envelope with URIs relative to the host root.
    pub(crate) fn v2010_envelope(
        &self,
        key: &str,
        path: &str,
        selection: &Selection,
        items: Vec<Value>,
    ) -> Value {
        let uri = |query: &str| format!("{path}?{query}");
        let start = selection.range.start;
        let end = selection.range.end.saturating_sub(1).max(start);
        let mut envelope = serde_json::Map::new();
        envelope.insert(key.to_owned(), Value::Array(items));
        for (name, value) in [
            ("page", json!(self.page)),
            ("page_size", json!(self.page_size)),
            ("start", json!(start)),
            ("end", json!(end)),
            ("uri", json!(uri(&self.query()))),
            (
                "first_page_uri",
                json!(uri(&format!("PageSize={}&Page=0", self.page_size))),
            ),
            ("next_page_uri", json!(selection.next.as_deref().map(uri))),
            (
                "previous_page_uri",
                json!(selection.previous.as_deref().map(uri)),
            ),
        ] {
            envelope.insert(name.to_owned(), value);
        }
        Value::Object(envelope)
    }
}

/// `Page` as the spec declares it: an int64 of 0 or more. The message says which part of that
/// the value breaks (without repeating it).
fn parse_page(value: &str) -> Result<u64, TwilioError> {
    let invalid = |reason: &str| TwilioError::invalid("Page", reason);
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(&format!(
            "not an integer; a page index is from 0 to {MAX_PAGE}"
        )));
    }
    if value.starts_with('-') && digits.bytes().any(|b| b != b'0') {
        return Err(invalid("must be 0 or more"));
    }
    digits
        .parse::<u64>()
        .ok()
        .filter(|n| *n <= MAX_PAGE)
        .ok_or_else(|| invalid(&format!("above the largest page index, {MAX_PAGE}")))
}

fn invalid_token() -> TwilioError {
    TwilioError::invalid(
        "PageToken",
        "not a page token this list issued; follow the next page link",
    )
}

/// Percent-encodes a token echoed back in `url`/`uri` (tokens this server issues need none).
fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

impl<S: Send + Sync> FromRequestParts<S> for Paging {
    type Rejection = TwilioError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, TwilioError> {
        Paging::from_query(parts.uri.query())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Item(u64, String);
    impl Listed for Item {
        fn seq(&self) -> u64 {
            self.0
        }
        fn sid(&self) -> &str {
            &self.1
        }
    }

    fn items(n: u64) -> Vec<Item> {
        (1..=n)
            .map(|i| Item(i * 10, format!("IL{i:032x}")))
            .collect()
    }

    #[test]
    fn parameters() {
        for (query, message) in [
            (
                "PageSize=0",
                "Invalid PageSize: must be an integer from 1 to 1000",
            ),
            (
                "PageSize=1001",
                "Invalid PageSize: must be an integer from 1 to 1000",
            ),
            (
                "PageSize=abc",
                "Invalid PageSize: must be an integer from 1 to 1000",
            ),
            (
                "PageSize=99999999999999999999999",
                "Invalid PageSize: must be an integer from 1 to 1000",
            ),
            ("Page=-1", "Invalid Page: must be 0 or more"),
            (
                "Page=1.5",
                "Invalid Page: not an integer; a page index is from 0 to 9223372036854775807",
            ),
            (
                "Page=",
                "Invalid Page: not an integer; a page index is from 0 to 9223372036854775807",
            ),
            (
                "Page=9223372036854775808",
                "Invalid Page: above the largest page index, 9223372036854775807",
            ),
            (
                "Page=99999999999999999999999",
                "Invalid Page: above the largest page index, 9223372036854775807",
            ),
            (
                "Page=%zz",
                "Invalid query string: malformed percent-encoding or not UTF-8",
            ),
        ] {
            assert_eq!(
                Paging::from_query(Some(query)).unwrap_err().message,
                message,
                "{query}"
            );
        }
        // Every int64 of 0 or more is a page index, as the spec declares (a Page above 0 still
        // needs its token).
        for page in ["0", "-0", "%2B0"] {
            assert_eq!(
                Paging::from_query(Some(&format!("Page={page}")))
                    .unwrap()
                    .page,
                0
            );
        }
        for page in ["4294967296", "9223372036854775807"] {
            let err = Paging::from_query(Some(&format!("Page={page}"))).unwrap_err();
            assert_eq!(err.code, 70002, "{page}: {}", err.message);
            let query = format!("Page={page}&PageToken=PA{}", "0".repeat(32));
            assert_eq!(
                Paging::from_query(Some(&query)).unwrap().page.to_string(),
                page
            );
        }
        let err = Paging::from_query(Some("Page=2")).unwrap_err();
        assert_eq!((err.status.as_u16(), err.code), (400, 70002));
        assert!(Paging::from_query(Some("Page=0&Other=x")).is_ok());
        assert!(Paging::from_query(None).is_ok());
    }

    #[test]
    fn pages_follow_tokens_to_the_end() {
        let list = items(5);
        let mut query = String::from("PageSize=2");
        let mut seen = Vec::new();
        for _ in 0..10 {
            let paging = Paging::from_query(Some(&query)).unwrap();
            let selection = paging.select(&list, "IL", |_| None).unwrap();
            seen.extend(list[selection.range.clone()].iter().map(|i| i.0));
            match selection.next {
                Some(next) => query = next,
                None => break,
            }
        }
        assert_eq!(seen, vec![10, 20, 30, 40, 50]);
    }

    #[test]
    fn previous_links_and_deleted_tokens() {
        let list = items(5);
        let paging = Paging::from_query(Some(&format!(
            "PageSize=2&Page=2&PageToken=PA{}",
            list[3].1
        )))
        .unwrap();
        let selection = paging.select(&list, "IL", |_| None).unwrap();
        assert_eq!(selection.range, 4..5);
        assert_eq!(selection.next, None);
        assert_eq!(
            selection.previous.as_deref(),
            Some(&*format!("PageSize=2&Page=1&PageToken=PA{}", list[1].1))
        );
        // A token naming a deleted item resumes after where it was.
        let gone = format!("IL{:032x}", 99);
        let paging =
            Paging::from_query(Some(&format!("PageSize=2&Page=1&PageToken=PA{gone}"))).unwrap();
        let selection = paging.select(&list, "IL", |_| Some(25)).unwrap();
        assert_eq!(selection.range, 2..4);
        assert!(paging.select(&list, "IL", |_| None).is_err());
        assert!(paging.select(&list, "IP", |_| Some(25)).is_err());
        let before =
            Paging::from_query(Some(&format!("PageSize=2&PageToken=PB{}", list[3].1))).unwrap();
        assert_eq!(before.select(&list, "IL", |_| None).unwrap().range, 1..3);
    }

    #[test]
    fn envelopes() {
        let list = items(3);
        let paging = Paging::from_query(Some("PageSize=2")).unwrap();
        let selection = paging.select(&list, "IL", |_| None).unwrap();
        let v1 = paging.v1_envelope(
            "ip_records",
            "http://h",
            "/v1/IpRecords",
            &selection,
            vec![],
        );
        assert_eq!(v1["meta"]["url"], "http://h/v1/IpRecords?PageSize=2&Page=0");
        assert_eq!(
            v1["meta"]["first_page_url"],
            "http://h/v1/IpRecords?PageSize=2&Page=0"
        );
        assert_eq!(v1["meta"]["previous_page_url"], Value::Null);
        assert_eq!(
            v1["meta"]["next_page_url"],
            format!(
                "http://h/v1/IpRecords?PageSize=2&Page=1&PageToken=PA{}",
                list[1].1
            )
        );
        let v2010 = paging.v2010_envelope("ip_addresses", "/p.json", &selection, vec![]);
        assert_eq!(
            (v2010["start"].as_u64(), v2010["end"].as_u64()),
            (Some(0), Some(1))
        );
        assert_eq!(v2010["uri"], "/p.json?PageSize=2&Page=0");
    }
}
