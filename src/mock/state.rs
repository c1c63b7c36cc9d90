//! The emulator's data: accounts and their credentials, and the resources each account owns.
//!
//! One [`Store`] per emulator instance, behind a mutex: every request that changes it holds the
//! lock from its check to its write, so concurrent requests see the limits (100 addresses per
//! list) exactly. Every SID ever issued is remembered with its creation sequence number, which
//! keeps SIDs unique and lets a page token outlive the item it names.

use std::{
    collections::HashMap,
    hash::{BuildHasher, RandomState},
};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{errors::TwilioError, paging::Listed};
use crate::time::Rfc2822DateTime;

/// How many IP addresses one IP access control list holds at most.
pub(crate) const MAX_ADDRESSES_PER_LIST: usize = 100;

/// The current time, to the second (Twilio's dates carry no fractions).
fn now() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now)
}

/// `2020-03-18T23:31:36Z`, the v1 APIs' format.
fn iso(date: &DateTime<Utc>) -> String {
    date.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `Mon, 20 Jul 2015 17:27:10 +0000`, the 2010 API's format.
fn rfc2822(date: &DateTime<Utc>) -> String {
    Rfc2822DateTime(*date).to_string()
}

/// Creation and update times.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dates {
    pub(crate) created: DateTime<Utc>,
    pub(crate) updated: DateTime<Utc>,
}

impl Dates {
    pub(crate) fn new() -> Self {
        let now = now();
        Self {
            created: now,
            updated: now,
        }
    }

    pub(crate) fn touch(&mut self) {
        self.updated = now();
    }
}

/// A Voice IP Record.
#[derive(Debug, Clone)]
pub(crate) struct IpRecord {
    pub(crate) seq: u64,
    pub(crate) sid: String,
    pub(crate) friendly_name: Option<String>,
    pub(crate) ip_address: String,
    pub(crate) cidr_prefix_length: u8,
    pub(crate) dates: Dates,
}

impl IpRecord {
    pub(crate) fn json(&self, account_sid: &str, base_url: &str) -> Value {
        json!({
            "account_sid": account_sid,
            "sid": self.sid,
            "friendly_name": self.friendly_name,
            "ip_address": self.ip_address,
            "cidr_prefix_length": self.cidr_prefix_length,
            "date_created": iso(&self.dates.created),
            "date_updated": iso(&self.dates.updated),
            "url": format!("{base_url}/v1/IpRecords/{}", self.sid),
        })
    }
}

/// A Voice Source IP Mapping.
#[derive(Debug, Clone)]
pub(crate) struct SourceIpMapping {
    pub(crate) seq: u64,
    pub(crate) sid: String,
    pub(crate) ip_record_sid: String,
    pub(crate) sip_domain_sid: String,
    pub(crate) dates: Dates,
}

impl SourceIpMapping {
    pub(crate) fn json(&self, base_url: &str) -> Value {
        json!({
            "sid": self.sid,
            "ip_record_sid": self.ip_record_sid,
            "sip_domain_sid": self.sip_domain_sid,
            "date_created": iso(&self.dates.created),
            "date_updated": iso(&self.dates.updated),
            "url": format!("{base_url}/v1/SourceIpMappings/{}", self.sid),
        })
    }
}

/// A SIP IP address in a list.
#[derive(Debug, Clone)]
pub(crate) struct SipIpAddress {
    pub(crate) seq: u64,
    pub(crate) sid: String,
    pub(crate) friendly_name: String,
    pub(crate) ip_address: String,
    pub(crate) cidr_prefix_length: u8,
    pub(crate) dates: Dates,
}

