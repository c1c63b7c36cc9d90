//! The desired state: parsing a TOML file with the position of every entry, building one in
//! code, validating both the same way, and writing one back as TOML.

use std::{collections::BTreeMap, fmt, net::Ipv4Addr};

use serde::Deserialize;
use toml::Spanned;

pub use crate::MAX_ADDRESSES_PER_LIST;
/// The longest `FriendlyName` Twilio accepts, in characters.
pub const MAX_NAME_CHARS: usize = 255;

/// Where an entry was written: its line and column (from 1) and its source text. Not part of
/// a desired state's value: two states that say the same are equal wherever they were written
/// (the `PartialEq`s below leave it out).
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) entry: String,
}

/// A desired-state file refused: which file, where, which list and entry, and why. Everything
/// is checked before any request is sent.
///
/// ```
/// use twilio_ip_access::allowlist::Desired;
///
/// let text = "[lists.office]\naddresses = [\"198.51.100.7/24\"]\ntrunks = []\nsip_domains = []\n";
/// let err = Desired::from_toml(text, "allowlist.toml").unwrap_err();
/// assert_eq!((err.file(), err.line(), err.column()), (Some("allowlist.toml"), Some(2), Some(14)));
/// assert_eq!(err.entry(), Some("\"198.51.100.7/24\""));
/// assert!(err.to_string().contains("198.51.100.0/24"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredError(Box<Details>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Details {
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    list: Option<String>,
    entry: Option<String>,
    reason: String,
}

impl DesiredError {
    pub(crate) fn new(
        file: Option<&str>,
        origin: Option<&Origin>,
        list: Option<&str>,
        entry: Option<String>,
        reason: impl Into<String>,
    ) -> Self {
        Self(Box::new(Details {
            file: file.map(str::to_owned),
            line: origin.map(|o| o.line),
            column: origin.map(|o| o.column),
            list: list.map(str::to_owned),
            entry: origin
                .map(|o| o.entry.clone())
                .filter(|e| !e.is_empty())
                .or(entry),
            reason: reason.into(),
        }))
    }

    /// The file's name, as given to [`Desired::from_toml`] (`None` for a state built in code).
    pub fn file(&self) -> Option<&str> {
        self.0.file.as_deref()
    }

    /// The line of the entry, from 1.
    pub fn line(&self) -> Option<usize> {
        self.0.line
    }

    /// The column of the entry, from 1, in characters.
    pub fn column(&self) -> Option<usize> {
        self.0.column
    }

    /// The list the entry belongs to, by name.
    pub fn list(&self) -> Option<&str> {
        self.0.list.as_deref()
    }

    /// The entry as written (its TOML source text, or the text given to the builder).
    pub fn entry(&self) -> Option<&str> {
        self.0.entry.as_deref()
    }

    /// Why it is refused.
    pub fn reason(&self) -> &str {
        &self.0.reason
    }
}

impl fmt::Display for DesiredError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        match (&d.file, d.line, d.column) {
            (Some(file), Some(line), Some(column)) => write!(f, "{file}:{line}:{column}: ")?,
            (Some(file), _, _) => write!(f, "{file}: ")?,
            (None, Some(line), Some(column)) => write!(f, "line {line}, column {column}: ")?,
            _ => {}
        }
        match (&d.list, &d.entry) {
            (Some(list), Some(entry)) => write!(f, "list {list:?}, entry {entry}: ")?,
            (Some(list), None) => write!(f, "list {list:?}: ")?,
            (None, Some(entry)) => write!(f, "entry {entry}: ")?,
            (None, None) => {}
        }
        f.write_str(&d.reason)
    }
}

impl std::error::Error for DesiredError {}

/// A trunk or SIP domain as the file names it (a SID or a name), with where it was written.
#[derive(Debug, Clone)]
pub(crate) struct Reference {
    pub(crate) text: String,
    pub(crate) origin: Option<Origin>,
}

impl PartialEq for Reference {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Reference {}

/// One address of a list: its identity (IPv4 address and CIDR prefix length) and its
/// `FriendlyName`. Equality compares those, not where they were written.
#[derive(Debug, Clone)]
pub struct DesiredAddress {
    ip: Ipv4Addr,
    prefix: u8,
    name: String,
    pub(crate) origin: Option<Origin>,
}

impl PartialEq for DesiredAddress {
    fn eq(&self, other: &Self) -> bool {
        (self.ip, self.prefix, &self.name) == (other.ip, other.prefix, &other.name)
    }
}

impl Eq for DesiredAddress {}

impl DesiredAddress {
    /// `IpAddress`: the address, or the network's first address for a range.
    pub fn ip(&self) -> Ipv4Addr {
        self.ip
    }

