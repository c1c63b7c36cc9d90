//! Helpers shared by the allowlist tests: the emulator's state read back through a plain
//! client, and a replay of the request log that checks, request by request, that no desired
//! address that was present ever went missing.
#![allow(dead_code)]

use std::{
    collections::{BTreeMap, BTreeSet},
    net::Ipv4Addr,
};

use twilio_ip_access::{Client, mock::RecordedRequest};

#[cfg(feature = "cli")]
pub mod cli;
pub mod regions;

/// One list as read back: SID, addresses as (ip, prefix, name) sorted (duplicates kept),
/// trunk and domain SIDs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSnap {
    pub sid: String,
    pub addresses: Vec<(Ipv4Addr, u8, String)>,
    pub address_sids: BTreeMap<String, (Ipv4Addr, u8)>,
    pub trunks: BTreeSet<String>,
    pub domains: BTreeSet<String>,
}

/// Every list of the account, by name (names are unique in these tests).
pub async fn snapshot(client: &Client) -> BTreeMap<String, ListSnap> {
    let lists = client
        .sip_ip_access_control_lists()
        .list()
        .collect()
        .await
        .unwrap();
    let trunks = client.trunks().list().collect().await.unwrap();
    let domains = client.sip_domains().list().collect().await.unwrap();
    let mut out = BTreeMap::new();
    for list in lists {
        let sid = list.sid.to_string();
        let raw = client
            .sip_ip_access_control_list(&list.sid)
            .ip_addresses()
            .list()
            .collect()
            .await
            .unwrap();
        let mut addresses: Vec<_> = raw
            .iter()
            .map(|a| {
                (
                    a.ip_address.as_deref().unwrap().parse().unwrap(),
                    a.cidr_prefix_length.unwrap_or(32),
                    a.friendly_name.clone().unwrap_or_default(),
                )
            })
            .collect();
        addresses.sort();
        let address_sids = raw
            .iter()
            .map(|a| {
                (
                    a.sid.to_string(),
                    (
                        a.ip_address.as_deref().unwrap().parse().unwrap(),
                        a.cidr_prefix_length.unwrap_or(32),
                    ),
                )
            })
            .collect();
        let mut attached_trunks = BTreeSet::new();
        for trunk in &trunks {
            let on = client
                .trunk(&trunk.sid)
                .ip_access_control_lists()
                .list()
                .collect()
                .await
                .unwrap();
            if on.iter().any(|a| a.sid == list.sid) {
                attached_trunks.insert(trunk.sid.to_string());
            }
        }
        let mut mapped = BTreeSet::new();
        for domain in &domains {
            let on = client
                .sip_domain(&domain.sid)
                .auth_calls_ip_access_control_list_mappings()
                .list()
                .collect()
                .await
                .unwrap();
            if on.iter().any(|m| m.sid == list.sid) {
                mapped.insert(domain.sid.to_string());
            }
        }
        out.insert(
            list.friendly_name.clone().unwrap_or_default(),
            ListSnap {
                sid,
                addresses,
                address_sids,
                trunks: attached_trunks,
                domains: mapped,
            },
        );
    }
    out
}

/// Creates a list through the API with these (ip, prefix, name) addresses; its SID.
pub async fn create_list(client: &Client, name: &str, addresses: &[(&str, u8, &str)]) -> String {
    let list = client
        .sip_ip_access_control_lists()
        .create(name)
        .await
        .unwrap();
    for (ip, prefix, friendly) in addresses {
        client
            .sip_ip_access_control_list(&list.sid)
            .ip_addresses()
            .create(*friendly, *ip)
            .cidr_prefix_length(*prefix)
            .await
            .unwrap();
    }
    list.sid.to_string()
}

/// The requests that are not reads, as (method, path).
pub fn writes(log: &[RecordedRequest]) -> Vec<(String, String)> {
    log.iter()
        .filter(|r| r.method != "GET")
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect()
}

/// The list SID in a path `…/IpAccessControlLists/AL…/IpAddresses…`.
fn list_of(path: &str) -> Option<&str> {
    let rest = path.split("/IpAccessControlLists/").nth(1)?;
    let (list, tail) = rest.split_once('/')?;
    tail.starts_with("IpAddresses").then_some(list)
}

