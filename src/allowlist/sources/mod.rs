//! Address sources: entries of an `addresses` array whose addresses are read when the file is
//! loaded, not written in it: the A records of a host name ([`dns`]), the lines of a file
//! ([`file`]), or a feed fetched over HTTP(S) ([`feed`]).
//!
//! They are resolved, all at once, before the file is validated: each source becomes the
//! addresses it gave, as if they were written in its place (as `{ set = … }` is expanded), each
//! remembering its source for the plan ([`AddressOrigin`]). What a source gives is input: every
//! value is checked with the rules of a written entry, and a source that fails or gives nothing
//! refuses the whole file (fail closed) unless its entry says `optional = true`.

mod dns;
mod feed;
mod file;
mod shrink;

use std::{fmt, net::SocketAddr, path::PathBuf, time::Duration};

use serde::{Deserialize, Serialize};

pub(crate) use feed::Format;
pub(crate) use shrink::{ShrinkGuard, check_shrink};

use super::desired::parse_cidr;

/// Where an address comes from when it is not written in the list itself: the set it is
/// written in and the source that gave it. The plan shows it after the address, `(set
/// "carrier-a", dns "sbc1.example.com")`, and the plan document has its two keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AddressOrigin {
    /// The set it comes from (`[sets.NAME]`, the one it is written in), when it is not written
    /// in the list itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<String>,
    /// The source that gave it (`{ dns = … }`, `{ file = … }`, `{ url = … }`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

impl AddressOrigin {
    /// Whether it says nothing (the address is written in the list itself).
    pub fn is_empty(&self) -> bool {
        self.set.is_none() && self.source.is_none()
    }
}

/// ` (set "carrier-a", dns "sbc1.example.com")`, or nothing for an address written in the
/// list itself.
impl fmt::Display for AddressOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = (self.set.iter().map(|s| format!("set {s:?}")))
            .chain(self.source.iter().map(ToString::to_string))
            .collect();
        if parts.is_empty() {
            return Ok(());
        }
        write!(f, " ({})", parts.join(", "))
    }
}

/// A source as the plan names it: the host name, the file as written, or the feed's URL
/// (without its credentials and query, which may hold secrets).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum SourceRef {
    /// `{ dns = "sbc1.example.com" }`: the host name's A records.
    Dns(String),
    /// `{ file = "carrier.txt" }`: the file, as written (relative to the allowlist file).
    File(String),
    /// `{ url = "https://…" }`: the feed, as shown (no user, password or query).
    Url(String),
}

/// `dns "sbc1.example.com"`, `file "carrier.txt"`, `url "https://example.com/ranges.json"`.
impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceRef::Dns(host) => write!(f, "dns {host:?}"),
            SourceRef::File(path) => write!(f, "file {path:?}"),
            SourceRef::Url(url) => write!(f, "url {url:?}"),
        }
    }
}

/// One source entry of an `addresses` array, as the file says it (checked, not yet read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Source {
    pub(crate) kind: SourceKind,
    /// `name`: the `FriendlyName` of every address it gives, instead of the default (the host
    /// name for DNS, the path as written for a file, the host and path for a feed).
    pub(crate) name: Option<String>,
    /// `optional = true`: a failure or an empty answer is a warning, and the source gives
    /// nothing.
    pub(crate) optional: bool,
    /// `max_shrink_percent`: how much of what it gives a live list it may stop giving in one
    /// plan, in percent (default [`DEFAULT_MAX_SHRINK_PERCENT`]; 100 turns the guard off).
    pub(crate) max_shrink_percent: u8,
}

/// The default `max_shrink_percent` of a source: a plan may drop at most half of what a source
/// gave a live list.
pub const DEFAULT_MAX_SHRINK_PERCENT: u8 = 50;

/// What a source reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SourceKind {
    Dns(String),
    File(String),
    Url(url::Url, Format),
}

