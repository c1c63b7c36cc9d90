//! The desired state: its values (lists, their addresses and the trunks and SIP domains they
//! are attached to, and the `[byoc]` IP Records, as written), read from a TOML file ([`reader`]) or built in code
//! ([`builder`]), checked the same way ([`validate`]), and written back as TOML ([`writer`]).

mod accounts;
mod builder;
mod error;
mod reader;
mod resolve;
mod validate;
mod writer;

use std::net::Ipv4Addr;

pub(crate) use accounts::check_saved;
pub use builder::{
    AccountBuilder, ByocBuilder, DesiredBuilder, IpRecordBuilder, ListBuilder, SetBuilder,
};
pub use error::DesiredError;
pub(crate) use validate::{check_cidr, check_name, check_prune_prefix, parse_cidr};

use super::{
    sources::{AddressOrigin, SourceRef},
    target::TargetKind,
};
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

/// A trunk or SIP domain as the file names it (a SID or a name), with where it was written.
#[derive(Debug, Clone)]
pub(crate) struct Reference {
    pub(crate) kind: TargetKind,
    pub(crate) text: String,
    pub(crate) origin: Option<Origin>,
}

impl PartialEq for Reference {
    fn eq(&self, other: &Self) -> bool {
        (self.kind, &self.text) == (other.kind, &other.text)
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
    /// The set it is written in (`[sets.NAME]`) and the source that gave it, if any.
    from: AddressOrigin,
    pub(crate) origin: Option<Origin>,
}

impl PartialEq for DesiredAddress {
    fn eq(&self, other: &Self) -> bool {
        (self.ip, self.prefix, &self.name) == (other.ip, other.prefix, &other.name)
    }
}

impl Eq for DesiredAddress {}

/// The accessors of an entry identified by (IpAddress, CidrPrefixLength) with a
/// `FriendlyName`: an address of a list, an IP Record.
macro_rules! identity_accessors {
    () => {
        /// `IpAddress`: the address, or the network's first address for a range.
        pub fn ip(&self) -> Ipv4Addr {
            self.ip
        }

        /// `CidrPrefixLength`, 1 to 32 (32 for one address).
        pub fn prefix(&self) -> u8 {
            self.prefix
        }

        /// `FriendlyName` (the text written for the address unless `name` says otherwise).
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
    };
}

impl DesiredAddress {
    identity_accessors!();

    pub(crate) fn exported(ip: Ipv4Addr, prefix: u8, name: String) -> Self {
        Self {
            ip,
            prefix,
            name,
            from: AddressOrigin::default(),
            origin: None,
        }
    }

    /// The set it came from (`[sets.NAME]`, the one it is written in), if it is not written in
    /// the list itself.
    pub fn set(&self) -> Option<&str> {
        self.from.set.as_deref()
    }

    /// The source that gave it (`{ dns = … }`, `{ file = … }`, `{ url = … }`), if any.
    pub fn source(&self) -> Option<&SourceRef> {
        self.from.source.as_ref()
    }

    /// Where it comes from: its set and its source (what the plan shows after it).
    pub fn address_origin(&self) -> &AddressOrigin {
        &self.from
    }
}

/// One IP access control list as the desired state names it (by `FriendlyName`). Equality
/// compares what it says, not where it was written.
#[derive(Debug, Clone)]
pub struct DesiredList {
    name: String,
    /// The file's key for it (`[lists.KEY]`) when its `name` says another `FriendlyName`.
    pub(crate) table: Option<String>,
    /// The accounts it is given to (`accounts = [...]`); `None`: every account of the file.
    pub(crate) accounts: Option<Vec<String>>,
    pub(crate) origin: Option<Origin>,
    addresses: Vec<DesiredAddress>,
    /// The trunks and SIP domains, as written (trunks first).
    pub(crate) targets: Vec<Reference>,
    /// Kept as several Twilio lists of at most 100 (`split = true`).
    pub(crate) split: bool,
}

impl PartialEq for DesiredList {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.accounts == other.accounts
            && self.addresses == other.addresses
            && self.targets == other.targets
            && self.split == other.split
    }
}

impl Eq for DesiredList {}

impl DesiredList {
    /// The list's `FriendlyName`, which identifies it in the account.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The accounts of the file it is given to (`accounts = [...]`), in the order written;
    /// `None` when it is given to every account (or the file has no `[accounts]`).
    pub fn accounts(&self) -> Option<&[String]> {
        self.accounts.as_deref()
    }

