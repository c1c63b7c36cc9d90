//! Pagination across Twilio's two list envelopes.
//!
//! Voice and Trunking (v1) put an absolute `meta.next_page_url` beside the items; the 2010 API a
//! relative `next_page_uri`. Both are followed the same way: the link's path and query are
//! requested verbatim on the configured base URL of the product, so that the next page goes
//! through the same base URL (an emulator, a proxy), region routing, authentication, retries and
//! error mapping as the first. A link becomes a [`PageCursor`], which can be stored as text and
//! resumed later ([`ListRequest::starting_at`]). A link that repeats ends the listing with
//! [`Error::Pagination`] instead of looping.

use std::{
    collections::HashSet,
    fmt,
    future::{Future, IntoFuture},
    pin::Pin,
    str::FromStr,
};

use futures_util::{Stream, StreamExt, TryStreamExt, stream};
use serde::{Deserialize, Serialize};

use crate::{
    error::{Error, Result},
    validate::{self, Checked},
};

/// A collection handle that can fetch one page of its list: implemented by the generated
/// handles of every resource whose spec declares a list operation (`IpRecords`,
/// `SipIpAddresses`, …); it cannot be implemented outside this crate.
pub trait ListPage: Clone + Send + Sync + 'static + private::Sealed {
    /// The resource type the list holds.
    type Item: Send + 'static;

    /// Fetches one page.
    #[doc(hidden)]
    fn list_page(
        &self,
        cursor: PageCursor,
    ) -> impl Future<Output = Result<Page<Self::Item>>> + Send;
}

pub(crate) mod private {
    pub trait Sealed {}
}

/// Where a page starts: a next-page link of the server, or just a query.
///
/// From a link, it keeps the link's path and query, which are requested verbatim, and prints as
/// them; from a bare query (`PageSize=50&Page=1&PageToken=PA…`) it keeps the three parameters,
/// which are sent through the generated list operation. Either way it parses back from what it
/// prints, so a position can be stored as text:
///
/// ```
/// use twilio_ip_access::pagination::PageCursor;
///
/// let link = "https://voice.twilio.com/v1/IpRecords?PageSize=2&Page=1&PageToken=PAabc";
/// let cursor: PageCursor = link.parse()?;
/// assert_eq!(cursor.to_string(), "/v1/IpRecords?PageSize=2&Page=1&PageToken=PAabc");
/// assert_eq!(cursor.page_token.as_deref(), Some("PAabc"));
/// assert_eq!(cursor.to_string().parse::<PageCursor>()?, cursor);
/// # Ok::<(), twilio_ip_access::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PageCursor {
    /// `PageSize`.
    pub page_size: Option<u32>,
    /// `Page`.
    pub page: Option<u64>,
    /// `PageToken`, opaque and issued by Twilio.
    pub page_token: Option<String>,
    /// The server's link, path and query (`/v1/IpRecords?PageSize=50&Page=1&PageToken=PA…`).
    /// When set, it is requested as it is, on the configured base URL, and the three fields
    /// above only describe it.
    pub link: Option<String>,
}

impl PageCursor {
    /// Reads the cursor from a next-page link: absolute (v1 `next_page_url`), relative to the
    /// host (2010 `next_page_uri`), or just its query.
    pub fn from_link(link: &str) -> Result<Self> {
        let bad = |why: String| Error::Pagination {
            reason: format!("next-page link: {why}"),
        };
        let base = url::Url::parse("http://link.invalid/").map_err(|e| bad(e.to_string()))?;
        let link = if link.contains('?') || link.contains('/') {
            link.to_owned()
        } else {
            format!("?{link}")
        };
        let url = base.join(&link).map_err(|e| bad(e.to_string()))?;
        let mut cursor = PageCursor::default();
        if link.contains('/') {
            cursor.link = Some(match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_owned(),
            });
        }
        for (key, value) in url.query_pairs() {
            match &*key {
                "PageSize" => {
                    cursor.page_size = Some(
                        value
                            .parse()
                            .map_err(|_| bad(format!("PageSize `{value}`")))?,
                    )
                }
                "Page" => {
                    cursor.page = Some(value.parse().map_err(|_| bad(format!("Page `{value}`")))?)
                }
                "PageToken" => cursor.page_token = Some(value.into_owned()),
                _ => {}
            }
        }
        Ok(cursor)
    }
}

impl fmt::Display for PageCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(link) = &self.link {
            return f.write_str(link);
        }
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if let Some(n) = self.page_size {
            query.append_pair("PageSize", &n.to_string());
        }
        if let Some(n) = self.page {
            query.append_pair("Page", &n.to_string());
        }
        if let Some(token) = &self.page_token {
            query.append_pair("PageToken", token);
        }
        f.write_str(&query.finish())
    }
}