fn form_value(body: &str, key: &str) -> Option<String> {
    body.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| v.replace("%2F", "/"))
    })
}

/// Replays the address writes of `log` that the emulator handled (2xx), starting from
/// `before` (the state read before the run), and checks after every one of them that each
/// address of `desired` (list name → identities) present at any earlier point is still
/// present. Returns the replayed identities per list SID, to compare with the state after.
/// Also checks the order: no address removal before the run's last address create.
pub fn replay_never_narrower(
    before: &BTreeMap<String, ListSnap>,
    desired: &BTreeMap<String, BTreeSet<(Ipv4Addr, u8)>>,
    after: &BTreeMap<String, ListSnap>,
    log: &[RecordedRequest],
) -> BTreeMap<String, BTreeSet<(Ipv4Addr, u8)>> {
    // Identities by list SID; address SIDs from before (removals only touch those).
    let mut model: BTreeMap<String, Vec<(Ipv4Addr, u8)>> = before
        .values()
        .map(|l| {
            (
                l.sid.clone(),
                l.addresses.iter().map(|a| (a.0, a.1)).collect(),
            )
        })
        .collect();
    let sids: BTreeMap<&str, (&str, (Ipv4Addr, u8))> = before
        .values()
        .flat_map(|l| {
            l.address_sids
                .iter()
                .map(move |(sid, key)| (sid.as_str(), (l.sid.as_str(), *key)))
        })
        .collect();
    // Desired identities by list SID (lists created during the run are known from `after`).
    let wanted: BTreeMap<String, &BTreeSet<(Ipv4Addr, u8)>> = desired
        .iter()
        .filter_map(|(name, set)| {
            let sid = before.get(name).or(after.get(name))?.sid.clone();
            Some((sid, set))
        })
        .collect();
    let mut seen: BTreeSet<(String, Ipv4Addr, u8)> = BTreeSet::new();
    let note_present = |model: &BTreeMap<String, Vec<(Ipv4Addr, u8)>>,
                        seen: &mut BTreeSet<(String, Ipv4Addr, u8)>| {
        for (list, set) in &wanted {
            for key in set.iter() {
                if model.get(list).is_some_and(|m| m.contains(key)) {
                    seen.insert((list.clone(), key.0, key.1));
                }
            }
        }
    };
    note_present(&model, &mut seen);
    let mut last_create = None;
    let mut first_delete = None;
    for (n, request) in log.iter().enumerate() {
        let Some(list) = list_of(&request.path) else {
            continue;
        };
        let collection = request.path.ends_with("/IpAddresses.json");
        if request.method == "POST" && collection {
            last_create = Some(n);
        }
        if request.method == "DELETE" {
            first_delete.get_or_insert(n);
        }
        if !request.handled.is_some_and(|s| (200..300).contains(&s)) {
            continue;
        }
        match request.method.as_str() {
            "POST" if collection => {
                let body = request.body_text();
                let ip: Ipv4Addr = form_value(&body, "IpAddress").unwrap().parse().unwrap();
                let prefix: u8 =
                    form_value(&body, "CidrPrefixLength").map_or(32, |p| p.parse().unwrap());
                model.entry(list.to_owned()).or_default().push((ip, prefix));
            }
            "DELETE" => {
                let sid = request
                    .path
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .trim_end_matches(".json");
                let (owner, key) = sids
                    .get(sid)
                    .unwrap_or_else(|| panic!("a removal of {sid}, which was not there before"));
                assert_eq!(*owner, list);
                let entries = model.get_mut(list).unwrap();
                let at = entries.iter().position(|k| k == key).unwrap();
                entries.remove(at);
            }
            _ => {}
        }
        for (list, ip, prefix) in &seen {
            assert!(
                model[list].contains(&(*ip, *prefix)),
                "after request {n} ({} {}), desired {ip}/{prefix} of {list} is missing",
                request.method,
                request.path
            );
        }
        note_present(&model, &mut seen);
    }
    if let (Some(create), Some(delete)) = (last_create, first_delete) {
        assert!(
            create < delete,
            "a removal (request {delete}) came before the last create (request {create})"
        );
    }
    model
        .into_iter()
        .map(|(list, keys)| (list, keys.into_iter().collect()))
        .collect()
}

