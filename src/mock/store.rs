//! The emulator's data: accounts and their credentials, and the records each account owns, for
//! every resource of the table alike.
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
use serde_json::{Map, Value};

use super::{errors::TwilioError, paging::Listed, table::Resource};

/// The current time, to the second (Twilio's dates carry no fractions).
pub(crate) fn now() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now)
}

/// One record of a resource.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    /// The creation sequence number: lists are in this order.
    pub(crate) seq: u64,
    pub(crate) sid: String,
    /// The SIDs of [`Resource::parents`], in the same order.
    pub(crate) parents: Vec<String>,
    /// The stored values, by response property name (form fields, defaults, seeded values).
    pub(crate) values: Map<String, Value>,
    pub(crate) created: DateTime<Utc>,
    pub(crate) updated: DateTime<Utc>,
}

impl Listed for &Record {
    fn seq(&self) -> u64 {
        self.seq
    }
    fn sid(&self) -> &str {
        &self.sid
    }
}

/// An account (the main one or a subaccount) and everything it owns.
#[derive(Debug, Clone, Default)]
pub(crate) struct Account {
    auth_token: String,
    /// The parent account of a subaccount.
    parent: Option<String>,
    /// The records of each resource (by [`Resource::module`]), in creation order.
    tables: HashMap<&'static str, Vec<Record>>,
}

impl Account {
    /// Every record of `resource`, whatever its parents, in creation order.
    pub(crate) fn records(&self, resource: &Resource) -> &[Record] {
        self.tables
            .get(resource.module)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    pub(crate) fn records_mut(&mut self, resource: &Resource) -> &mut Vec<Record> {
        self.tables.entry(resource.module).or_default()
    }

    /// The records of `resource` under `parents`, in creation order.
    pub(crate) fn scoped<'a>(
        &'a self,
        resource: &Resource,
        parents: &'a [String],
    ) -> impl Iterator<Item = &'a Record> + 'a {
        self.records(resource)
            .iter()
            .filter(move |r| r.parents == parents)
    }

    /// The record `sid` of `resource` under `parents`.
    pub(crate) fn find(
        &self,
        resource: &Resource,
        parents: &[String],
        sid: &str,
    ) -> Option<&Record> {
        self.records(resource)
            .iter()
            .find(|r| r.parents == parents && r.sid == sid)
    }

    pub(crate) fn find_mut(
        &mut self,
        resource: &Resource,
        parents: &[String],
        sid: &str,
    ) -> Option<&mut Record> {
        self.records_mut(resource)
            .iter_mut()
            .find(|r| r.parents == parents && r.sid == sid)
    }

    /// The record `sid` of `resource`, under whichever parents.
    pub(crate) fn find_any(&self, resource: &Resource, sid: &str) -> Option<&Record> {
        self.records(resource).iter().find(|r| r.sid == sid)
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

    /// A fresh sequence number, for records whose SID is not their own (associations).
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
        self.accounts.contains_key(path_account)
            && (caller == path_account
                || self
                    .accounts
                    .get(path_account)
                    .and_then(|a| a.parent.as_deref())
                    == Some(caller))
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

    /// Creates a record of `resource` (one without parents) in the main account, with `values`,
    /// as the seeding helpers of [`MockTwilio`](super::MockTwilio) do; its SID.
    pub(crate) fn seed(&mut self, resource: &Resource, values: Map<String, Value>) -> String {
        let (sid, seq) = self.mint(resource.sid_prefix);
        let now = now();
        let record = Record {
            seq,
            sid: sid.clone(),
            parents: Vec::new(),
            values,
            created: now,
            updated: now,
        };
        let main = self.main_account.clone();
        if let Some(account) = self.accounts.get_mut(&main) {
            account.records_mut(resource).push(record);
        }
        sid
    }
}

/// Compares secrets without stopping at the first difference.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::catalog::by_module;

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
        assert!(!store.may_act_for(&main, &format!("AC{}", "b".repeat(32))));
    }

    #[test]
    fn records_are_scoped_by_account_resource_and_parents() {
        let mut store = Store::new(None, None);
        let trunk = by_module("trunk").unwrap();
        let sid = store.seed(trunk, Map::new());
        assert_eq!(store.seq_of(&sid), Some(2), "the account's SID came first");
        let main = store.main_account().to_owned();
        let account = store.account(&main).unwrap();
        assert_eq!(account.records(trunk).len(), 1);
        assert!(account.find(trunk, &[], &sid).is_some());
        assert!(
            account
                .find(trunk, std::slice::from_ref(&sid), &sid)
                .is_none()
        );
        assert!(account.find_any(trunk, &sid).is_some());
        assert!(account.records(by_module("ip_record").unwrap()).is_empty());
        let (sub, _) = store.add_subaccount();
        assert!(store.account(&sub).unwrap().records(trunk).is_empty());
    }
}