impl Source {
    /// Reads an entry's table (`dns`, `file` or `url` is in it); the errors name the key.
    pub(crate) fn from_table(mut table: toml::Table) -> Result<Source, String> {
        let text = |table: &mut toml::Table, key: &str| match table.remove(key) {
            None => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(format!("`{key}` must be a string")),
        };
        let name = text(&mut table, "name")?;
        let optional = match table.remove("optional") {
            None => false,
            Some(toml::Value::Boolean(b)) => b,
            Some(_) => return Err("`optional` must be true or false".into()),
        };
        let max_shrink_percent = match table.remove("max_shrink_percent") {
            None => DEFAULT_MAX_SHRINK_PERCENT,
            Some(toml::Value::Integer(n)) if (0..=100).contains(&n) => n as u8,
            Some(_) => {
                return Err(
                    "`max_shrink_percent` must be a whole number from 0 to 100 (100: no limit)"
                        .into(),
                );
            }
        };
        let kind = if let Some(host) = text(&mut table, "dns")? {
            SourceKind::Dns(dns::check_host(&host)?)
        } else if let Some(path) = text(&mut table, "file")? {
            if path.trim().is_empty() {
                return Err("`file` is empty: give the path of a file of addresses".into());
            }
            SourceKind::File(path)
        } else if let Some(url) = text(&mut table, "url")? {
            let format = text(&mut table, "format")?;
            let path = text(&mut table, "path")?;
            let (url, format) = feed::check(&url, format.as_deref(), path.as_deref())?;
            SourceKind::Url(url, format)
        } else {
            return Err("a source says `dns`, `file` or `url`".into());
        };
        if let Some(key) = table.keys().next() {
            let keys = match kind {
                SourceKind::Dns(_) => "`dns`, `name`, `optional`, `max_shrink_percent`",
                SourceKind::File(_) => "`file`, `name`, `optional`, `max_shrink_percent`",
                SourceKind::Url(..) => {
                    "`url`, `format`, `path`, `name`, `optional`, `max_shrink_percent`"
                }
            };
            return Err(format!("unknown key `{key}` (this source has {keys})"));
        }
        Ok(Source {
            kind,
            name,
            optional,
            max_shrink_percent,
        })
    }

    /// Whether a table of `addresses` is a source entry.
    pub(crate) fn is_source(table: &toml::Table) -> bool {
        ["dns", "file", "url"]
            .iter()
            .any(|k| table.contains_key(*k))
    }

    /// The one name of every address it gives: its `name`, or else the source itself (a DNS
    /// source's host name, a file as written, a feed's host and path). The shrink guard knows
    /// the source's live addresses by it, so every source has one.
    pub(crate) fn common_name(&self) -> String {
        match (&self.name, &self.kind) {
            (Some(name), _) => name.clone(),
            (None, SourceKind::Dns(host)) => host.trim_end_matches('.').to_owned(),
            (None, SourceKind::File(path)) => path.clone(),
            (None, SourceKind::Url(url, _)) => feed::named(url),
        }
    }

    /// How the plan names it.
    pub(crate) fn reference(&self) -> SourceRef {
        match &self.kind {
            SourceKind::Dns(host) => SourceRef::Dns(host.clone()),
            SourceKind::File(path) => SourceRef::File(path.clone()),
            SourceKind::Url(url, _) => SourceRef::Url(feed::shown(url)),
        }
    }

    /// Checks what the source gave: the addresses, each with its name, in the order given (the
    /// same one twice is kept once), and the warnings (IPv6 values skipped).
    fn check(&self, items: Vec<Item>) -> Result<Found, SourceError> {
        let reference = self.reference();
        let mut found = Found::default();
        let mut seen = std::collections::HashSet::new();
        let mut ipv6 = Vec::new();
        for item in items {
            let text = item.text.trim();
            let (ip, prefix) = match parse_cidr(text) {
                Ok(cidr) => cidr,
                // Twilio's lists hold IPv4 only; feeds often publish both families.
                Err(_) if is_ipv6(text) => {
                    ipv6.push(item);
                    continue;
                }
                Err(reason) => {
                    return Err(SourceError::Invalid {
                        at: item.at(&reference),
                        text: text.to_owned(),
                        reason,
                    });
                }
            };
            // Published lists repeat a range (once per service or region): keep it once.
            if !seen.insert((ip, prefix)) {
                continue;
            }
            let name = self.common_name();
            found.addresses.push(FoundAddress { ip, prefix, name });
        }
        if let Some(first) = ipv6.first() {
            found.warnings.push(format!(
                "{reference}: skipped {} IPv6 value(s) (Twilio's IP access control lists hold IPv4 only), the first {:?} at {}",
                ipv6.len(),
                first.text.trim(),
                first.at(&reference),
            ));
        }
        if found.addresses.is_empty() {
            return Err(SourceError::Empty {
                from: reference.to_string(),
                skipped_ipv6: ipv6.len(),
            });
        }
        Ok(found)
    }
}

fn is_ipv6(text: &str) -> bool {
    let ip = text.split_once('/').map_or(text, |(ip, _)| ip);
    ip.parse::<std::net::Ipv6Addr>().is_ok()
}

/// One value a source gave, before it is checked, and where it is in the source.
pub(crate) struct Item {
    pub(crate) text: String,
    pub(crate) position: Position,
}

