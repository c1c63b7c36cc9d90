//! The emulator's data: accounts and their credentials, and the records each account owns, for
//! every resource of the table alike.
//!
//! One [`Store`] per emulator instance, behind a mutex: every request that changes it holds the
//! lock from its check to its write, so concurrent requests see the limits (100 addresses per
//! list) exactly. Every SID ever issued is remembered with its creation sequence number, which
//! keeps SIDs unique and lets a page token outlive the item it names.

use std::{
    collections::{BTreeMap, HashMap},
    fs,
    hash::{BuildHasher, RandomState},
    io::{self, Write},
    path::Path,
};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    catalog,
    errors::TwilioError,
    form,
    paging::Listed,
    table::{RESOURCES, Resource, Source},
};

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

/// The state file's format version.
const STATE_VERSION: u32 = 1;

/// Everything a store holds, as `twilio-mock --state FILE` saves and loads it (JSON). The README
/// documents the format; keys are the response properties' names and the spec files' stems.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct State {
    /// Always [`STATE_VERSION`].
    version: u32,
    account_sid: String,
    auth_token: String,
    #[serde(default)]
    subaccounts: Vec<SubaccountState>,
    #[serde(default)]
    api_keys: Vec<ApiKeyState>,
    /// By account SID, then by resource (spec file stem), records in creation order.
    #[serde(default)]
    records: BTreeMap<String, BTreeMap<String, Vec<RecordState>>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SubaccountState {
    sid: String,
    auth_token: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiKeyState {
    sid: String,
    secret: String,
    account: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordState {
    sid: String,
    /// The SIDs of the resource's parent path parameters, outermost first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    parents: Vec<String>,
    #[serde(default)]
    values: Map<String, Value>,
    /// When left out of a file: the time it is loaded.
    #[serde(default = "now")]
    date_created: DateTime<Utc>,
    #[serde(default = "now")]
    date_updated: DateTime<Utc>,
}

/// Whether `sid` is `prefix` followed by 32 hex digits.
fn well_formed(sid: &str, prefix: &str) -> bool {
    sid.len() == prefix.len() + 32
        && sid.starts_with(prefix)
        && sid[prefix.len()..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether a token or secret is usable in Basic authentication.
fn usable_secret(secret: &str) -> bool {
    !secret.trim().is_empty() && !secret.chars().any(char::is_control)
}

impl Store {
    /// Everything this store holds, accounts in creation order, records in creation order.
    pub(crate) fn to_state(&self) -> State {
        let mut subaccounts: Vec<(&String, &Account)> = self
            .accounts
            .iter()
            .filter(|(_, account)| account.parent.is_some())
            .collect();
        subaccounts.sort_by_key(|(sid, _)| self.seq_of(sid));
        let mut api_keys: Vec<(&String, &ApiKey)> = self.api_keys.iter().collect();
        api_keys.sort_by_key(|(sid, _)| self.seq_of(sid));
        let records = self
            .accounts
            .iter()
            .filter_map(|(sid, account)| {
                let tables: BTreeMap<String, Vec<RecordState>> = RESOURCES
                    .iter()
                    .filter(|resource| !account.records(resource).is_empty())
                    .map(|resource| {
                        let records = account.records(resource).iter().map(|r| RecordState {
                            sid: r.sid.clone(),
                            parents: r.parents.clone(),
                            values: r.values.clone(),
                            date_created: r.created,
                            date_updated: r.updated,
                        });
                        (resource.module.to_owned(), records.collect())
                    })
                    .collect();
                (!tables.is_empty()).then(|| (sid.clone(), tables))
            })
            .collect();
        State {
            version: STATE_VERSION,
            account_sid: self.main_account.clone(),
            auth_token: self
                .auth_token(&self.main_account)
                .unwrap_or_default()
                .to_owned(),
            subaccounts: subaccounts
                .into_iter()
                .map(|(sid, account)| SubaccountState {
                    sid: sid.clone(),
                    auth_token: account.auth_token.clone(),
                })
                .collect(),
            api_keys: api_keys
                .into_iter()
                .map(|(sid, key)| ApiKeyState {
                    sid: sid.clone(),
                    secret: key.secret.clone(),
                    account: key.account.clone(),
                })
                .collect(),
            records,
        }
    }

    /// A store holding `state`, its main account's auth token replaced by `auth_token` if
    /// given; or the entry that is wrong (such as `records.AC….ip_record[2].sid`) and why.
    pub(crate) fn from_state(state: State, auth_token: Option<String>) -> Result<Store, String> {
        if state.version != STATE_VERSION {
            return Err(format!(
                "version: {} is not a version this twilio-mock reads (it reads {STATE_VERSION})",
                state.version
            ));
        }
        if !well_formed(&state.account_sid, "AC") {
            return Err(format!(
                "account_sid: `{}` is not an Account SID (AC and 32 hex digits)",
                state.account_sid
            ));
        }
        if !usable_secret(&state.auth_token) {
            return Err("auth_token: blank or holds control characters".into());
        }
        let mut store = Store::new(
            Some(state.account_sid.clone()),
            Some(auth_token.unwrap_or(state.auth_token)),
        );
        for (i, sub) in state.subaccounts.into_iter().enumerate() {
            let entry = format!("subaccounts[{i}]");
            if !well_formed(&sub.sid, "AC") {
                return Err(format!("{entry}.sid: `{}` is not an Account SID", sub.sid));
            }
            if store.issued.contains_key(&sub.sid) {
                return Err(format!("{entry}.sid: `{}` appears twice", sub.sid));
            }
            if !usable_secret(&sub.auth_token) {
                return Err(format!(
                    "{entry}.auth_token: blank or holds control characters"
                ));
            }
            store.register(&sub.sid);
            let account = Account {
                auth_token: sub.auth_token,
                parent: Some(store.main_account.clone()),
                ..Account::default()
            };
            store.accounts.insert(sub.sid, account);
        }
        for (i, key) in state.api_keys.into_iter().enumerate() {
            let entry = format!("api_keys[{i}]");
            if !well_formed(&key.sid, "SK") {
                return Err(format!(
                    "{entry}.sid: `{}` is not an API key SID (SK and 32 hex digits)",
                    key.sid
                ));
            }
            if store.issued.contains_key(&key.sid) {
                return Err(format!("{entry}.sid: `{}` appears twice", key.sid));
            }
            if !usable_secret(&key.secret) {
                return Err(format!("{entry}.secret: blank or holds control characters"));
            }
            if !store.accounts.contains_key(&key.account) {
                return Err(format!(
                    "{entry}.account: `{}` is neither account_sid nor a subaccount",
                    key.account
                ));
            }
            store.register(&key.sid);
            store.api_keys.insert(
                key.sid,
                ApiKey {
                    secret: key.secret,
                    account: key.account,
                },
            );
        }
        // Records whose SID is their own first, so that an association, whose SID is the SID
        // of the record it links, finds it issued whatever the order of the file.
        let mut checked = Vec::new();
        for (account_sid, tables) in state.records {
            if !store.accounts.contains_key(&account_sid) {
                return Err(format!(
                    "records.{account_sid}: neither account_sid nor a subaccount"
                ));
            }
            for (module, records) in tables {
                let Some(resource) = catalog::by_module(&module) else {
                    let known: Vec<&str> = RESOURCES.iter().map(|r| r.module).collect();
                    return Err(format!(
                        "records.{account_sid}.{module}: no such resource (one of {})",
                        known.join(", ")
                    ));
                };
                for (i, record) in records.into_iter().enumerate() {
                    let entry = format!("records.{account_sid}.{module}[{i}]");
                    check_record(resource, &record).map_err(|e| format!("{entry}{e}"))?;
                    checked.push((account_sid.clone(), resource, entry, record));
                }
            }
        }
        checked.sort_by_key(|(_, resource, _, _)| resource.association.is_some());
        for (account_sid, resource, entry, record) in checked {
            let seq = if resource.association.is_some() {
                if !store.issued.contains_key(&record.sid) {
                    return Err(format!(
                        "{entry}.sid: `{}` names no record of this file",
                        record.sid
                    ));
                }
                store.next_seq()
            } else {
                if store.issued.contains_key(&record.sid) {
                    return Err(format!("{entry}.sid: `{}` appears twice", record.sid));
                }
                store.register(&record.sid)
            };
            let account = store
                .accounts
                .get_mut(&account_sid)
                .ok_or_else(|| format!("records.{account_sid}: no such account"))?;
            if resource.association.is_some()
                && account
                    .find(resource, &record.parents, &record.sid)
                    .is_some()
            {
                return Err(format!("{entry}: `{}` appears twice", record.sid));
            }
            account.records_mut(resource).push(Record {
                seq,
                sid: record.sid,
                parents: record.parents,
                values: record.values,
                created: record.date_created,
                updated: record.date_updated,
            });
        }
        store.check_parents()?;
        Ok(store)
    }

    /// Every record's parents exist in its account, where the emulator holds their resource.
    fn check_parents(&self) -> Result<(), String> {
        for (account_sid, account) in &self.accounts {
            for resource in RESOURCES {
                for (i, record) in account.records(resource).iter().enumerate() {
                    for (parent, sid) in resource.parents.iter().zip(&record.parents) {
                        let Some(owner) = catalog::named_by_prefix(parent.sid_prefix) else {
                            continue;
                        };
                        if account.find_any(owner, sid).is_none() {
                            return Err(format!(
                                "records.{account_sid}.{}[{i}].parents: {} `{sid}` is not among the account's {} records",
                                resource.module, parent.param, owner.module
                            ));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// The store a state file holds (see [`State`]), or an error naming the file and the entry.
pub(crate) fn load_state(path: &Path, auth_token: Option<String>) -> io::Result<Store> {
    let invalid = |why: String| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("state file {}: {why}", path.display()),
        )
    };
    let text = fs::read_to_string(path).map_err(|e| invalid(format!("cannot be read: {e}")))?;
    let state: State = serde_json::from_str(&text)
        .map_err(|e| invalid(format!("not a twilio-mock state file: {e}")))?;
    Store::from_state(state, auth_token).map_err(invalid)
}

/// Writes `state` to `path` through a temporary file in the same directory, renamed over it
/// once complete and flushed to disk.
pub(crate) fn save_state(path: &Path, state: &State) -> io::Result<()> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("state file {}: not a file name", path.display()),
        )
    })?;
    let mut temporary = name.to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = path.with_file_name(temporary);
    let written = (|| {
        let mut file = fs::File::create(&temporary)?;
        serde_json::to_writer_pretty(&mut file, state)?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written.map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("state file {}: cannot be written: {e}", path.display()),
        )
    })
}

/// What is wrong with one record of `resource`, as `.field: reason`.
fn check_record(resource: &Resource, record: &RecordState) -> Result<(), String> {
    let prefix = if resource.association.is_some() {
        catalog::linked(resource).map_or("", |r| r.sid_prefix)
    } else {
        resource.sid_prefix
    };
    if !well_formed(&record.sid, prefix) || prefix.is_empty() {
        return Err(format!(
            ".sid: `{}` is not a SID of {} ({prefix} and 32 hex digits)",
            record.sid, resource.class
        ));
    }
    if record.parents.len() != resource.parents.len() {
        return Err(format!(
            ".parents: {} given, {} expected ({})",
            record.parents.len(),
            resource.parents.len(),
            resource
                .parents
                .iter()
                .map(|p| p.param)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for (parent, sid) in resource.parents.iter().zip(&record.parents) {
        if !well_formed(sid, parent.sid_prefix) {
            return Err(format!(
                ".parents: `{sid}` is not a {} ({} and 32 hex digits)",
                parent.param, parent.sid_prefix
            ));
        }
    }
    let fields = || {
        let create = resource.create.unwrap_or_default().iter();
        create.chain(resource.update.unwrap_or_default())
    };
    for field in resource.create.unwrap_or_default() {
        if field.required && !record.values.contains_key(field.property) {
            return Err(format!(
                ".values: `{}` is missing ({} is required on create)",
                field.property, field.wire
            ));
        }
    }
    for (name, value) in &record.values {
        // A form field's value must be what a request would have stored.
        if let Some(field) = fields().find(|f| f.property == name) {
            let text = match value {
                Value::Null => continue,
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            match form::check(field, &text) {
                Ok(stored) if stored == *value => continue,
                Ok(stored) => {
                    return Err(format!(
                        ".values.{name}: {value} where the emulator stores {stored}"
                    ));
                }
                // The reason, not the value: it may be an IP address.
                Err(e) => return Err(format!(".values.{name}: {}", e.message)),
            }
        }
        // Otherwise it must be a response property stored as a value (seeded records').
        let stored = resource
            .properties
            .iter()
            .any(|p| p.name == *name && p.source == Source::Value);
        if !stored {
            return Err(format!(
                ".values.{name}: not a stored property of {}",
                resource.class
            ));
        }
        if value.is_array() || value.is_object() {
            return Err(format!(
                ".values.{name}: a text, number, boolean or null is expected"
            ));
        }
    }
    Ok(())
}

/// Compares secrets without stopping at the first difference.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::table::{IP_RECORD, SIP_IP_ACCESS_CONTROL_LIST, TRUNK};

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
    fn the_state_round_trips_and_dangling_parents_are_refused() {
        let mut store = Store::new(None, Some("token".into()));
        let main = store.main_account().to_owned();
        let (sub, sub_token) = store.add_subaccount();
        let (key, secret) = store.add_api_key(&sub);
        let name = Map::from_iter([("friendly_name".to_owned(), Value::from("office"))]);
        let acl = store.seed(SIP_IP_ACCESS_CONTROL_LIST, name);
        let state = serde_json::to_value(store.to_state()).unwrap();
        let loaded =
            Store::from_state(serde_json::from_value(state.clone()).unwrap(), None).unwrap();
        assert_eq!(loaded.main_account(), main);
        assert_eq!(loaded.authenticate(&main, "token"), Some(main.clone()));
        assert_eq!(loaded.authenticate(&sub, &sub_token), Some(sub.clone()));
        assert_eq!(loaded.authenticate(&key, &secret), Some(sub.clone()));
        assert!(loaded.may_act_for(&main, &sub));
        let lists = SIP_IP_ACCESS_CONTROL_LIST;
        assert_eq!(loaded.account(&main).unwrap().records(lists)[0].sid, acl);
        let replaced = Store::from_state(
            serde_json::from_value(state.clone()).unwrap(),
            Some("new".into()),
        )
        .unwrap();
        assert_eq!(replaced.authenticate(&main, "new"), Some(main.clone()));

        // An address under a list the file does not hold.
        let mut dangling = state;
        let missing = format!("AL{}", "f".repeat(32));
        dangling["records"][&main]["sip_ip_address"] = serde_json::json!([{
            "sid": format!("IP{}", "1".repeat(32)),
            "parents": [missing],
            "values": {"ip_address": "192.0.2.1", "friendly_name": "x"},
        }]);
        let err = Store::from_state(serde_json::from_value(dangling).unwrap(), None).unwrap_err();
        assert_eq!(
            err,
            format!(
                "records.{main}.sip_ip_address[0].parents: IpAccessControlListSid `{missing}` is not among the account's sip_ip_access_control_list records"
            )
        );
    }

    #[test]
    fn records_are_scoped_by_account_resource_and_parents() {
        let mut store = Store::new(None, None);
        let trunk = TRUNK;
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
        assert!(account.records(IP_RECORD).is_empty());
        let (sub, _) = store.add_subaccount();
        assert!(store.account(&sub).unwrap().records(trunk).is_empty());
    }
}
