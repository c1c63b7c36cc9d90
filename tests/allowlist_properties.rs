//! Property test of the allowlist sync on the emulator (127.0.0.1 only): for random live and
//! desired states (lists, and BYOC IP Records with their Source IP Mappings), applying the plan
//! makes the live state equal to the desired one, planning again is empty, a second apply only
//! reads, lists the desired state does not name are left as they were, records are left alone
//! without `[byoc]`, and, replaying the request log, no desired record or mapping ever went
//! missing between the first and last write. A second property covers address sets and split
//! lists (more than 100 addresses), and replays the request log to check that no desired
//! address ever went missing.

#![cfg(all(feature = "allowlist", feature = "mock"))]

mod allowlist_support;

use std::collections::{BTreeMap, BTreeSet};

use allowlist_support::{
    byoc_snapshot, kept_by_part, replay_byoc_never_narrower, replay_never_narrower, snapshot,
};
use proptest::prelude::*;
use twilio_ip_access::{
    Client,
    allowlist::{
        self, ApplyOptions, ByocBuilder, Desired, IpRecordBuilder, ListBuilder, SetBuilder,
    },
    mock::MockTwilio,
};

/// The addresses both states draw from: single addresses and overlapping ranges.
const POOL: &[(&str, u8)] = &[
    ("192.0.2.1", 32),
    ("192.0.2.2", 32),
    ("192.0.2.3", 32),
    ("192.0.2.4", 32),
    ("192.0.2.0", 28),
    ("198.51.100.0", 24),
    ("198.51.100.0", 25),
    ("10.0.0.0", 8),
];
const NAMES: &[&str] = &["a", "b", "sbc \"quoted\""];
const LISTS: &[&str] = &["office", "branch", "lab"];
/// The IP Records both states draw from: a prefix change is another identity.
const RECORDS: &[(&str, u8)] = &[
    ("203.0.113.10", 32),
    ("203.0.113.0", 24),
    ("203.0.113.0", 25),
    ("192.0.2.44", 32),
];
/// The SIP domains records map to.
const DOMAINS: &[&str] = &["d0.sip.twilio.com", "d1.sip.twilio.com"];

/// IP Records by index into [`RECORDS`]: (name index, `None` for the address's own text;
/// the domain index of its mapping, if any).
type Records = BTreeMap<usize, (Option<usize>, Option<usize>)>;

fn records() -> impl Strategy<Value = Records> {
    prop::collection::btree_map(
        0..RECORDS.len(),
        (
            prop::option::of(0..NAMES.len()),
            prop::option::of(0..DOMAINS.len()),
        ),
        0..4,
    )
}

/// The live BYOC state: records, and whether a mapping whose record is gone exists too.
#[derive(Debug, Clone)]
struct LiveByoc {
    records: Records,
    dangling: bool,
}

fn live_byoc() -> impl Strategy<Value = LiveByoc> {
    (records(), any::<bool>()).prop_map(|(records, dangling)| LiveByoc { records, dangling })
}

/// Every SID a change names is one the plan's starting state holds (what a saved plan's
/// verification relies on).
fn names_only_known_sids(plan: &allowlist::Plan) -> Result<(), TestCaseError> {
    let known = plan.starting_state().sids();
    for change in plan.changes() {
        for sid in change.sids() {
            prop_assert!(known.contains(&sid), "{} names {}", change, sid);
        }
    }
    Ok(())
}

/// Planning again is empty, and applying that plan only reads.
async fn converged(
    mock: &MockTwilio,
    client: &Client,
    desired: &Desired,
    options: ApplyOptions,
) -> Result<(), TestCaseError> {
    mock.clear_requests();
    let again = allowlist::plan(client, desired).await.unwrap();
    prop_assert!(again.is_empty(), "{}", again);
    let report = again.apply(client, options).await.unwrap();
    prop_assert!(report.outcomes.is_empty());
    prop_assert!(mock.requests().iter().all(|r| r.method == "GET"));
    Ok(())
}

/// (pool index, name index; `None`: the address's own text).
type Address = (usize, Option<usize>);

#[derive(Debug, Clone)]
struct LiveList {
    exists: bool,
    /// Duplicates allowed: a live list may hold the same identity twice.
    addresses: Vec<Address>,
    trunks: [bool; 2],
    domain: bool,
}

#[derive(Debug, Clone)]
struct WantList {
    named: bool,
    addresses: BTreeMap<usize, Option<usize>>,
    trunks: [bool; 2],
    domain: bool,
}

fn address() -> impl Strategy<Value = Address> {
    (0..POOL.len(), prop::option::of(0..NAMES.len()))
}

