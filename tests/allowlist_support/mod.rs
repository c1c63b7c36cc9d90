//! Helpers shared by the allowlist tests: the emulator's state read back through a plain
//! client, and a replay of the request log that checks, request by request, that no desired
//! address that was present ever went missing.
#![allow(dead_code)]

use std::{
    collections::{BTreeMap, BTreeSet},
    net::Ipv4Addr,
};

use twilio_ip_access::{Client, mock::RecordedRequest};

#[cfg(all(feature = "cli", feature = "mock"))]
pub mod cli;

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