impl SipIpAddress {
    pub(crate) fn json(&self, account_sid: &str, acl_sid: &str) -> Value {
        json!({
            "sid": self.sid,
            "account_sid": account_sid,
            "friendly_name": self.friendly_name,
            "ip_address": self.ip_address,
            "cidr_prefix_length": self.cidr_prefix_length,
            "ip_access_control_list_sid": acl_sid,
            "date_created": rfc2822(&self.dates.created),
            "date_updated": rfc2822(&self.dates.updated),
            "uri": format!(
                "/2010-04-01/Accounts/{account_sid}/SIP/IpAccessControlLists/{acl_sid}/IpAddresses/{}.json",
                self.sid
            ),
        })
    }
}

/// A SIP IP access control list (created through [`super::MockTwilio`], not the HTTP API).
#[derive(Debug, Clone)]
pub(crate) struct Acl {
    pub(crate) sid: String,
    pub(crate) friendly_name: String,
    pub(crate) addresses: Vec<SipIpAddress>,
}

/// An IP access control list associated with a trunk.
#[derive(Debug, Clone)]
pub(crate) struct TrunkAcl {
    /// The association's own sequence number: a trunk lists its lists in association order.
    pub(crate) seq: u64,
    pub(crate) acl_sid: String,
    pub(crate) dates: Dates,
}

impl TrunkAcl {
    pub(crate) fn json(
        &self,
        account_sid: &str,
        trunk_sid: &str,
        friendly_name: &str,
        base_url: &str,
    ) -> Value {
        json!({
            "account_sid": account_sid,
            "sid": self.acl_sid,
            "trunk_sid": trunk_sid,
            "friendly_name": friendly_name,
            "date_created": iso(&self.dates.created),
            "date_updated": iso(&self.dates.updated),
            "url": format!("{base_url}/v1/Trunks/{trunk_sid}/IpAccessControlLists/{}", self.acl_sid),
        })
    }
}

/// A SIP trunk and the lists associated with it.
#[derive(Debug, Clone)]
pub(crate) struct Trunk {
    pub(crate) sid: String,
    pub(crate) acls: Vec<TrunkAcl>,
}

macro_rules! listed {
    ($($type:ty => $sid:ident),* $(,)?) => {$(
        impl Listed for $type {
            fn seq(&self) -> u64 {
                self.seq
            }
            fn sid(&self) -> &str {
                &self.$sid
            }
        }
    )*};
}
listed!(IpRecord => sid, SourceIpMapping => sid, SipIpAddress => sid, TrunkAcl => acl_sid);

/// Finds an item of a list by SID.
pub(crate) fn find<'a, T: Listed>(items: &'a [T], sid: &str) -> Option<&'a T> {
    items.iter().find(|i| i.sid() == sid)
}

/// Finds an item of a list by SID, to change it.
pub(crate) fn find_mut<'a, T: Listed>(items: &'a mut [T], sid: &str) -> Option<&'a mut T> {
    items.iter_mut().find(|i| i.sid() == sid)
}

/// Removes an item of a list by SID; whether it was there.
pub(crate) fn remove<T: Listed>(items: &mut Vec<T>, sid: &str) -> bool {
    let before = items.len();
    items.retain(|i| i.sid() != sid);
    items.len() != before
}

/// An account (the main one or a subaccount) and everything it owns.
#[derive(Debug, Clone, Default)]
pub(crate) struct Account {
    auth_token: String,
    /// The parent account of a subaccount.
    parent: Option<String>,
    pub(crate) ip_records: Vec<IpRecord>,
    pub(crate) source_ip_mappings: Vec<SourceIpMapping>,
    pub(crate) sip_domains: Vec<String>,
    pub(crate) trunks: Vec<Trunk>,
    pub(crate) acls: Vec<Acl>,
}

impl Account {
    pub(crate) fn trunk(&self, sid: &str) -> Option<&Trunk> {
        self.trunks.iter().find(|t| t.sid == sid)
    }

    pub(crate) fn trunk_mut(&mut self, sid: &str) -> Option<&mut Trunk> {
        self.trunks.iter_mut().find(|t| t.sid == sid)
    }

    pub(crate) fn acl(&self, sid: &str) -> Option<&Acl> {
        self.acls.iter().find(|a| a.sid == sid)
    }