/// Where a value is in its source, for errors.
pub(crate) enum Position {
    /// The line of a file or `lines` feed, from 1.
    Line(usize),
    /// The normalized JSONPath of a value of a `json` feed (`$['prefixes'][3]['ip_prefix']`).
    Path(String),
    /// An A record of the answer.
    Record,
}

impl Item {
    /// `carrier.txt:4`, `url "https://…" at $['prefixes'][3]`, `dns "sbc1.example.com"`.
    fn at(&self, reference: &SourceRef) -> String {
        match (&self.position, reference) {
            (Position::Line(line), SourceRef::File(path)) => format!("{path}:{line}"),
            (Position::Line(line), _) => format!("{reference} line {line}"),
            (Position::Path(path), _) => format!("{reference} at {path}"),
            (Position::Record, _) => reference.to_string(),
        }
    }
}

/// What a source gave, checked.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub(crate) addresses: Vec<FoundAddress>,
    pub(crate) warnings: Vec<String>,
}

/// One address a source gave, checked: identity and `FriendlyName`.
#[derive(Debug)]
pub(crate) struct FoundAddress {
    pub(crate) ip: std::net::Ipv4Addr,
    pub(crate) prefix: u8,
    pub(crate) name: String,
}

impl FoundAddress {
    /// The identity as CIDR text, as a written entry would say it.
    pub(crate) fn cidr(&self) -> String {
        format!("{}/{}", self.ip, self.prefix)
    }
}

/// How sources are read: whether feeds may be fetched, which name servers answer, where
/// relative files are, and the limits of a read.
///
/// ```
/// use std::time::Duration;
/// use twilio_ip_access::allowlist::SourceOptions;
///
/// let options = SourceOptions::default()
///     .allow_fetch(true)
///     .nameserver("127.0.0.1:5353".parse()?)
///     .timeout(Duration::from_secs(2));
/// assert!(options.fetch_allowed());
/// # Ok::<(), std::net::AddrParseError>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct SourceOptions {
    allow_fetch: bool,
    nameservers: Vec<SocketAddr>,
    base_dir: PathBuf,
    timeout: Duration,
    max_feed_bytes: u64,
}

/// How long one DNS query or one feed's fetch may take, by default.
pub const DEFAULT_SOURCE_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest feed read, by default, in bytes (8 MiB: published range lists are a few MB).
pub const DEFAULT_MAX_FEED_BYTES: u64 = 8 << 20;

impl Default for SourceOptions {
    fn default() -> Self {
        Self {
            allow_fetch: false,
            nameservers: Vec::new(),
            base_dir: PathBuf::from("."),
            timeout: DEFAULT_SOURCE_TIMEOUT,
            max_feed_bytes: DEFAULT_MAX_FEED_BYTES,
        }
    }
}

impl SourceOptions {
    /// Whether `{ url = … }` feeds may be fetched (default: no; a file that has one is refused,
    /// naming the entry).
    pub fn allow_fetch(mut self, allow: bool) -> Self {
        self.allow_fetch = allow;
        self
    }

    /// Whether feeds may be fetched.
    pub fn fetch_allowed(&self) -> bool {
        self.allow_fetch
    }

    /// Asks this name server (UDP, then TCP for long answers) instead of the system's
    /// configuration; repeat for more. With none, the system's configuration
    /// (`/etc/resolv.conf`, and `/etc/hosts`) is used.
    pub fn nameserver(mut self, server: SocketAddr) -> Self {
        self.nameservers.push(server);
        self
    }

    /// The folder `{ file = … }` paths are relative to: the allowlist file's own (default: the
    /// current directory).
    pub fn base_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.base_dir = dir.into();
        self
    }

    /// How long one DNS query (each of its attempts) or one feed's whole fetch may take
    /// (default [`DEFAULT_SOURCE_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The largest feed accepted, in bytes (default [`DEFAULT_MAX_FEED_BYTES`]); a larger one
    /// is refused.
    pub fn max_feed_bytes(mut self, bytes: u64) -> Self {
        self.max_feed_bytes = bytes;
        self
    }
}

