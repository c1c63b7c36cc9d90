//! Building a desired state in code; checked as a file is.

use super::{
    Desired, DesiredError, Reference,
    accounts::{RawAccount, RawAccountsUse, check_accounts},
    validate::{
        RawAddress, RawByoc, RawEntry, RawIpRecord, RawList, RawSet, check_prune_prefix, validate,
        with_earlier,
    },
};
use crate::allowlist::target::TargetKind;

/// Builds a [`Desired`] in code. [`build`](Self::build) checks it as a file would be checked.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct DesiredBuilder {
    accounts: Vec<AccountBuilder>,
    sets: Vec<SetBuilder>,
    lists: Vec<ListBuilder>,
    byoc: Option<ByocBuilder>,
    prune_prefix: Option<String>,
}

/// One entry of a builder's addresses: an address (with its name, if given) or a set's use.
#[derive(Debug, Clone)]
enum Entry {
    Address(String, Option<String>),
    Set(String),
}

/// `accounts = [...]` as a builder gives it.
fn raw_use(accounts: Option<Vec<String>>) -> Option<RawAccountsUse> {
    accounts.map(|names| RawAccountsUse {
        names: names.into_iter().map(|n| (n, None)).collect(),
        origin: None,
    })
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

/// The methods of [`ListBuilder`] and [`SetBuilder`] that add to their `addresses`.
macro_rules! address_methods {
    () => {
        /// An address (`"198.51.100.7"`, a /32) or range (`"198.51.100.0/24"`), named by this
        /// text.
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

        /// The addresses of the set named `name` (see [`DesiredBuilder::set`]), in place.
        pub fn set(mut self, name: impl Into<String>) -> Self {
            self.addresses.push(Entry::Set(name.into()));
            self
        }
    };
}

/// The `accounts` method of [`ListBuilder`], [`SetBuilder`] and [`ByocBuilder`].
macro_rules! accounts_method {
    () => {
        /// The accounts (by [`AccountBuilder`] name) it is given to, as a file's
        /// `accounts = [...]`; without it, every account.
        pub fn accounts<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
            self.accounts = Some(names.into_iter().map(Into::into).collect());
            self
        }
    };
}

impl DesiredBuilder {
    /// Adds an account (a file's `[accounts.NAME]`): with accounts, lists, sets and `[byoc]`
    /// are given to every account unless their `accounts` say which.
    pub fn account(mut self, account: AccountBuilder) -> Self {
        self.accounts.push(account);
        self
    }

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

    /// Adds the `[byoc]` IP Records: with them, the desired state is the truth for every IP
    /// Record and Source IP Mapping of the account.
    pub fn byoc(mut self, byoc: ByocBuilder) -> Self {
        self.byoc = Some(byoc);
        self
    }

    /// `[settings] prune_prefix`: the lists whose `FriendlyName` starts with `prefix` belong
    /// to this desired state, and a plan with [`PlanOptions::prune`](crate::allowlist::PlanOptions::prune)
    /// deletes those it does not name.
    pub fn prune_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prune_prefix = Some(prefix.into());
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
                table: None,
                accounts: raw_use(list.accounts),
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
                accounts: raw_use(set.accounts),
                origin: None,
                addresses: raw(set.addresses),
            })
            .collect();
        let byoc = self.byoc.map(|byoc| RawByoc {
            accounts: raw_use(byoc.accounts),
            origin: None,
            records: byoc
                .records
                .into_iter()
                .map(|r| RawIpRecord {
                    ip: r.ip,
                    name: r.name,
                    sip_domain: r.sip_domain.map(|text| Reference {
                        kind: TargetKind::SipDomain,
                        text,
                        origin: None,
                    }),
                    origin: None,
                })
                .collect(),
        });
        let accounts: Vec<RawAccount> = self
            .accounts
            .into_iter()
            .map(|account| RawAccount::given(account.name, account.fields))
            .collect();
        let prune_prefix = match self.prune_prefix {
            Some(prefix) => match check_prune_prefix(&prefix) {
                Ok(()) => Some(prefix),
                Err(reason) => return Err(DesiredError::new(None, None, None, None, reason)),
            },
            None => None,
        };
        let mut errors = Vec::new();
        let accounts = check_accounts(None, accounts, &mut errors);
        let checked = validate(None, accounts, sets, lists, byoc).map(|desired| Desired {
            prune_prefix,
            ..desired
        });
        with_earlier(checked, errors)
    }
}

/// One list of a [`DesiredBuilder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ListBuilder {
    name: String,
    accounts: Option<Vec<String>>,
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
            accounts: None,
            addresses: Vec::new(),
            trunks: Vec::new(),
            sip_domains: Vec::new(),
            split: false,
        }
    }

    address_methods!();
    accounts_method!();

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
    accounts: Option<Vec<String>>,
    addresses: Vec<Entry>,
}