    /// `CidrPrefixLength`, 1 to 32 (32 for one address).
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// `FriendlyName`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The identity as CIDR text, `198.51.100.0/24` (always with the prefix).
    pub fn cidr(&self) -> String {
        format!("{}/{}", self.ip, self.prefix)
    }

    pub(crate) fn key(&self) -> (Ipv4Addr, u8) {
        (self.ip, self.prefix)
    }

    pub(crate) fn exported(ip: Ipv4Addr, prefix: u8, name: String) -> Self {
        Self {
            ip,
            prefix,
            name,
            origin: None,
        }
    }
}

/// One IP access control list as the desired state names it (by `FriendlyName`). Equality
/// compares what it says, not where it was written.
#[derive(Debug, Clone)]
pub struct DesiredList {
    name: String,
    pub(crate) origin: Option<Origin>,
    addresses: Vec<DesiredAddress>,
    pub(crate) trunks: Vec<Reference>,
    pub(crate) sip_domains: Vec<Reference>,
}

impl PartialEq for DesiredList {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.addresses == other.addresses
            && self.trunks == other.trunks
            && self.sip_domains == other.sip_domains
    }
}

impl Eq for DesiredList {}

impl DesiredList {
    /// The list's `FriendlyName`, which identifies it in the account.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its addresses, in the order written.
    pub fn addresses(&self) -> &[DesiredAddress] {
        &self.addresses
    }

    /// The trunks it is attached to, as written: SIDs (`TK…`) or `FriendlyName`s.
    pub fn trunks(&self) -> impl Iterator<Item = &str> {
        self.trunks.iter().map(|r| r.text.as_str())
    }

    /// The SIP domains whose calls it is mapped to, as written: SIDs (`SD…`) or domain names.
    pub fn sip_domains(&self) -> impl Iterator<Item = &str> {
        self.sip_domains.iter().map(|r| r.text.as_str())
    }

    pub(crate) fn exported(
        name: String,
        addresses: Vec<DesiredAddress>,
        trunks: Vec<String>,
        sip_domains: Vec<String>,
    ) -> Self {
        let reference = |text| Reference { text, origin: None };
        Self {
            name,
            origin: None,
            addresses,
            trunks: trunks.into_iter().map(reference).collect(),
            sip_domains: sip_domains.into_iter().map(reference).collect(),
        }
    }
}

/// The desired state of some IP access control lists: for each list it names, exactly which
/// addresses it holds, which trunks it is attached to and which SIP domains' calls it is mapped
/// to. Lists it does not name are left alone.
///
/// Read one from a file with [`from_toml`](Self::from_toml), or build one with
/// [`builder`](Self::builder); both are checked the same way.
///
/// ```
/// use twilio_ip_access::allowlist::{Desired, ListBuilder};
///
/// let desired = Desired::builder()
///     .list(
///         ListBuilder::new("office allowlist")
///             .address("198.51.100.7")
///             .address("198.51.100.0/24")
///             .named_address("203.0.113.10", "sbc-frankfurt")
///             .trunk("my trunk")
///             .sip_domain("acme.sip.twilio.com"),
///     )
///     .build()?;
/// let office = &desired.lists()[0];
/// assert_eq!(office.addresses()[1].cidr(), "198.51.100.0/24");
/// assert_eq!(office.addresses()[1].name(), "198.51.100.0/24");
/// assert_eq!(Desired::from_toml(&desired.to_toml(), "again.toml")?.lists(), desired.lists());
/// # Ok::<(), twilio_ip_access::allowlist::DesiredError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Desired {
    file: Option<String>,
    lists: Vec<DesiredList>,
    /// Remarks written as comments at the top of [`to_toml`](Self::to_toml) (from `export`).
    notes: Vec<String>,
}

impl Desired {
    /// A builder for a desired state made in code.
    pub fn builder() -> DesiredBuilder {
        DesiredBuilder::default()
    }

