//! A desired state refused: where, and why.

use std::fmt;

use super::Origin;
use crate::allowlist::sources::SourceError;

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
    set: Option<String>,
    /// The `[accounts.NAME]` table the entry belongs to.
    account: Option<String>,
    byoc: bool,
    entry: Option<String>,
    reason: String,
    /// The other problems found in the same check, in the file's order.
    also: Vec<DesiredError>,
    /// Why a source gave nothing usable, when that is the reason.
    source: Option<SourceError>,
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
            set: None,
            account: None,
            byoc: false,
            entry: origin
                .map(|o| o.entry.clone())
                .filter(|e| !e.is_empty())
                .or(entry),
            reason: reason.into(),
            also: Vec::new(),
            source: None,
        }))
    }

    /// The same error, caused by a source that failed.
    pub(crate) fn caused_by(mut self, source: SourceError) -> Self {
        self.0.source = Some(source);
        self
    }

    /// Why a source (`{ dns = … }`, `{ file = … }`, `{ url = … }`) gave nothing usable, when
    /// that is why the file is refused.
    pub fn source_error(&self) -> Option<&SourceError> {
        self.0.source.as_ref()
    }

    /// This error and `others` as one: a file is checked whole, so that one run reports every
    /// problem. In the file's order, each once.
    pub(crate) fn with(mut self, others: Vec<DesiredError>) -> Self {
        let mut all = std::mem::take(&mut self.0.also);
        all.extend(others);
        all.push(self);
        all.sort_by_key(|e| (e.line(), e.column()));
        let mut seen = std::collections::HashSet::new();
        all.retain(|e| seen.insert(e.to_string()));
        // Not empty: it holds `self` (or its equal).
        let mut first = all.remove(0);
        first.0.also = all;
        first
    }

    /// The same error, about an entry of a set rather than of a list.
    pub(crate) fn in_set(mut self, set: &str) -> Self {
        self.0.list = None;
        self.0.set = Some(set.to_owned());
        self
    }

    /// The same error, about a key of an `[accounts.NAME]` table.
    pub(crate) fn in_account(mut self, account: &str) -> Self {
        self.0.list = None;
        self.0.account = Some(account.to_owned());
        self
    }

    /// The account whose `[accounts.NAME]` table holds the entry, by name, when the entry is
    /// in one.
    pub fn account(&self) -> Option<&str> {
        self.0.account.as_deref()
    }

    /// The same error, about an IP Record of the `[byoc]` table.
    pub(crate) fn in_byoc(mut self) -> Self {
        self.0.list = None;
        self.0.byoc = true;
        self
    }

    /// Whether the entry is an IP Record of the `[byoc]` table.
    pub fn in_byoc_table(&self) -> bool {
        self.0.byoc
    }

    /// The file's name, as given to [`Desired::from_toml`](super::Desired::from_toml) (`None` for a state built in code).
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

    /// The set the entry belongs to, by name (`[sets.NAME]`), when it is in a set.
    pub fn set(&self) -> Option<&str> {
        self.0.set.as_deref()
    }

    /// The entry as written (its TOML source text, or the text given to the builder).
    pub fn entry(&self) -> Option<&str> {
        self.0.entry.as_deref()
    }

    /// Why it is refused.
    pub fn reason(&self) -> &str {
        &self.0.reason
    }

    /// Every problem found, this one first, then the others in the file's order (the
    /// accessors above describe the first).
    pub fn errors(&self) -> impl Iterator<Item = &DesiredError> {
        std::iter::once(self).chain(&self.0.also)
    }
}

/// The first problem; each other one on a line of its own.
impl fmt::Display for DesiredError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_one(f)?;
        for other in &self.0.also {
            writeln!(f)?;
            other.fmt_one(f)?;
        }
        Ok(())
    }
}

impl DesiredError {
    fn fmt_one(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        match (&d.file, d.line, d.column) {
            (Some(file), Some(line), Some(column)) => write!(f, "{file}:{line}:{column}: ")?,
            (Some(file), _, _) => write!(f, "{file}: ")?,
            (None, Some(line), Some(column)) => write!(f, "line {line}, column {column}: ")?,
            _ => {}
        }
        let table = match (&d.set, &d.account, d.byoc) {
            (Some(set), _, _) => Some(format!("set {set:?}")),
            (None, Some(account), _) => Some(format!("[accounts.{account}]")),
            (None, None, true) => Some("[byoc] ip_records".to_owned()),
            (None, None, false) => None,
        };
        if let Some(table) = table {
            write!(f, "{table}")?;
            return match &d.entry {
                Some(entry) => write!(f, ", entry {entry}: {}", d.reason),
                None => write!(f, ": {}", d.reason),
            };
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

// The source's error is part of the message (the reason), so it is not also given as the
// `source()` (a reporter would print it twice); `source_error` gives it typed.
impl std::error::Error for DesiredError {}