    pub(crate) fn acl_mut(&mut self, sid: &str) -> Option<&mut Acl> {
        self.acls.iter_mut().find(|a| a.sid == sid)
    }
}

#[derive(Debug, Clone)]
struct ApiKey {
    secret: String,
    account: String,
}

/// All the data of one emulator.
#[derive(Debug)]
pub(crate) struct Store {
    hasher: RandomState,
    counter: u64,
    next_seq: u64,
    /// Every SID issued, with its creation sequence number.
    issued: HashMap<String, u64>,
    main_account: String,
    accounts: HashMap<String, Account>,
    api_keys: HashMap<String, ApiKey>,
}

impl Store {
    /// A store with one account: `account_sid` and `auth_token`, or random ones.
    pub(crate) fn new(account_sid: Option<String>, auth_token: Option<String>) -> Self {
        let mut store = Self {
            hasher: RandomState::new(),
            counter: 0,
            next_seq: 0,
            issued: HashMap::new(),
            main_account: String::new(),
            accounts: HashMap::new(),
            api_keys: HashMap::new(),
        };
        let sid = match account_sid {
            Some(sid) => {
                store.register(&sid);
                sid
            }
            None => store.mint("AC").0,
        };
        let auth_token = auth_token.unwrap_or_else(|| store.secret());
        store.accounts.insert(
            sid.clone(),
            Account {
                auth_token,
                ..Account::default()
            },
        );
        store.main_account = sid;
        store
    }

    pub(crate) fn main_account(&self) -> &str {
        &self.main_account
    }

    pub(crate) fn auth_token(&self, account: &str) -> Option<&str> {
        self.accounts.get(account).map(|a| a.auth_token.as_str())
    }

    /// 32 lowercase hex digits, from a per-instance counter mixed by a randomly keyed hasher.
    fn hex32(&mut self) -> String {
        self.counter += 1;
        let high = self.hasher.hash_one((self.counter, 0u8));
        let low = self.hasher.hash_one((self.counter, 1u8));
        format!("{high:016x}{low:016x}")
    }

    fn register(&mut self, sid: &str) -> u64 {
        self.next_seq += 1;
        self.issued.insert(sid.to_owned(), self.next_seq);
        self.next_seq
    }

    /// A new, unique SID with `prefix`, and its creation sequence number.
    pub(crate) fn mint(&mut self, prefix: &str) -> (String, u64) {
        loop {
            let sid = format!("{prefix}{}", self.hex32());
            if !self.issued.contains_key(&sid) {
                let seq = self.register(&sid);
                return (sid, seq);
            }
        }
    }

    /// A fresh sequence number, for things that are not SIDs of their own (trunk associations).
    pub(crate) fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// A random secret: an auth token or an API key secret.
    fn secret(&mut self) -> String {
        self.hex32()
    }

    /// The creation sequence number of any SID this store issued.
    pub(crate) fn seq_of(&self, sid: &str) -> Option<u64> {
        self.issued.get(sid).copied()
    }

    /// The account that `user:password` authenticates: an account SID with its auth token, or an
    /// API key SID with its secret.
    pub(crate) fn authenticate(&self, user: &str, password: &str) -> Option<String> {
        if let Some(account) = self.accounts.get(user) {
            return constant_time_eq(account.auth_token.as_bytes(), password.as_bytes())
                .then(|| user.to_owned());
        }
        let key = self.api_keys.get(user)?;
        constant_time_eq(key.secret.as_bytes(), password.as_bytes()).then(|| key.account.clone())
    }

    /// Whether `caller` may act on `path_account` in a 2010 path: itself, or one of its
    /// subaccounts.
    pub(crate) fn may_act_for(&self, caller: &str, path_account: &str) -> bool {
        caller == path_account
            || self
                .accounts
                .get(path_account)
                .and_then(|a| a.parent.as_deref())
                == Some(caller)
    }