/// For lists kept as several parts (split lists), what each part must never lose: the desired
/// identities it holds after the run. Addresses never move between parts, so each desired
/// address has one part from its first appearance to the end.
pub fn kept_by_part(
    after: &BTreeMap<String, ListSnap>,
    wanted: &BTreeSet<(Ipv4Addr, u8)>,
) -> BTreeMap<String, BTreeSet<(Ipv4Addr, u8)>> {
    after
        .iter()
        .map(|(name, part)| {
            let kept = part
                .addresses
                .iter()
                .map(|a| (a.0, a.1))
                .filter(|k| wanted.contains(k))
                .collect();
            (name.clone(), kept)
        })
        .collect()
}

/// The account's IP Records and Source IP Mappings as read back: records by SID (ip, prefix,
/// name), mappings by SID (record SID, domain SID).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ByocSnap {
    pub records: BTreeMap<String, (Ipv4Addr, u8, String)>,
    pub mappings: BTreeMap<String, (String, String)>,
}

impl ByocSnap {
    /// The records' identities and names, sorted (duplicates kept).
    pub fn records(&self) -> Vec<(Ipv4Addr, u8, String)> {
        let mut out: Vec<_> = self.records.values().cloned().collect();
        out.sort();
        out
    }

    /// The mappings as (record identity, domain SID); `None` for a record that is gone.
    pub fn mapped(&self) -> Vec<Mapped> {
        let mut out: Vec<_> = self
            .mappings
            .values()
            .map(|(record, domain)| {
                let key = self.records.get(record).map(|r| (r.0, r.1));
                (key, domain.clone())
            })
            .collect();
        out.sort();
        out
    }
}

/// Every IP Record and Source IP Mapping of the account.
pub async fn byoc_snapshot(client: &Client) -> ByocSnap {
    let records = client.ip_records().list().collect().await.unwrap();
    let mappings = client.source_ip_mappings().list().collect().await.unwrap();
    ByocSnap {
        records: records
            .into_iter()
            .map(|r| {
                (
                    r.sid.to_string(),
                    (
                        r.ip_address.unwrap().parse().unwrap(),
                        r.cidr_prefix_length.unwrap_or(32),
                        r.friendly_name.unwrap_or_default(),
                    ),
                )
            })
            .collect(),
        mappings: mappings
            .into_iter()
            .map(|m| {
                (
                    m.sid.to_string(),
                    (m.ip_record_sid.to_string(), m.sip_domain_sid.to_string()),
                )
            })
            .collect(),
    }
}

/// A mapping as (its record's identity, `None` when the record is gone; domain SID).
pub type Mapped = (Option<(Ipv4Addr, u8)>, String);