    /// Whether it is given to the account named `account` (always, without `accounts`).
    pub fn is_given_to(&self, account: &str) -> bool {
        given_to(&self.accounts, account)
    }

    /// Its addresses, in the order written.
    pub fn addresses(&self) -> &[DesiredAddress] {
        &self.addresses
    }

    /// The trunks it is attached to, as written: SIDs (`TK…`) or `FriendlyName`s.
    pub fn trunks(&self) -> impl Iterator<Item = &str> {
        self.references(TargetKind::Trunk).map(|r| r.text.as_str())
    }

    /// The SIP domains whose calls it is mapped to, as written: SIDs (`SD…`) or domain names.
    pub fn sip_domains(&self) -> impl Iterator<Item = &str> {
        self.references(TargetKind::SipDomain)
            .map(|r| r.text.as_str())
    }

    /// Whether it may hold more than 100 addresses, kept as several Twilio lists named `NAME`,
    /// `NAME (2)`, `NAME (3)`… (`split = true`).
    pub fn split(&self) -> bool {
        self.split
    }

    /// The references of one kind, as written.
    pub(crate) fn references(&self, kind: TargetKind) -> impl Iterator<Item = &Reference> {
        self.targets.iter().filter(move |r| r.kind == kind)
    }

    /// A list as `export` writes it: `targets` are (kind, SID or name); `split` when it was
    /// found as several parts.
    pub(crate) fn exported(
        name: String,
        addresses: Vec<DesiredAddress>,
        targets: Vec<(TargetKind, String)>,
        split: bool,
    ) -> Self {
        Self {
            name,
            table: None,
            accounts: None,
            origin: None,
            split,
            addresses,
            targets: targets
                .into_iter()
                .map(|(kind, text)| Reference {
                    kind,
                    text,
                    origin: None,
                })
                .collect(),
        }
    }
}

/// An IP Record of the `[byoc]` table: its identity (IpAddress, CidrPrefixLength), its
/// `FriendlyName`, and the SIP domain its Source IP Mapping points at, if it has one.
/// Equality compares what it says, not where it was written.
#[derive(Debug, Clone)]
pub struct DesiredIpRecord {
    ip: Ipv4Addr,
    prefix: u8,
    name: String,
    pub(crate) sip_domain: Option<Reference>,
    pub(crate) origin: Option<Origin>,
}

impl PartialEq for DesiredIpRecord {
    fn eq(&self, other: &Self) -> bool {
        (self.ip, self.prefix, &self.name, &self.sip_domain)
            == (other.ip, other.prefix, &other.name, &other.sip_domain)
    }
}

impl Eq for DesiredIpRecord {}

impl DesiredIpRecord {
    identity_accessors!();

    /// The SIP domain of its Source IP Mapping, as written (a SID or a domain name); `None`:
    /// no mapping.
    pub fn sip_domain(&self) -> Option<&str> {
        self.sip_domain.as_ref().map(|r| r.text.as_str())
    }

    /// A record as `export` writes it.
    pub(crate) fn exported(
        ip: Ipv4Addr,
        prefix: u8,
        name: String,
        sip_domain: Option<String>,
    ) -> Self {
        Self {
            ip,
            prefix,
            name,
            sip_domain: sip_domain.map(|text| Reference {
                kind: TargetKind::SipDomain,
                text,
                origin: None,
            }),
            origin: None,
        }
    }
}

/// The desired state of some IP access control lists: for each list it names, exactly which
/// addresses it holds, which trunks it is attached to and which SIP domains' calls it is mapped
/// to. Lists it does not name are left alone (unless, with a [`prune_prefix`](Self::prune_prefix),
/// a plan prunes them). With [`byoc`](Self::byoc), also every IP Record
/// of the account and the SIP domain of each one's Source IP Mapping.
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
    /// The `[byoc]` table's IP Records; `None` when the file has no `[byoc]` (then no IP
    /// Record or Source IP Mapping is read or written).
    byoc: Option<Vec<DesiredIpRecord>>,
    /// The accounts `[byoc]` is given to (`accounts = [...]`); `None`: every account.
    pub(crate) byoc_accounts: Option<Vec<String>>,
    /// Remarks written as comments at the top of [`to_toml`](Self::to_toml) (from `export`).
    notes: Vec<String>,
    /// What is allowed but probably not meant (a set no list uses).
    warnings: Vec<String>,
    /// How much each source may shrink what it gives a live list (sources only).
    pub(crate) shrink_guards: Vec<super::sources::ShrinkGuard>,
    /// `[settings] prune_prefix`: the lists the file owns beyond those it names.
    pub(crate) prune_prefix: Option<String>,
    /// The `[accounts.NAME]` tables, in the file's order; empty: one account, from the
    /// environment.
    pub(crate) accounts: Vec<super::Account>,
    /// Whether [`retain_lists`](Self::retain_lists) left out some of its lists (a plan then
    /// cannot tell what the file names, and refuses to prune).
    pub(crate) narrowed: bool,
}