    /// Reads a desired-state file (see the module documentation for the format). `file_name`
    /// is only used in error messages.
    ///
    /// # Errors
    ///
    /// The first problem found, with the file, line, column and entry: TOML syntax, an unknown
    /// or missing key, an invalid IPv4 address or prefix, `/0`, host bits set in a range, the
    /// same entry twice, more than 100 addresses, a name that is empty or over 255 characters.
    pub fn from_toml(text: &str, file_name: impl Into<String>) -> Result<Desired, DesiredError> {
        let file = file_name.into();
        let fail = |origin: Option<Origin>, reason: String| {
            DesiredError::new(Some(&file), origin.as_ref(), None, None, reason)
        };
        let document: Document = toml::from_str(text).map_err(|e| {
            let origin = e.span().map(|span| origin(text, span));
            fail(origin, e.message().trim_end().to_owned())
        })?;
        let mut lists: Vec<_> = document.lists.into_iter().collect();
        // Back into the file's order.
        lists.sort_by_key(|(key, _)| key.span().start);
        let mut raw = Vec::with_capacity(lists.len());
        for (key, table) in lists {
            let list_origin = origin(text, key.span());
            let name = key.into_inner();
            let table = table.into_inner();
            let missing = |field: &str, example: &str| {
                DesiredError::new(
                    Some(&file),
                    Some(&list_origin),
                    Some(&name),
                    None,
                    format!(
                        "`{field}` is missing; the file is the truth for the lists it names, so say it even when empty (`{field} = []`{example})"
                    ),
                )
            };
            let addresses = table
                .addresses
                .ok_or_else(|| missing("addresses", ": an empty list allows no one"))?;
            let trunks = table
                .trunks
                .ok_or_else(|| missing("trunks", " to attach the list to no trunk"))?;
            let sip_domains = table
                .sip_domains
                .ok_or_else(|| missing("sip_domains", " to map the list to no SIP domain"))?;
            let mut entries = Vec::with_capacity(addresses.len());
            for value in addresses {
                let entry_origin = origin(text, value.span());
                let (ip, name_given) = address_fields(value.into_inner()).map_err(|reason| {
                    DesiredError::new(Some(&file), Some(&entry_origin), Some(&name), None, reason)
                })?;
                entries.push(RawAddress {
                    ip,
                    name: name_given,
                    origin: Some(entry_origin),
                });
            }
            let reference = |r: Spanned<String>| Reference {
                origin: Some(origin(text, r.span())),
                text: r.into_inner(),
            };
            raw.push(RawList {
                name,
                origin: Some(list_origin),
                addresses: entries,
                trunks: trunks.into_iter().map(reference).collect(),
                sip_domains: sip_domains.into_iter().map(reference).collect(),
            });
        }
        validate(Some(file.clone()), raw)
    }

    /// The lists it names, in the order written.
    pub fn lists(&self) -> &[DesiredList] {
        &self.lists
    }

    /// One list, by name.
    pub fn list(&self, name: &str) -> Option<&DesiredList> {
        self.lists.iter().find(|l| l.name == name)
    }

    /// The file it was read from, as named to [`from_toml`](Self::from_toml).
    pub fn file_name(&self) -> Option<&str> {
        self.file.as_deref()
    }

    /// Remarks about entries that could not be written exactly as they are live (an
    /// [`export`](super::export) of a range with host bits set, of an empty name); they head the
    /// TOML as comments.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    pub(crate) fn exported(lists: Vec<DesiredList>, notes: Vec<String>) -> Self {
        Self {
            file: None,
            lists,
            notes,
        }
    }

    /// The desired state as a TOML file that [`from_toml`](Self::from_toml) reads back to the
    /// same lists: one address per line, written the shortest way that keeps its name
    /// (`"198.51.100.7"` when the name is the address, else `{ ip = "…", name = "…" }`).
    pub fn to_toml(&self) -> String {
        let mut out = String::from(
            "# Desired state of Twilio IP access control lists, for `twilio-allowlist plan -f FILE`.\n\
             # Each list named here gets exactly these addresses, trunks and SIP domains.\n",
        );
        for note in &self.notes {
            out.push_str("# note: ");
            out.push_str(&note.replace('\n', " "));
            out.push('\n');
        }
        for list in &self.lists {
            out.push_str(&format!("\n[lists.{}]\n", key(&list.name)));
            if list.addresses.is_empty() {
                out.push_str("addresses = []\n");
            } else {
                out.push_str("addresses = [\n");
                for address in &list.addresses {
                    out.push_str("  ");
                    let short = if address.prefix == 32 {
                        address.ip.to_string()
                    } else {
                        address.cidr()
                    };
                    if parse_cidr(&address.name).ok() == Some(address.key()) {
                        out.push_str(&quote(&address.name));
                    } else {
                        out.push_str(&format!(
                            "{{ ip = {}, name = {} }}",
                            quote(&short),
                            quote(&address.name)
                        ));
                    }
                    out.push_str(",\n");
                }
                out.push_str("]\n");
            }
            let array = |items: &[Reference]| {
                let items: Vec<_> = items.iter().map(|r| quote(&r.text)).collect();
                format!("[{}]", items.join(", "))
            };
            out.push_str(&format!("trunks = {}\n", array(&list.trunks)));
            out.push_str(&format!("sip_domains = {}\n", array(&list.sip_domains)));
        }
        out
    }
}