impl SetBuilder {
    /// A set named `name`, with no addresses yet.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            accounts: None,
            addresses: Vec::new(),
        }
    }

    address_methods!();
    accounts_method!();
}

/// The `[byoc]` table of a [`DesiredBuilder`]: every IP Record the account should have.
///
/// ```
/// use twilio_ip_access::allowlist::{ByocBuilder, Desired, IpRecordBuilder};
///
/// let desired = Desired::builder()
///     .byoc(
///         ByocBuilder::new()
///             .ip_record(IpRecordBuilder::new("203.0.113.10").name("sbc-fra-1").sip_domain("acme.sip.twilio.com"))
///             .ip_record(IpRecordBuilder::new("192.0.2.44")),
///     )
///     .build()?;
/// let records = desired.byoc().unwrap();
/// assert_eq!((records[1].cidr(), records[1].name()), ("192.0.2.44/32".to_owned(), "192.0.2.44"));
/// assert_eq!(records[0].sip_domain(), Some("acme.sip.twilio.com"));
/// # Ok::<(), twilio_ip_access::allowlist::DesiredError>(())
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct ByocBuilder {
    accounts: Option<Vec<String>>,
    records: Vec<IpRecordBuilder>,
}

impl ByocBuilder {
    /// No IP Records yet (built as is, it removes every IP Record of the account).
    pub fn new() -> Self {
        Self::default()
    }

    accounts_method!();

    /// Adds an IP Record.
    pub fn ip_record(mut self, record: IpRecordBuilder) -> Self {
        self.records.push(record);
        self
    }
}

/// One IP Record of a [`ByocBuilder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct IpRecordBuilder {
    ip: String,
    name: Option<String>,
    sip_domain: Option<String>,
}

impl IpRecordBuilder {
    /// An address (`"203.0.113.10"`, a /32) or range (`"203.0.113.16/28"`), named by this
    /// text, with no Source IP Mapping.
    pub fn new(ip: impl Into<String>) -> Self {
        Self {
            ip: ip.into(),
            name: None,
            sip_domain: None,
        }
    }

    /// Its `FriendlyName`.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The SIP domain its Source IP Mapping points at: its SID (`SD…`) or domain name.
    pub fn sip_domain(mut self, sid_or_domain_name: impl Into<String>) -> Self {
        self.sip_domain = Some(sid_or_domain_name.into());
        self
    }
}

/// One account of a [`DesiredBuilder`] (a file's `[accounts.NAME]`), checked as a file's is:
/// exactly one of [`auth_token_env`](Self::auth_token_env), [`api_key_env`](Self::api_key_env)
/// or [`parent`](Self::parent); names of environment variables, never secrets.
///
/// ```
/// use twilio_ip_access::allowlist::{AccountBuilder, Desired, ListBuilder};
///
/// let desired = Desired::builder()
///     .account(AccountBuilder::new("us", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").auth_token_env("US_AUTH_TOKEN"))
///     .account(
///         AccountBuilder::new("ie", "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
///             .api_key_env("IE_API_KEY", "IE_API_SECRET")
///             .region("ie1")
///             .edge("dublin"),
///     )
///     .list(ListBuilder::new("office").address("198.51.100.7").accounts(["ie"]))
///     .build()?;
/// assert_eq!(desired.for_account("ie").lists().len(), 1);
/// assert!(desired.for_account("us").lists().is_empty());
/// # Ok::<(), twilio_ip_access::allowlist::DesiredError>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct AccountBuilder {
    name: String,
    /// (key, value) as a file's table would say them.
    fields: Vec<(&'static str, String)>,
}

impl AccountBuilder {
    /// An account named `name` acting on `account_sid` (`AC…`).
    pub fn new(name: impl Into<String>, account_sid: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            fields: vec![("account_sid", account_sid.into())],
        }
    }

    fn field(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.fields.push((key, value.into()));
        self
    }

    /// The environment variable holding its auth token.
    pub fn auth_token_env(self, variable: impl Into<String>) -> Self {
        self.field("auth_token_env", variable)
    }

    /// The environment variables holding an API key's SID (`SK…`) and its secret.
    pub fn api_key_env(
        self,
        key_variable: impl Into<String>,
        secret_variable: impl Into<String>,
    ) -> Self {
        self.field("api_key_env", key_variable)
            .field("api_secret_env", secret_variable)
    }

    /// A subaccount reached with the credentials of the account named `parent`.
    pub fn parent(self, parent: impl Into<String>) -> Self {
        self.field("parent", parent)
    }

    /// Its region (`ie1`, `au1`…).
    pub fn region(self, region: impl Into<String>) -> Self {
        self.field("region", region)
    }

    /// Its edge location (`dublin`, `sydney`…).
    pub fn edge(self, edge: impl Into<String>) -> Self {
        self.field("edge", edge)
    }

    /// One base URL for every product of the account (an emulator, a proxy).
    pub fn base_url(self, url: impl Into<String>) -> Self {
        self.field("base_url", url)
    }
}