/// Replays the IP Record and Source IP Mapping writes of `log` that the emulator handled,
/// starting from `before`, and checks after every one that each desired record identity and
/// each desired mapping (record identity, domain SID) present at any earlier point is still
/// present. SIDs created during the run are known from `after`. Returns the replayed records'
/// identities and mappings, to compare with `after`.
pub fn replay_byoc_never_narrower(
    before: &ByocSnap,
    after: &ByocSnap,
    records: &BTreeSet<(Ipv4Addr, u8)>,
    mappings: &BTreeSet<((Ipv4Addr, u8), String)>,
    log: &[RecordedRequest],
) -> (BTreeSet<(Ipv4Addr, u8)>, BTreeSet<Mapped>) {
    let identity = |sid: &str| {
        before
            .records
            .get(sid)
            .or(after.records.get(sid))
            .map(|r| (r.0, r.1))
    };
    // Live records by SID (identity), and mappings by SID (record SID, domain).
    let mut live_records: BTreeMap<String, (Ipv4Addr, u8)> = before
        .records
        .iter()
        .map(|(sid, r)| (sid.clone(), (r.0, r.1)))
        .collect();
    let mut created_records: Vec<(Ipv4Addr, u8)> = Vec::new();
    let mut live_mappings = before.mappings.clone();
    let mut new_mappings = after
        .mappings
        .iter()
        .filter(|(sid, _)| !before.mappings.contains_key(*sid));
    let present = |live_records: &BTreeMap<String, (Ipv4Addr, u8)>,
                   created: &[(Ipv4Addr, u8)],
                   live_mappings: &BTreeMap<String, (String, String)>| {
        let keys: BTreeSet<(Ipv4Addr, u8)> =
            live_records.values().chain(created).copied().collect();
        // A mapping counts while its record is there: one of before's not yet removed, or one
        // created during the run (a mapping's create needs its record).
        let record_there = |sid: &String| {
            live_records.contains_key(sid)
                || (!before.records.contains_key(sid) && after.records.contains_key(sid))
        };
        let mapped: BTreeSet<((Ipv4Addr, u8), String)> = live_mappings
            .values()
            .filter(|(record, _)| record_there(record))
            .filter_map(|(record, domain)| Some((identity(record)?, domain.clone())))
            .collect();
        (keys, mapped)
    };
    let mut seen_records = BTreeSet::new();
    let mut seen_mappings = BTreeSet::new();
    let note = |keys: &BTreeSet<(Ipv4Addr, u8)>,
                mapped: &BTreeSet<((Ipv4Addr, u8), String)>,
                seen_records: &mut BTreeSet<(Ipv4Addr, u8)>,
                seen_mappings: &mut BTreeSet<((Ipv4Addr, u8), String)>| {
        seen_records.extend(keys.intersection(records).copied());
        seen_mappings.extend(mapped.intersection(mappings).cloned());
    };
    let (keys, mapped) = present(&live_records, &created_records, &live_mappings);
    note(&keys, &mapped, &mut seen_records, &mut seen_mappings);
    for (n, request) in log.iter().enumerate() {
        let byoc = request.path.starts_with("/v1/IpRecords")
            || request.path.starts_with("/v1/SourceIpMappings");
        if !byoc || !request.handled.is_some_and(|s| (200..300).contains(&s)) {
            continue;
        }
        let body = request.body_text();
        let last = request.path.rsplit('/').next().unwrap().to_owned();
        match (request.method.as_str(), request.path.as_str()) {
            ("POST", "/v1/IpRecords") => {
                let ip = form_value(&body, "IpAddress").unwrap().parse().unwrap();
                let prefix =
                    form_value(&body, "CidrPrefixLength").map_or(32, |p| p.parse().unwrap());
                created_records.push((ip, prefix));
            }
            ("DELETE", p) if p.starts_with("/v1/IpRecords/") => {
                assert!(
                    live_records.remove(&last).is_some(),
                    "a removal of {last}, which was not there before"
                );
            }
            ("POST", "/v1/SourceIpMappings") => {
                // Which of the new mappings this is does not matter: they are told apart by
                // their record and domain, which the body gives.
                let record = form_value(&body, "IpRecordSid").unwrap();
                let domain = form_value(&body, "SipDomainSid").unwrap();
                let sid = new_mappings
                    .next()
                    .map_or_else(|| format!("new {n}"), |(sid, _)| format!("{sid} {n}"));
                live_mappings.insert(sid, (record, domain));
            }
            ("POST", p) if p.starts_with("/v1/SourceIpMappings/") => {
                let domain = form_value(&body, "SipDomainSid").unwrap();
                live_mappings
                    .get_mut(&last)
                    .expect("an update of a mapping that was there")
                    .1 = domain;
            }
            ("DELETE", p) if p.starts_with("/v1/SourceIpMappings/") => {
                assert!(
                    live_mappings.remove(&last).is_some(),
                    "a removal of mapping {last}, which was not there before"
                );
            }
            _ => {}
        }
        let (keys, mapped) = present(&live_records, &created_records, &live_mappings);
        for key in &seen_records {
            assert!(
                keys.contains(key),
                "after request {n} ({} {}), desired IP Record {}/{} is missing",
                request.method,
                request.path,
                key.0,
                key.1
            );
        }
        for (key, domain) in &seen_mappings {
            assert!(
                mapped.contains(&(*key, domain.clone())),
                "after request {n} ({} {}), the desired mapping of {}/{} to {domain} is missing",
                request.method,
                request.path,
                key.0,
                key.1
            );
        }
        note(&keys, &mapped, &mut seen_records, &mut seen_mappings);
    }
    let (keys, _) = present(&live_records, &created_records, &live_mappings);
    let mapped = live_mappings
        .values()
        .map(|(record, domain)| (identity(record), domain.clone()))
        .collect();
    (keys, mapped)
}