impl Desired {
    /// A builder for a desired state made in code.
    pub fn builder() -> DesiredBuilder {
        DesiredBuilder::default()
    }

    /// The lists it names, in the order written.
    pub fn lists(&self) -> &[DesiredList] {
        &self.lists
    }

    /// One list, by name.
    pub fn list(&self, name: &str) -> Option<&DesiredList> {
        self.lists.iter().find(|l| l.name == name)
    }

    /// The IP Records of the `[byoc]` table, in the order written; `None` when there is no
    /// `[byoc]` table. With one, they are every IP Record (and their Source IP Mappings) the
    /// account should have.
    pub fn byoc(&self) -> Option<&[DesiredIpRecord]> {
        self.byoc.as_deref()
    }

    /// The accounts of the file `[byoc]` is given to (`accounts = [...]`), in the order
    /// written; `None` when it is given to every account (or there is no `[byoc]`).
    pub fn byoc_accounts(&self) -> Option<&[String]> {
        self.byoc_accounts.as_deref()
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

    /// What the file says that is allowed but probably not meant: a set that no list uses;
    /// and, for a file read with its sources, what they left out (IPv6 values skipped, an
    /// optional source that failed).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Keeps only the lists for which `keep` is true (`twilio-allowlist --list NAME`): a plan
    /// then leaves the others alone, as it does every list the state does not name. A plan
    /// that prunes refuses a state that lost lists this way (it could not tell what the file
    /// names).
    pub fn retain_lists(&mut self, keep: impl FnMut(&DesiredList) -> bool) {
        let before = self.lists.len();
        self.lists.retain(keep);
        self.narrowed |= self.lists.len() < before;
    }

    /// `[settings] prune_prefix`: a list whose `FriendlyName` starts with it belongs to the
    /// file, and one the file does not name is deleted when planning with
    /// [`PlanOptions::prune`](super::PlanOptions::prune). `None` when the file does not say
    /// (then no list it does not name is ever touched).
    pub fn prune_prefix(&self) -> Option<&str> {
        self.prune_prefix.as_deref()
    }

    /// The accounts of the file (`[accounts.NAME]`), in the order written; empty when the
    /// file has none (then it is one account, taken from the environment).
    pub fn accounts(&self) -> &[super::Account] {
        &self.accounts
    }

    /// The account of the file named `name`.
    pub fn account(&self, name: &str) -> Option<&super::Account> {
        self.accounts.iter().find(|a| a.name() == name)
    }

    /// The desired state of one account of the file, what [`plan`](super::plan) takes with
    /// that account's client: the lists given to it (`accounts` naming it, or omitted), its
    /// `[byoc]` if given to it (none otherwise: its IP Records are then left alone), the
    /// settings (`prune_prefix` prunes in each account the lists of that account the file does
    /// not give it), the warnings, and the shrink guards of the sources its lists use; with no
    /// accounts of its own, and no `accounts` on its lists. A file without `[accounts]` is
    /// returned whole.
    pub fn for_account(&self, name: &str) -> Desired {
        debug_assert!(self.account(name).is_some() || self.accounts.is_empty());
        let lists: Vec<DesiredList> = (self.lists.iter())
            .filter(|l| l.is_given_to(name))
            .map(|l| DesiredList {
                accounts: None,
                table: None,
                ..l.clone()
            })
            .collect();
        let shrink_guards = (self.shrink_guards.iter())
            .filter(|g| {
                lists
                    .iter()
                    .flat_map(|l| &l.addresses)
                    .any(|a| a.source() == Some(&g.source))
            })
            .cloned()
            .collect();
        Desired {
            lists,
            byoc: self
                .byoc
                .clone()
                .filter(|_| given_to(&self.byoc_accounts, name)),
            byoc_accounts: None,
            shrink_guards,
            accounts: Vec::new(),
            ..self.clone()
        }
    }

    /// One desired state for several accounts, from each account's own (as `export` reads
    /// them): the accounts, in the order given, and their lists, each with the accounts that
    /// have it (`accounts = ["us", "ie"]` for a list the same in both). A list's table is
    /// `[lists.NAME]`, or, when accounts hold different lists of that name, `[lists."NAME@us+ie"]`
    /// with `name = "NAME"`: the accounts that have that one, joined with `+`. `[byoc]` is given to the first account that has IP Records and to
    /// those with the same (a file has one `[byoc]` table); others' differing records are left
    /// out, with a note. Notes are kept, each prefixed with its account.
    /// [`for_account`](Self::for_account) of the result gives back each account's lists and
    /// `[byoc]`.
    pub fn merge_accounts(parts: Vec<(super::Account, Desired)>) -> Desired {
        let mut merged = Desired::default();
        let mut lists: Vec<DesiredList> = Vec::new();
        for (account, desired) in &parts {
            let account_name = account.name();
            for list in &desired.lists {
                let same = lists.iter_mut().find(|l| {
                    (&l.name, &l.addresses, &l.targets, l.split)
                        == (&list.name, &list.addresses, &list.targets, list.split)
                });
                match same {
                    Some(same) => same
                        .accounts
                        .get_or_insert_with(Vec::new)
                        .push(account_name.to_owned()),
                    None => lists.push(DesiredList {
                        table: None,
                        accounts: Some(vec![account_name.to_owned()]),
                        ..list.clone()
                    }),
                }
            }
            merged
                .notes
                .extend(desired.notes.iter().map(|n| format!("{account_name}: {n}")));
            match (&desired.byoc, &merged.byoc) {
                (Some(records), None) => {
                    merged.byoc = Some(records.clone());
                    merged.byoc_accounts = Some(vec![account_name.to_owned()]);
                }
                (Some(records), Some(kept)) if records == kept => {
                    if let Some(accounts) = &mut merged.byoc_accounts {
                        accounts.push(account_name.to_owned());
                    }
                }
                (Some(_), Some(_)) => merged.notes.push(format!(
                    "{account_name}: its IP Records are not written (one [byoc] table per file; it is given to {:?})",
                    merged.byoc_accounts.as_deref().unwrap_or_default().join(", ")
                )),
                (None, _) => {}
            }
        }
        let names: Vec<String> = lists.iter().map(|l| l.name.clone()).collect();
        for list in &mut lists {
            if names.iter().filter(|n| **n == list.name).count() > 1 {
                let accounts = list.accounts.as_deref().unwrap_or_default().join("+");
                list.table = Some(format!("{}@{accounts}", list.name));
            }
        }
        merged.lists = lists;
        merged.accounts = parts.into_iter().map(|(a, _)| a).collect();
        merged
    }

    pub(crate) fn exported(
        lists: Vec<DesiredList>,
        byoc: Option<Vec<DesiredIpRecord>>,
        notes: Vec<String>,
    ) -> Self {
        Self {
            file: None,
            lists,
            byoc,
            byoc_accounts: None,
            notes,
            warnings: Vec::new(),
            shrink_guards: Vec::new(),
            prune_prefix: None,
            narrowed: false,
            accounts: Vec::new(),
        }
    }
}

/// Whether something given to `accounts` (`None`: every account) is given to `account`.
fn given_to(accounts: &Option<Vec<String>>, account: &str) -> bool {
    accounts
        .as_ref()
        .is_none_or(|a| a.iter().any(|a| a == account))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allowlist::sources::ShrinkGuard;

    #[test]
    fn a_projection_keeps_the_shrink_guards_of_its_own_lists() {
        let mut desired = Desired::builder()
            .account(
                AccountBuilder::new("us", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").auth_token_env("A"),
            )
            .account(
                AccountBuilder::new("ie", "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb").auth_token_env("B"),
            )
            .list(ListBuilder::new("a").address("10.0.0.1").accounts(["us"]))
            .list(ListBuilder::new("b").address("10.0.0.2").accounts(["ie"]))
            .build()
            .unwrap();
        let guard = |file: &str| ShrinkGuard {
            source: SourceRef::File(file.into()),
            name: file.into(),
            max_percent: 50,
        };
        for (list, file) in [(0, "a.txt"), (1, "b.txt")] {
            desired.lists[list].addresses[0].from.source = Some(SourceRef::File(file.into()));
        }
        desired.shrink_guards = vec![guard("a.txt"), guard("b.txt")];
        assert_eq!(desired.for_account("us").shrink_guards, [guard("a.txt")]);
        assert_eq!(desired.for_account("ie").shrink_guards, [guard("b.txt")]);
    }
}