/// A TOML key: bare when it can be, else quoted.
fn key(text: &str) -> String {
    let bare = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare { text.to_owned() } else { quote(text) }
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Builds a [`Desired`] in code. [`build`](Self::build) checks it as a file would be checked.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct DesiredBuilder {
    lists: Vec<ListBuilder>,
}

impl DesiredBuilder {
    /// Adds a list.
    pub fn list(mut self, list: ListBuilder) -> Self {
        self.lists.push(list);
        self
    }

    /// Checks every entry and makes the desired state.
    ///
    /// # Errors
    ///
    /// The first problem found, naming the list and entry (no file or line).
    pub fn build(self) -> Result<Desired, DesiredError> {
        let raw = self
            .lists
            .into_iter()
            .map(|list| RawList {
                name: list.name,
                origin: None,
                addresses: list
                    .addresses
                    .into_iter()
                    .map(|(ip, name)| RawAddress {
                        ip,
                        name,
                        origin: None,
                    })
                    .collect(),
                trunks: list
                    .trunks
                    .into_iter()
                    .map(|text| Reference { text, origin: None })
                    .collect(),
                sip_domains: list
                    .sip_domains
                    .into_iter()
                    .map(|text| Reference { text, origin: None })
                    .collect(),
            })
            .collect();
        validate(None, raw)
    }
}

/// One list of a [`DesiredBuilder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ListBuilder {
    name: String,
    addresses: Vec<(String, Option<String>)>,
    trunks: Vec<String>,
    sip_domains: Vec<String>,
}

impl ListBuilder {
    /// A list named `name` (its `FriendlyName`), with no addresses, trunks or domains yet.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            addresses: Vec::new(),
            trunks: Vec::new(),
            sip_domains: Vec::new(),
        }
    }

    /// An address (`"198.51.100.7"`, a /32) or range (`"198.51.100.0/24"`), named by this text.
    pub fn address(mut self, ip: impl Into<String>) -> Self {
        self.addresses.push((ip.into(), None));
        self
    }

    /// An address or range with its own `FriendlyName`.
    pub fn named_address(mut self, ip: impl Into<String>, name: impl Into<String>) -> Self {
        self.addresses.push((ip.into(), Some(name.into())));
        self
    }

    /// A trunk to attach the list to: its SID (`TK…`) or `FriendlyName`.
    pub fn trunk(mut self, sid_or_name: impl Into<String>) -> Self {
        self.trunks.push(sid_or_name.into());
        self
    }

    /// A SIP domain whose calls the list is mapped to: its SID (`SD…`) or domain name.
    pub fn sip_domain(mut self, sid_or_domain_name: impl Into<String>) -> Self {
        self.sip_domains.push(sid_or_domain_name.into());
        self
    }
}

// ---------------------------------------------------------------------------------------------
// The file's shape, and the checks shared by the file and the builder.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    #[serde(default)]
    lists: BTreeMap<Spanned<String>, Spanned<ListTable>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListTable {
    addresses: Option<Vec<Spanned<toml::Value>>>,
    trunks: Option<Vec<Spanned<String>>>,
    sip_domains: Option<Vec<Spanned<String>>>,
}

struct RawList {
    name: String,
    origin: Option<Origin>,
    addresses: Vec<RawAddress>,
    trunks: Vec<Reference>,
    sip_domains: Vec<Reference>,
}

