//! Building a desired state in code; checked as a file is.

use super::{
    Desired, DesiredError, Reference,
    validate::{RawAddress, RawEntry, RawList, RawSet, validate},
};
use crate::allowlist::target::TargetKind;

/// Builds a [`Desired`] in code. [`build`](Self::build) checks it as a file would be checked.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct DesiredBuilder {
    sets: Vec<SetBuilder>,
    lists: Vec<ListBuilder>,
}

/// One entry of a builder's addresses: an address (with its name, if given) or a set's use.
#[derive(Debug, Clone)]
enum Entry {
    Address(String, Option<String>),
    Set(String),
}

fn raw(entries: Vec<Entry>) -> Vec<RawEntry> {
    entries
        .into_iter()
        .map(|entry| match entry {
            Entry::Address(ip, name) => RawEntry::Address(RawAddress {
                ip,
                name,
                origin: None,
                source: None,
            }),
            Entry::Set(name) => RawEntry::Set { name, origin: None },
        })
        .collect()
}

impl DesiredBuilder {
    /// Adds a set of addresses, which lists and other sets use with their `set` method.
    pub fn set(mut self, set: SetBuilder) -> Self {
        self.sets.push(set);
        self
    }

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
        let lists = self
            .lists
            .into_iter()
            .map(|list| RawList {
                split: list.split,
                name: list.name,
                origin: None,
                addresses: raw(list.addresses),
                targets: list
                    .trunks
                    .into_iter()
                    .map(|text| (TargetKind::Trunk, text))
                    .chain(
                        list.sip_domains
                            .into_iter()
                            .map(|text| (TargetKind::SipDomain, text)),
                    )
                    .map(|(kind, text)| Reference {
                        kind,
                        text,
                        origin: None,
                    })
                    .collect(),
            })
            .collect();
        let sets = self
            .sets
            .into_iter()
            .map(|set| RawSet {
                name: set.name,
                origin: None,
                addresses: raw(set.addresses),
            })
            .collect();
        validate(None, sets, lists)
    }
}

/// One list of a [`DesiredBuilder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ListBuilder {
    name: String,
    addresses: Vec<Entry>,
    trunks: Vec<String>,
    sip_domains: Vec<String>,
    split: bool,
}

impl ListBuilder {
    /// A list named `name` (its `FriendlyName`), with no addresses, trunks or domains yet.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            addresses: Vec::new(),
            trunks: Vec::new(),
            sip_domains: Vec::new(),
            split: false,
        }
    }

    /// An address (`"198.51.100.7"`, a /32) or range (`"198.51.100.0/24"`), named by this text.
    pub fn address(mut self, ip: impl Into<String>) -> Self {
        self.addresses.push(Entry::Address(ip.into(), None));
        self
    }

    /// An address or range with its own `FriendlyName`.
    pub fn named_address(mut self, ip: impl Into<String>, name: impl Into<String>) -> Self {
        self.addresses
            .push(Entry::Address(ip.into(), Some(name.into())));
        self
    }

    /// The addresses of the set named `name` (see [`DesiredBuilder::set`]).
    pub fn set(mut self, name: impl Into<String>) -> Self {
        self.addresses.push(Entry::Set(name.into()));
        self
    }

    /// Allows more than 100 addresses, kept as several Twilio lists `NAME`, `NAME (2)`, …
    /// (a file's `split = true`).
    pub fn split(mut self, split: bool) -> Self {
        self.split = split;
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

/// A set of addresses of a [`DesiredBuilder`] (a file's `[sets.NAME]`): lists and other sets
/// that use it hold its addresses.
#[derive(Debug, Clone)]
#[must_use]
pub struct SetBuilder {
    name: String,
    addresses: Vec<Entry>,
}

impl SetBuilder {
    /// A set named `name`, with no addresses yet.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            addresses: Vec::new(),
        }
    }

    /// An address (`"198.51.100.7"`, a /32) or range (`"198.51.100.0/24"`), named by this text.
    pub fn address(mut self, ip: impl Into<String>) -> Self {
        self.addresses.push(Entry::Address(ip.into(), None));
        self
    }

    /// An address or range with its own `FriendlyName`.
    pub fn named_address(mut self, ip: impl Into<String>, name: impl Into<String>) -> Self {
        self.addresses
            .push(Entry::Address(ip.into(), Some(name.into())));
        self
    }

    /// The addresses of another set.
    pub fn set(mut self, name: impl Into<String>) -> Self {
        self.addresses.push(Entry::Set(name.into()));
        self
    }
}