fn live_list() -> impl Strategy<Value = LiveList> {
    (
        any::<bool>(),
        prop::collection::vec(address(), 0..6),
        any::<[bool; 2]>(),
        any::<bool>(),
    )
        .prop_map(|(exists, addresses, trunks, domain)| LiveList {
            exists,
            addresses,
            trunks,
            domain,
        })
}

fn want_list() -> impl Strategy<Value = WantList> {
    (
        any::<bool>(),
        prop::collection::btree_map(0..POOL.len(), prop::option::of(0..NAMES.len()), 0..6),
        any::<[bool; 2]>(),
        any::<bool>(),
    )
        .prop_map(|(named, addresses, trunks, domain)| WantList {
            named,
            addresses,
            trunks,
            domain,
        })
}

fn text((ip, prefix): (&str, u8)) -> String {
    if prefix == 32 {
        ip.to_owned()
    } else {
        format!("{ip}/{prefix}")
    }
}

fn run(
    live: Vec<LiveList>,
    want: Vec<WantList>,
    live_records: LiveByoc,
    want_records: Option<Records>,
) -> Result<(), TestCaseError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let mock = MockTwilio::start().await;
        let trunks = [
            mock.create_trunk_named("t0", "t0.pstn.twilio.com"),
            mock.create_trunk_named("t1", "t1.pstn.twilio.com"),
        ];
        let domain = mock.create_sip_domain_named("d0.sip.twilio.com", "d0");
        let domains = [
            domain.clone(),
            mock.create_sip_domain_named(DOMAINS[1], "d1"),
        ];
        let client = mock.client();
        // The live IP Records and their mappings.
        for (i, (name, mapped)) in &live_records.records {
            let (ip, prefix) = RECORDS[*i];
            let record = client
                .ip_records()
                .create(ip)
                .cidr_prefix_length(prefix)
                .friendly_name(name.map_or_else(|| text(RECORDS[*i]), |n| NAMES[n].to_owned()))
                .await
                .unwrap();
            if let Some(d) = mapped {
                client
                    .source_ip_mappings()
                    .create(&record.sid, &domains[*d])
                    .await
                    .unwrap();
            }
        }
        if live_records.dangling {
            let gone = client.ip_records().create("198.18.0.1").await.unwrap();
            client
                .source_ip_mappings()
                .create(&gone.sid, &domains[0])
                .await
                .unwrap();
            client.ip_records().delete(&gone.sid).await.unwrap();
        }
        // A list no desired state names, attached to a trunk.
        let other = client
            .sip_ip_access_control_lists()
            .create("other")
            .await
            .unwrap();
        client
            .sip_ip_access_control_list(&other.sid)
            .ip_addresses()
            .create("keep", "203.0.113.1")
            .await
            .unwrap();
        client
            .trunk(&trunks[0])
            .ip_access_control_lists()
            .create(&other.sid)
            .await
            .unwrap();
        // The live state.
        for (name, list) in LISTS.iter().zip(&live) {
            if !list.exists {
                continue;
            }
            let created = client
                .sip_ip_access_control_lists()
                .create(*name)
                .await
                .unwrap();
            for (i, n) in &list.addresses {
                let (ip, prefix) = POOL[*i];
                let friendly = n.map_or_else(|| text(POOL[*i]), |n| NAMES[n].to_owned());
                client
                    .sip_ip_access_control_list(&created.sid)
                    .ip_addresses()
                    .create(friendly, ip)
                    .cidr_prefix_length(prefix)
                    .await
                    .unwrap();
            }
            for (t, on) in trunks.iter().zip(list.trunks) {
                if on {
                    client
                        .trunk(t)
                        .ip_access_control_lists()
                        .create(&created.sid)
                        .await
                        .unwrap();
                }
            }
            if list.domain {
                client
                    .sip_domain(&domain)
                    .auth_calls_ip_access_control_list_mappings()
                    .create(&created.sid)
                    .await
                    .unwrap();
            }
        }
        // The desired state.
        let mut builder = Desired::builder();
        for (name, list) in LISTS.iter().zip(&want) {
            if !list.named {
                continue;
            }
            let mut l = ListBuilder::new(*name);
            for (i, n) in &list.addresses {
                l = match n {
                    None => l.address(text(POOL[*i])),
                    Some(n) => l.named_address(text(POOL[*i]), NAMES[*n]),
                };
            }
            for (t, on) in ["t0", "t1"].iter().zip(list.trunks) {
                if on {
                    l = l.trunk(*t);
                }
            }
            if list.domain {
                l = l.sip_domain("d0.sip.twilio.com");
            }
            builder = builder.list(l);
        }
        if let Some(records) = &want_records {
            let byoc = records
                .iter()
                .fold(ByocBuilder::new(), |b, (i, (name, mapped))| {
                    let mut r = IpRecordBuilder::new(text(RECORDS[*i]));
                    if let Some(n) = name {
                        r = r.name(NAMES[*n]);
                    }
                    if let Some(d) = mapped {
                        r = r.sip_domain(DOMAINS[*d]);
                    }
                    b.ip_record(r)
                });
            builder = builder.byoc(byoc);
        }
        let desired = builder.build().unwrap();
        let before = snapshot(&client).await;
        let byoc_before = byoc_snapshot(&client).await;

        let plan = allowlist::plan(&client, &desired).await.unwrap();
        // Every plan the planner makes passes the checks of a saved plan.
        if let Err(e) = allowlist::Plan::from_json(&plan.to_json()) {
            panic!("{e}\n{plan}");
        }
        let options = ApplyOptions::default()
            .allow_empty(true)
            .max_removals(1000)
            .max_removal_percent(100)
            .concurrency(3);
        names_only_known_sids(&plan)?;
        mock.clear_requests();
        let report = plan.apply(&client, options.clone()).await.unwrap();
        prop_assert!(report.is_complete(), "{}", report);
        let log = mock.requests();
        prop_assert_eq!(log.len(), plan.changes().len(), "one request per change");

        // The live state is the desired state.
        let after = snapshot(&client).await;
        for list in desired.lists() {
            let live = &after[list.name()];
            let mut want: Vec<_> = list
                .addresses()
                .iter()
                .map(|a| (a.ip(), a.prefix(), a.name().to_owned()))
                .collect();
            want.sort();
            prop_assert_eq!(&live.addresses, &want);
            let want_trunks: BTreeSet<String> = list
                .trunks()
                .map(|t| trunks[if t == "t0" { 0 } else { 1 }].to_string())
                .collect();
            prop_assert_eq!(&live.trunks, &want_trunks);
            let want_domains: BTreeSet<String> =
                list.sip_domains().map(|_| domain.to_string()).collect();
            prop_assert_eq!(&live.domains, &want_domains);
        }
        // Lists not named are as they were (the unnamed fixture, and any unnamed live list).
        for (name, list) in &before {
            if desired.list(name).is_none() {
                prop_assert_eq!(&after[name], list);
            }
        }
        // The IP Records and mappings are the desired ones (with `[byoc]`), or as they were.
        let byoc_after = byoc_snapshot(&client).await;
        match &want_records {
            None => prop_assert_eq!(&byoc_after, &byoc_before),
            Some(records) => {
                let mapped: std::collections::BTreeSet<_> = records
                    .iter()
                    .filter_map(|(i, (_, d))| {
                        let (ip, prefix) = RECORDS[*i];
                        Some(((ip.parse().unwrap(), prefix), domains[(*d)?].to_string()))
                    })
                    .collect();
                // Replaying the log: no desired record or mapping went missing once present,
                // and the replay ends where the emulator did. Then the end state itself.
                let keys = records
                    .keys()
                    .map(|i| (RECORDS[*i].0.parse().unwrap(), RECORDS[*i].1))
                    .collect();
                let (replayed, replayed_mappings) =
                    replay_byoc_never_narrower(&byoc_before, &byoc_after, &keys, &mapped, &log);
                prop_assert_eq!(replayed, keys);
                prop_assert_eq!(
                    replayed_mappings,
                    mapped.iter().map(|(k, d)| (Some(*k), d.clone())).collect()
                );
                let mut want: Vec<_> = records
                    .iter()
                    .map(|(i, (name, _))| {
                        let (ip, prefix) = RECORDS[*i];
                        let name = name.map_or_else(|| text(RECORDS[*i]), |n| NAMES[n].to_owned());
                        (ip.parse().unwrap(), prefix, name)
                    })
                    .collect();
                want.sort();
                prop_assert_eq!(byoc_after.records(), want);
                let got: Vec<_> = mapped.iter().map(|(k, d)| (Some(*k), d.clone())).collect();
                prop_assert_eq!(byoc_after.mapped(), got);
            }
        }
        converged(&mock, &client, &desired, options).await
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn apply_makes_the_live_state_the_desired_state(
        live in prop::collection::vec(live_list(), LISTS.len()),
        want in prop::collection::vec(want_list(), LISTS.len()),
        live_records in live_byoc(),
        want_records in prop::option::of(records()),
    ) {
        run(live, want, live_records, want_records)?;
    }
}