struct RawAddress {
    ip: String,
    name: Option<String>,
    origin: Option<Origin>,
}

/// The line and column (from 1) of a byte offset, and the source text of the span.
fn origin(text: &str, span: std::ops::Range<usize>) -> Origin {
    let start = span.start.min(text.len());
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..start].chars().count() + 1;
    let entry = text.get(span.start..span.end.min(text.len())).unwrap_or("");
    Origin {
        line,
        column,
        entry: entry.to_owned(),
    }
}

/// The `ip` text and optional name of one entry of `addresses`.
fn address_fields(value: toml::Value) -> Result<(String, Option<String>), String> {
    const SHAPE: &str = "an address is a string (\"198.51.100.7\", \"198.51.100.0/24\") or a table { ip = \"198.51.100.7\", name = \"…\" }";
    match value {
        toml::Value::String(ip) => Ok((ip, None)),
        toml::Value::Table(mut table) => {
            let ip = match table.remove("ip") {
                Some(toml::Value::String(ip)) => ip,
                Some(_) => return Err("`ip` must be a string".into()),
                None => return Err(format!("`ip` is missing: {SHAPE}")),
            };
            let name = match table.remove("name") {
                Some(toml::Value::String(name)) => Some(name),
                Some(_) => return Err("`name` must be a string".into()),
                None => None,
            };
            if let Some(key) = table.keys().next() {
                return Err(format!(
                    "unknown key `{key}` (an address table has `ip` and `name`)"
                ));
            }
            Ok((ip, name))
        }
        _ => Err(SHAPE.into()),
    }
}

/// Reads `"198.51.100.7"` or `"198.51.100.0/24"` into (address, prefix length), refusing
/// what Twilio would store differently from what was meant.
pub(crate) fn parse_cidr(text: &str) -> Result<(Ipv4Addr, u8), String> {
    let (ip_text, prefix_text) = match text.split_once('/') {
        Some((ip, prefix)) => (ip, Some(prefix)),
        None => (text, None),
    };
    let ip: Ipv4Addr = ip_text.parse().map_err(|_| {
        format!(
            "`{ip_text}` is not an IPv4 address in dotted decimal such as 198.51.100.7 (no IPv6, wildcards or leading zeros)"
        )
    })?;
    let Some(prefix_text) = prefix_text else {
        return Ok((ip, 32));
    };
    let prefix: u8 = match prefix_text {
        p if !p.is_empty()
            && p.len() <= 2
            && p.bytes().all(|b| b.is_ascii_digit())
            && !(p.len() > 1 && p.starts_with('0')) =>
        {
            p.parse().unwrap_or(u8::MAX)
        }
        _ => u8::MAX,
    };
    if prefix > 32 {
        return Err(format!(
            "`/{prefix_text}` is not a CIDR prefix length (1 to 32)"
        ));
    }
    if prefix == 0 {
        return Err(
            "`/0` is refused: Twilio stores a prefix length of 0 as /32 (one address). To allow \
             every IPv4 address, write two entries: \"0.0.0.0/1\" and \"128.0.0.0/1\""
                .into(),
        );
    }
    let mask = u32::MAX << (32 - u32::from(prefix));
    let bits = u32::from(ip);
    if bits & !mask != 0 {
        let network = Ipv4Addr::from(bits & mask);
        return Err(format!(
            "host bits are set: {ip}/{prefix} lies in the network {network}/{prefix}; write \"{network}/{prefix}\" for the range, or \"{ip}\" for the one address"
        ));
    }
    Ok((ip, prefix))
}

/// Checks a name against Twilio's limits.
fn check_name(name: &str, what: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(format!("the {what} is empty; Twilio requires one"));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(format!(
            "the {what} is {chars} characters long; Twilio accepts at most {MAX_NAME_CHARS}"
        ));
    }
    Ok(())
}

fn at(origin: &Option<Origin>) -> String {
    match origin {
        Some(o) => format!("at line {}", o.line),
        None => "given earlier".into(),
    }
}