impl FromStr for PageCursor {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::from_link(s)
    }
}

/// The request for one page, written once for every generated list operation (they all take
/// the same three query parameters): the cursor's link verbatim when it has one, else the
/// generated operation with the cursor's parameters and the given path parameters. `$c` is the
/// generated client made for the call.
macro_rules! list_request {
    ($c:expr, $operation:ident ( $($setter:ident ( $value:expr )),* ), $cursor:expr) => {{
        let cursor: &$crate::pagination::PageCursor = $cursor;
        match &cursor.link {
            Some(link) => futures_util::future::Either::Left($crate::transport::follow(
                $c,
                link,
                stringify!($operation),
            )),
            None => {
                let mut request = $c.$operation()$(.$setter($value))*;
                if let Some(n) = cursor.page_size {
                    request = request.page_size(n);
                }
                if let Some(n) = cursor.page {
                    request = request.page(n);
                }
                if let Some(token) = &cursor.page_token {
                    request = request.page_token(token.clone());
                }
                futures_util::future::Either::Right(request.send())
            }
        }
    }};
}
pub(crate) use list_request;

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    items: Vec<T>,
    next: Option<PageCursor>,
}

impl<T> Page<T> {
    /// A page and the link to the next one, null or empty on the last page.
    pub(crate) fn new(items: Vec<T>, next_link: Option<&str>) -> Result<Self> {
        let next = match next_link.map(str::trim) {
            None | Some("") => None,
            Some(link) => Some(PageCursor::from_link(link)?),
        };
        Ok(Self { items, next })
    }

    /// The items of this page.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The items of this page, owned.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// Where the next page starts, or `None` on the last page.
    pub fn next_cursor(&self) -> Option<&PageCursor> {
        self.next.as_ref()
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// A list request: one page with [`send`](Self::send) (or `.await`), every item lazily with
/// [`stream`](Self::stream), page by page with [`pages`](Self::pages), or all at once with
/// [`collect`](Self::collect).
///
/// ```no_run
/// # async fn run(client: twilio_ip_access::Client) -> Result<(), twilio_ip_access::Error> {
/// use futures_util::TryStreamExt;
///
/// let mut records = std::pin::pin!(client.ip_records().list().page_size(100).limit(250).stream());
/// while let Some(record) = records.try_next().await? {
///     println!("{:?}", record.sid);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a list request does nothing until it is sent or streamed"]
pub struct ListRequest<R> {
    resource: R,
    page_size: Option<Checked<u32>>,
    limit: Option<usize>,
    start: Option<PageCursor>,
}

impl<R: ListPage> ListRequest<R> {
    pub(crate) fn new(resource: R) -> Self {
        Self {
            resource,
            page_size: None,
            limit: None,
            start: None,
        }
    }

    /// Items per page, 1 to 1000 (Twilio's default is 50).
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(validate::page_size(page_size));
        self
    }

    /// Stops after this many items in all. Without a page size, pages are sized to the limit
    /// (at most 1000) as Twilio's own libraries do.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Starts at a stored position instead of the first page.
    pub fn starting_at(mut self, cursor: PageCursor) -> Self {
        self.start = Some(cursor);
        self
    }

    /// The query of the first page. Checked here, so that a bad page size (given to the
    /// builder or found in a stored cursor) is reported before anything is sent.
    fn first_cursor(&self) -> Result<PageCursor> {
        let page_size = self.page_size.clone().transpose()?;
        let mut cursor = match &self.start {
            Some(PageCursor {
                link: Some(link), ..
            }) if !link.starts_with('/') || link.starts_with("//") => {
                return Err(Error::Pagination {
                    reason: format!("a cursor's link must be a path on the base URL, got `{link}`"),
                });
            }
            Some(cursor) => cursor.clone(),
            None => PageCursor {
                page_size: page_size.or(self.limit.map(|limit| limit.clamp(1, 1000) as u32)),
                ..PageCursor::default()
            },
        };
        cursor.page_size = match cursor.page_size.or(page_size) {
            Some(size) => Some(validate::page_size(size)?),
            None => None,
        };
        Ok(cursor)
    }

    /// Fetches one page: the first, or the one [`starting_at`](Self::starting_at) names. With a
    /// limit, the page holds at most that many items; with `limit(0)`, nothing is sent and the
    /// page is empty.
    pub async fn send(self) -> Result<Page<R::Item>> {
        let mut pages = std::pin::pin!(self.pages());
        match pages.next().await {
            Some(page) => page,
            None => Ok(Page {
                items: Vec::new(),
                next: None,
            }),
        }
    }

    /// Every page in turn, fetched lazily, each only when the previous one has been taken.
    /// With a limit, the page that reaches it is cut short and is the last one (its
    /// [`next_cursor`](Page::next_cursor) still points after the whole server page).
    pub fn pages(self) -> impl Stream<Item = Result<Page<R::Item>>> + Send + 'static {
        enum Step {
            Fetch(PageCursor),
            Fail(Error),
            Done,
        }
        let first = match self.first_cursor() {
            Ok(_) if self.limit == Some(0) => Step::Done,
            Ok(cursor) => Step::Fetch(cursor),
            Err(e) => Step::Fail(e),
        };
        let mut seen = HashSet::new();
        if let Step::Fetch(cursor) = &first {
            seen.insert(cursor.clone());
        }
        let resource = self.resource;
        let remaining = self.limit;
        stream::unfold(
            (first, seen, remaining),
            move |(step, mut seen, remaining)| {
                let resource = resource.clone();
                async move {
                    match step {
                        Step::Done => None,
                        Step::Fail(e) => Some((Err(e), (Step::Done, seen, remaining))),
                        Step::Fetch(cursor) => match resource.list_page(cursor).await {
                            Err(e) => Some((Err(e), (Step::Done, seen, remaining))),
                            Ok(mut page) => {
                                let remaining = remaining.map(|left| {
                                    page.items.truncate(left);
                                    left - page.items.len()
                                });
                                let next = match &page.next {
                                    _ if remaining == Some(0) => Step::Done,
                                    None => Step::Done,
                                    Some(next) if seen.insert(next.clone()) => {
                                        Step::Fetch(next.clone())
                                    }
                                    Some(next) => Step::Fail(Error::Pagination {
                                        reason: format!(
                                            "the server sent a next-page link already followed ({next})"
                                        ),
                                    }),
                                };
                                Some((Ok(page), (next, seen, remaining)))
                            }
                        },
                    }
                }
            },
        )
    }