// ---------------------------------------------------------------------------------------------
// Sets and split lists.

/// A live split list `big`: for each of its parts 1 to 3, whether it exists and how many of
/// the big pool's addresses it holds (from an offset, so parts may overlap).
type LiveParts = [(bool, usize, usize); 3];

/// The big pool: 10.9.x.y, enough to need three parts.
fn big(i: usize) -> String {
    format!("10.9.{}.{}", i / 200, i % 200 + 1)
}

fn run_sets_and_split(
    parts: LiveParts,
    big_wanted: (usize, usize),
    shared: BTreeSet<usize>,
    office_own: BTreeSet<usize>,
    attached: bool,
) -> Result<(), TestCaseError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let mock = MockTwilio::start().await;
        let trunk = mock.create_trunk_named("t0", "t0.pstn.twilio.com");
        let client = mock.client();
        for (n, (exists, from, count)) in parts.iter().enumerate() {
            if !exists {
                continue;
            }
            let name = if n == 0 {
                "big".to_owned()
            } else {
                format!("big ({})", n + 1)
            };
            let list = client
                .sip_ip_access_control_lists()
                .create(name)
                .await
                .unwrap();
            for i in *from..*from + *count {
                client
                    .sip_ip_access_control_list(&list.sid)
                    .ip_addresses()
                    .create(big(i), big(i))
                    .await
                    .unwrap();
            }
            if attached {
                client
                    .trunk(&trunk)
                    .ip_access_control_lists()
                    .create(&list.sid)
                    .await
                    .unwrap();
            }
        }
        // The desired state: a set shared by `office` and `big`, and `big` split.
        let small = |i: &usize| POOL[*i % 4].0.to_owned();
        let shared_set = shared
            .iter()
            .fold(SetBuilder::new("shared"), |s, i| s.address(small(i)));
        let office = office_own
            .iter()
            .filter(|i| !shared.contains(&(*i % 4)) && !shared.contains(i))
            .filter(|i| **i < 4)
            .fold(ListBuilder::new("office").set("shared"), |l, i| {
                l.address(small(i))
            })
            .trunk("t0");
        let (from, count) = big_wanted;
        let big_list = (from..from + count)
            .fold(ListBuilder::new("big").split(true).set("shared"), |l, i| {
                l.address(big(i))
            })
            .trunk("t0");
        let desired = Desired::builder()
            .set(shared_set)
            .list(office)
            .list(big_list)
            .build()
            .unwrap();
        let before = snapshot(&client).await;
        let plan = allowlist::plan(&client, &desired).await.unwrap();
        // Every plan the planner makes passes the checks of a saved plan.
        if let Err(e) = allowlist::Plan::from_json(&plan.to_json()) {
            panic!("{e}\n{plan}");
        }
        let options = ApplyOptions::default()
            .allow_empty(true)
            .max_removals(1000)
            .max_removal_percent(100)
            .concurrency(3);
        names_only_known_sids(&plan)?;
        mock.clear_requests();
        let report = plan.apply(&client, options.clone()).await.unwrap();
        prop_assert!(report.is_complete(), "{}", report);
        let log = mock.requests();
        prop_assert_eq!(log.len(), plan.changes().len(), "one request per change");
        let after = snapshot(&client).await;

        // Every part holds at most 100, is attached to the trunk, and together they hold
        // exactly the desired addresses; `office` holds its own and the set's.
        for list in desired.lists() {
            let want: BTreeSet<(std::net::Ipv4Addr, u8)> = list
                .addresses()
                .iter()
                .map(|a| (a.ip(), a.prefix()))
                .collect();
            let mut held = Vec::new();
            for (name, part) in &after {
                let is_part = name == list.name()
                    || (list.split() && name.starts_with(&format!("{} (", list.name())));
                if !is_part {
                    continue;
                }
                prop_assert!(
                    part.addresses.len() <= 100,
                    "{} holds {}",
                    name,
                    part.addresses.len()
                );
                prop_assert_eq!(part.trunks.len(), 1, "{} is attached", name);
                held.extend(part.addresses.iter().map(|a| (a.0, a.1)));
            }
            let held_set: BTreeSet<_> = held.iter().copied().collect();
            prop_assert_eq!(held.len(), held_set.len(), "no duplicates across parts");
            prop_assert_eq!(&held_set, &want);
        }
        // Replaying the log: no desired address present at some point goes missing later. Each
        // address stays in one part, so a part's final desired contents are what it must keep.
        let wanted: BTreeSet<(std::net::Ipv4Addr, u8)> = desired
            .lists()
            .iter()
            .flat_map(|l| l.addresses().iter().map(|a| (a.ip(), a.prefix())))
            .collect();
        replay_never_narrower(&before, &kept_by_part(&after, &wanted), &after, &log);
        converged(&mock, &client, &desired, options).await
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn sets_and_split_lists_converge_and_nothing_desired_goes_missing(
        parts in any::<[(bool, usize, usize); 3]>().prop_map(|p| p.map(|(e, f, c)| (e, f % 200, c % 101))),
        big_wanted in (0..200usize, 0..260usize),
        shared in prop::collection::btree_set(0..4usize, 0..3),
        office_own in prop::collection::btree_set(0..4usize, 0..4),
        attached in any::<bool>(),
    ) {
        run_sets_and_split(parts, big_wanted, shared, office_own, attached)?;
    }
}