fn validate(file: Option<String>, raw: Vec<RawList>) -> Result<Desired, DesiredError> {
    let mut lists: Vec<DesiredList> = Vec::with_capacity(raw.len());
    for list in raw {
        let name = list.name;
        let fail_list = |reason: String| {
            DesiredError::new(
                file.as_deref(),
                list.origin.as_ref(),
                Some(&name),
                None,
                reason,
            )
        };
        check_name(&name, "list name").map_err(fail_list)?;
        if let Some(earlier) = lists.iter().find(|l| l.name == name) {
            return Err(fail_list(format!(
                "the same list twice (also {})",
                at(&earlier.origin)
            )));
        }
        let mut addresses: Vec<DesiredAddress> = Vec::with_capacity(list.addresses.len());
        for raw in list.addresses {
            let fail = |reason: String| {
                DesiredError::new(
                    file.as_deref(),
                    raw.origin.as_ref(),
                    Some(&name),
                    Some(format!("{:?}", raw.ip)),
                    reason,
                )
            };
            let (ip, prefix) = parse_cidr(&raw.ip).map_err(fail)?;
            let address_name = raw.name.unwrap_or_else(|| raw.ip.clone());
            check_name(&address_name, "address's name").map_err(fail)?;
            if let Some(earlier) = addresses.iter().find(|a| a.key() == (ip, prefix)) {
                return Err(fail(format!(
                    "the same entry twice: {ip}/{prefix} is also {}",
                    at(&earlier.origin)
                )));
            }
            if addresses.len() == MAX_ADDRESSES_PER_LIST {
                return Err(fail(format!(
                    "more than {MAX_ADDRESSES_PER_LIST} addresses in one list (Twilio's limit); split them across lists"
                )));
            }
            addresses.push(DesiredAddress {
                ip,
                prefix,
                name: address_name,
                origin: raw.origin,
            });
        }
        for (references, what) in [(&list.trunks, "trunk"), (&list.sip_domains, "SIP domain")] {
            for (i, reference) in references.iter().enumerate() {
                let fail = |reason: String| {
                    DesiredError::new(
                        file.as_deref(),
                        reference.origin.as_ref(),
                        Some(&name),
                        Some(format!("{:?}", reference.text)),
                        reason,
                    )
                };
                if reference.text.trim().is_empty() {
                    return Err(fail(format!("an empty {what} name")));
                }
                if let Some(earlier) = references[..i].iter().find(|r| r.text == reference.text) {
                    return Err(fail(format!(
                        "the same {what} twice (also {})",
                        at(&earlier.origin)
                    )));
                }
            }
        }
        lists.push(DesiredList {
            name,
            origin: list.origin,
            addresses,
            trunks: list.trunks,
            sip_domains: list.sip_domains,
        });
    }
    Ok(Desired {
        file,
        lists,
        notes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_text() {
        let ok = |t: &str| parse_cidr(t).unwrap();
        assert_eq!(ok("198.51.100.7"), (Ipv4Addr::new(198, 51, 100, 7), 32));
        assert_eq!(ok("198.51.100.0/24"), (Ipv4Addr::new(198, 51, 100, 0), 24));
        assert_eq!(ok("0.0.0.0/1"), (Ipv4Addr::UNSPECIFIED, 1));
        assert_eq!(ok("198.51.100.7/32"), (Ipv4Addr::new(198, 51, 100, 7), 32));
        for bad in [
            "198.51.100",
            "198.51.100.256",
            "198.051.100.7",
            "198.51.100.*",
            "::1",
            " 198.51.100.7",
            "198.51.100.0/33",
            "198.51.100.0/",
            "198.51.100.0/024",
            "198.51.100.0/+4",
            "198.51.100.0/a",
        ] {
            assert!(parse_cidr(bad).is_err(), "{bad}");
        }
        assert!(parse_cidr("0.0.0.0/0").unwrap_err().contains("128.0.0.0/1"));
        assert!(
            parse_cidr("198.51.100.7/24")
                .unwrap_err()
                .contains("\"198.51.100.0/24\"")
        );
    }

    #[test]
    fn quoting_round_trips() {
        for text in [
            "plain",
            "with \"quotes\"",
            "back\\slash",
            "tab\there",
            "é ü 中",
            "\u{7f}",
        ] {
            let toml = format!("x = {}", quote(text));
            let value: toml::Table = toml::from_str(&toml).unwrap();
            assert_eq!(value["x"].as_str(), Some(text), "{toml}");
        }
    }

    #[test]
    fn origins_count_characters() {
        let text = "a\nbé = \"x\"";
        let o = origin(text, 7..10);
        assert_eq!((o.line, o.column, o.entry.as_str()), (2, 5, " \"x"));
    }
}