    /// Every item across pages, fetched lazily. Ends after [`limit`](Self::limit) items, or at
    /// the first error.
    pub fn stream(self) -> impl Stream<Item = Result<R::Item>> + Send + 'static {
        self.pages()
            .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
            .try_flatten()
    }

    /// Every item across pages (up to the limit) in one `Vec`.
    pub async fn collect(self) -> Result<Vec<R::Item>> {
        self.stream().try_collect().await
    }
}

impl<R: ListPage> IntoFuture for ListRequest<R> {
    type Output = Result<Page<R::Item>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_from_both_link_shapes() {
        let v1 = PageCursor::from_link(
            "https://voice.twilio.com/v1/IpRecords?PageSize=50&Page=1&PageToken=PA123",
        )
        .unwrap();
        let v2010 = PageCursor::from_link(
            "/2010-04-01/Accounts/ACa/SIP/IpAccessControlLists/ALa/IpAddresses.json?PageSize=50&Page=1&PageToken=PA123",
        )
        .unwrap();
        let expected = |link: &str| PageCursor {
            page_size: Some(50),
            page: Some(1),
            page_token: Some("PA123".into()),
            link: Some(link.into()),
        };
        assert_eq!(
            v1,
            expected("/v1/IpRecords?PageSize=50&Page=1&PageToken=PA123")
        );
        assert_eq!(
            v2010,
            expected(
                "/2010-04-01/Accounts/ACa/SIP/IpAccessControlLists/ALa/IpAddresses.json?PageSize=50&Page=1&PageToken=PA123"
            )
        );
        // A bare query has no link: it goes through the generated operation.
        let bare = PageCursor::from_link("PageSize=50&Page=1&PageToken=PA123").unwrap();
        assert_eq!(
            bare,
            PageCursor {
                link: None,
                ..expected("")
            }
        );
        assert_eq!(bare.to_string(), "PageSize=50&Page=1&PageToken=PA123");
        assert!(matches!(
            PageCursor::from_link("/x?PageSize=big"),
            Err(Error::Pagination { .. })
        ));
    }

    #[test]
    fn page_ends_on_null_or_empty_link() {
        assert_eq!(Page::<u8>::new(vec![], None).unwrap().next_cursor(), None);
        assert_eq!(
            Page::<u8>::new(vec![], Some("")).unwrap().next_cursor(),
            None
        );
        assert!(
            Page::<u8>::new(vec![], Some("/x?Page=2"))
                .unwrap()
                .next_cursor()
                .is_some()
        );
    }
}