/// Why a source gave no usable addresses. Each names the source; none holds a secret (a feed's
/// URL is shown without its user, password and query).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The host name does not exist (NXDOMAIN).
    #[error("{host} does not exist (NXDOMAIN)")]
    NxDomain {
        /// The host name.
        host: String,
    },
    /// A DNS query or a feed's fetch took longer than the timeout.
    #[error("{from}: no answer within {after:?}")]
    Timeout {
        /// The source.
        from: String,
        /// The timeout.
        after: Duration,
    },
    /// The DNS lookup failed otherwise (SERVFAIL, refused, no name server reachable).
    #[error("looking up {host} failed: {reason}")]
    Dns {
        /// The host name.
        host: String,
        /// The resolver's reason.
        reason: String,
    },
    /// A file could not be read.
    #[error("cannot read {path}: {reason}")]
    Read {
        /// The file, as resolved against the allowlist file's folder.
        path: String,
        /// The system's reason.
        reason: String,
    },
    /// Fetching is not allowed.
    #[error(
        "{from} is fetched only when fetching is allowed: pass --allow-fetch (SourceOptions::allow_fetch in a program); nothing was fetched"
    )]
    FetchNotAllowed {
        /// The feed.
        from: String,
    },
    /// The feed could not be fetched (connection, TLS, redirect loop).
    #[error("fetching {from} failed: {reason}")]
    Fetch {
        /// The feed.
        from: String,
        /// Why.
        reason: String,
    },
    /// The feed answered with an HTTP error.
    #[error("{from} answered HTTP {status}")]
    Http {
        /// The feed.
        from: String,
        /// The status code.
        status: u16,
    },
    /// The feed is larger than the limit.
    #[error("{from} is larger than {limit} bytes; refused (raise the limit if this is expected)")]
    TooLarge {
        /// The feed.
        from: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The body is not what the format says (not UTF-8, not JSON, a value that is not a string).
    #[error("{from}: {reason}")]
    Unparsable {
        /// The source.
        from: String,
        /// What is wrong, and where.
        reason: String,
    },
    /// A value is not a valid IPv4 address or range (host bits, `/0`, not an address).
    #[error("{at}: {text:?}: {reason}")]
    Invalid {
        /// Where: `carrier.txt:4`, or the source and the value's line or JSONPath.
        at: String,
        /// The value.
        text: String,
        /// Why.
        reason: String,
    },
    /// The source gave no IPv4 address.
    #[error("{from} gave no IPv4 address{}", ipv6_note(*.skipped_ipv6))]
    Empty {
        /// The source.
        from: String,
        /// How many IPv6 values were skipped.
        skipped_ipv6: usize,
    },
}

fn ipv6_note(skipped: usize) -> String {
    if skipped == 0 {
        String::new()
    } else {
        format!(" (only {skipped} IPv6 value(s), which Twilio's lists cannot hold)")
    }
}

/// What reading needs, made once for all the sources of a file: the resolver and the HTTP
/// client (each only when a source needs it).
pub(crate) struct Readers<'a> {
    options: &'a SourceOptions,
    resolver: Option<Result<dns::Resolver, String>>,
    http: Option<Result<reqwest::Client, String>>,
}

impl<'a> Readers<'a> {
    pub(crate) fn new(sources: &[&Source], options: &'a SourceOptions) -> Self {
        let any = |f: fn(&SourceKind) -> bool| sources.iter().any(|s| f(&s.kind));
        Self {
            options,
            resolver: any(|k| matches!(k, SourceKind::Dns(_))).then(|| dns::resolver(options)),
            http: (options.allow_fetch && any(|k| matches!(k, SourceKind::Url(..))))
                .then(|| feed::client(options)),
        }
    }

    /// Reads one source and checks what it gave.
    pub(crate) async fn read(&self, source: &Source) -> Result<Found, SourceError> {
        let reference = source.reference();
        let items = match &source.kind {
            SourceKind::Dns(host) => {
                // `new` made one (or found why it cannot) since there is a DNS source.
                let resolver = match &self.resolver {
                    Some(Ok(resolver)) => resolver,
                    other => {
                        return Err(SourceError::Dns {
                            host: host.clone(),
                            reason: format!(
                                "no resolver: {}",
                                other
                                    .as_ref()
                                    .and_then(|r| r.as_ref().err())
                                    .map_or("", |e| e)
                            ),
                        });
                    }
                };
                dns::read(resolver, host, self.options).await?
            }
            SourceKind::File(path) => file::read(path, self.options).await?,
            SourceKind::Url(url, format) => {
                let Some(http) = &self.http else {
                    return Err(SourceError::FetchNotAllowed {
                        from: reference.to_string(),
                    });
                };
                let http = http.as_ref().map_err(|reason| SourceError::Fetch {
                    from: reference.to_string(),
                    reason: reason.clone(),
                })?;
                feed::read(http, url, format, &reference, self.options).await?
            }
        };
        source.check(items)
    }

    /// Reads several sources at once; the results are in the same order.
    pub(crate) async fn read_all(&self, sources: &[&Source]) -> Vec<Result<Found, SourceError>> {
        futures_util::future::join_all(sources.iter().map(|s| self.read(s))).await
    }
}