    pub(crate) fn account(&self, sid: &str) -> Result<&Account, TwilioError> {
        self.accounts.get(sid).ok_or_else(TwilioError::unauthorized)
    }

    pub(crate) fn account_mut(&mut self, sid: &str) -> Result<&mut Account, TwilioError> {
        self.accounts
            .get_mut(sid)
            .ok_or_else(TwilioError::unauthorized)
    }

    /// Registers an API key of `account`: its SID and secret.
    pub(crate) fn add_api_key(&mut self, account: &str) -> (String, String) {
        let (sid, _) = self.mint("SK");
        let secret = self.secret();
        self.api_keys.insert(
            sid.clone(),
            ApiKey {
                secret: secret.clone(),
                account: account.to_owned(),
            },
        );
        (sid, secret)
    }

    /// A subaccount of the main account: its SID and auth token.
    pub(crate) fn add_subaccount(&mut self) -> (String, String) {
        let (sid, _) = self.mint("AC");
        let auth_token = self.secret();
        let parent = Some(self.main_account.clone());
        self.accounts.insert(
            sid.clone(),
            Account {
                auth_token: auth_token.clone(),
                parent,
                ..Account::default()
            },
        );
        (sid, auth_token)
    }

    /// Creates a SIP domain, a trunk or an IP access control list in the main account.
    pub(crate) fn create_in_main(&mut self, what: Owned) -> String {
        let prefix = match what {
            Owned::SipDomain => "SD",
            Owned::Trunk => "TK",
            Owned::Acl(_) => "AL",
        };
        let (sid, _) = self.mint(prefix);
        let main = self.main_account.clone();
        if let Some(account) = self.accounts.get_mut(&main) {
            match what {
                Owned::SipDomain => account.sip_domains.push(sid.clone()),
                Owned::Trunk => account.trunks.push(Trunk {
                    sid: sid.clone(),
                    acls: Vec::new(),
                }),
                Owned::Acl(friendly_name) => account.acls.push(Acl {
                    sid: sid.clone(),
                    friendly_name,
                    addresses: Vec::new(),
                }),
            }
        }
        sid
    }
}

/// What [`Store::create_in_main`] creates.
#[derive(Debug, Clone)]
pub(crate) enum Owned {
    SipDomain,
    Trunk,
    Acl(String),
}

/// Compares secrets without stopping at the first difference.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sids_are_unique_and_well_formed() {
        let mut store = Store::new(None, None);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            let (sid, _) = store.mint("IL");
            assert!(crate::sid::IpRecordSid::new(&sid).is_ok(), "{sid}");
            assert!(
                sid[2..]
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
            );
            assert!(seen.insert(sid));
        }
        assert!(crate::sid::AccountSid::new(store.main_account()).is_ok());
    }

    #[test]
    fn credentials() {
        let mut store = Store::new(Some(format!("AC{}", "a".repeat(32))), Some("token".into()));
        let main = store.main_account().to_owned();
        assert_eq!(store.authenticate(&main, "token"), Some(main.clone()));
        assert_eq!(store.authenticate(&main, "tokem"), None);
        assert_eq!(store.authenticate(&main, ""), None);
        let (key, secret) = store.add_api_key(&main);
        assert_eq!(store.authenticate(&key, &secret), Some(main.clone()));
        assert_eq!(store.authenticate(&key, "token"), None);
        let (sub, sub_token) = store.add_subaccount();
        assert_eq!(store.authenticate(&sub, &sub_token), Some(sub.clone()));
        assert!(store.may_act_for(&main, &sub));
        assert!(!store.may_act_for(&sub, &main));
    }

    #[test]
    fn dates() {
        let date = DateTime::from_timestamp(1_437_413_230, 0).unwrap();
        assert_eq!(iso(&date), "2015-07-20T17:27:10Z");
        assert_eq!(rfc2822(&date), "Mon, 20 Jul 2015 17:27:10 +0000");
    }
}
