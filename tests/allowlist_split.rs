//! Lists of more than 100 addresses (`split = true`), on the embedded emulator: the parts
//! `NAME`, `NAME (2)`…, each attached to the list's trunks and domains; as few moves as
//! possible; nothing desired missing at any moment (the request log replayed); an emptied part
//! detached and deleted; export writing the parts back as one list; Twilio's 1,000-list limit.

#![cfg(all(feature = "allowlist", feature = "mock"))]

mod allowlist_support;

use std::{collections::BTreeSet, net::Ipv4Addr};

use allowlist_support::{kept_by_part, replay_never_narrower, snapshot, writes};
use twilio_ip_access::{
    Client,
    allowlist::{self, ApplyOptions, Desired, Error, ListBuilder, Plan},
    mock::MockTwilio,
};

const FILE: &str = "allowlist.toml";

/// `count` addresses from 10.0.`block`.1 on.
fn addresses(block: u8, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| format!("10.{block}.{}.{}", i / 200, i % 200 + 1))
        .collect()
}

fn file(addresses: &[String], split: bool) -> String {
    let quoted: Vec<String> = addresses.iter().map(|a| format!("\"{a}\"")).collect();
    format!(
        "[lists.carrier]\naddresses = [\n{}\n]\n{}trunks = [\"my trunk\"]\nsip_domains = [\"acme.sip.twilio.com\"]\n",
        quoted.join(",\n"),
        if split { "split = true\n" } else { "" }
    )
}

#[test]
fn more_than_100_needs_split() {
    let many = addresses(0, 101);
    let err = Desired::from_toml(&file(&many, false), FILE).unwrap_err();
    // The 101st entry, on line 3 + 100.
    assert_eq!(err.line(), Some(103), "{err}");
    assert!(err.to_string().contains("say `split = true`"), "{err}");
    let desired = Desired::from_toml(&file(&many, true), FILE).unwrap();
    assert!(desired.lists()[0].split());
    assert_eq!(desired.lists()[0].addresses().len(), 101);
    // It writes back as it reads.
    assert_eq!(
        Desired::from_toml(&desired.to_toml(), FILE)
            .unwrap()
            .lists(),
        desired.lists()
    );
    let built = Desired::builder()
        .list(ListBuilder::new("carrier").split(true))
        .build()
        .unwrap();
    assert!(built.lists()[0].split());
}

struct World {
    mock: MockTwilio,
    client: Client,
}

impl World {
    async fn new() -> World {
        let mock = MockTwilio::start().await;
        mock.create_trunk_named("my trunk", "my-trunk.pstn.twilio.com");
        mock.create_sip_domain_named("acme.sip.twilio.com", "acme");
        let client = mock.client();
        World { mock, client }
    }

    async fn plan(&self, addresses: &[String]) -> Plan {
        let desired = Desired::from_toml(&file(addresses, true), FILE).unwrap();
        allowlist::plan(&self.client, &desired).await.unwrap()
    }

    /// Applies `addresses` one change at a time and checks, replaying the request log, that no
    /// desired address went missing on the way; then that planning again finds nothing.
    async fn sync(&self, addresses: &[String], options: ApplyOptions) -> Plan {
        let before = snapshot(&self.client).await;
        let plan = self.plan(addresses).await;
        self.mock.clear_requests();
        let report = plan
            .apply(&self.client, options.concurrency(1))
            .await
            .unwrap();
        assert!(report.is_complete(), "{report}");
        let log = self.mock.requests();
        let after = snapshot(&self.client).await;
        let wanted: BTreeSet<(Ipv4Addr, u8)> =
            addresses.iter().map(|a| (a.parse().unwrap(), 32)).collect();
        replay_never_narrower(&before, &kept_by_part(&after, &wanted), &after, &log);
        assert!(self.plan(addresses).await.is_empty());
        plan
    }
}

/// (name, number of addresses, trunks, domains) of every list.
async fn shape(client: &Client) -> Vec<(String, usize, usize, usize)> {
    snapshot(client)
        .await
        .into_iter()
        .map(|(name, l)| (name, l.addresses.len(), l.trunks.len(), l.domains.len()))
        .collect()
}

#[tokio::test]
async fn a_split_list_is_kept_as_parts_with_few_moves_and_an_empty_part_goes() {
    let w = World::new().await;
    let first = addresses(0, 150);
    let plan = w.sync(&first, ApplyOptions::default()).await;
    let created: Vec<&str> = plan
        .changes()
        .iter()
        .filter(|c| matches!(c, allowlist::Change::CreateList(_)))
        .filter_map(|c| c.list())
        .collect();
    assert_eq!(created, ["carrier", "carrier (2)"]);
    assert_eq!(
        shape(&w.client).await,
        [
            ("carrier".to_owned(), 100, 1, 1),
            ("carrier (2)".to_owned(), 50, 1, 1)
        ]
    );

    // Drop 30 of the first part, add 40 new: nothing kept moves, and the new go where there
    // is room before the removals (apply adds first): the second part.
    let mut second: Vec<String> = first[30..].to_vec();
    second.extend(addresses(1, 40));
    let plan = w.plan(&second).await;
    let summary = plan.summary();
    assert_eq!((summary.add, summary.change, summary.remove), (40, 0, 30));
    let adds_to = |list: &str| {
        plan.changes()
            .iter()
            .filter(|c| matches!(c, allowlist::Change::AddAddress(_)) && c.list() == Some(list))
            .count()
    };
    assert_eq!((adds_to("carrier"), adds_to("carrier (2)")), (0, 40));
    w.sync(&second, ApplyOptions::default().max_removals(30))
        .await;
    assert_eq!(
        shape(&w.client).await,
        [
            ("carrier".to_owned(), 70, 1, 1),
            ("carrier (2)".to_owned(), 90, 1, 1)
        ]
    );

    // Down to the first part's addresses: the second part is emptied, detached, deleted.
    let carrier: Vec<String> = snapshot(&w.client).await["carrier"]
        .addresses
        .iter()
        .map(|a| a.0.to_string())
        .collect();
    let plan = w.plan(&carrier).await;
    let text = plan.to_string();
    assert!(
        text.contains("list \"carrier (2)\" (AL")
            && text.contains("  - detach trunk \"my trunk\"")
            && text.contains("- delete list \"carrier (2)\" (an empty part)"),
        "{text}"
    );
    // 90 addresses, 2 detaches and the part: 93 removals, 92 of the 164 entries (56.1%).
    w.sync(
        &carrier,
        ApplyOptions::default()
            .max_removals(93)
            .max_removal_percent(57),
    )
    .await;
    assert_eq!(shape(&w.client).await, [("carrier".to_owned(), 70, 1, 1)]);
    // New addresses now fill the first part's room before making a part.
    let mut grown = carrier.clone();
    grown.extend(addresses(2, 35));
    w.sync(&grown, ApplyOptions::default()).await;
    assert_eq!(
        shape(&w.client).await,
        [
            ("carrier".to_owned(), 100, 1, 1),
            ("carrier (2)".to_owned(), 5, 1, 1)
        ]
    );
}

#[tokio::test]
async fn an_emptied_part_is_detached_emptied_then_deleted() {
    let w = World::new().await;
    let all = addresses(0, 120);
    w.sync(&all, ApplyOptions::default()).await;
    let before = snapshot(&w.client).await;
    let part = before["carrier (2)"].sid.clone();
    let plan = w.plan(&all[..100]).await;
    w.mock.clear_requests();
    let report = plan
        .apply(
            &w.client,
            // 20 addresses, 2 detaches and the part.
            ApplyOptions::default().max_removals(23).concurrency(1),
        )
        .await
        .unwrap();
    assert!(report.is_complete(), "{report}");
    let kinds: Vec<String> = writes(&w.mock.requests())
        .into_iter()
        .filter(|(_, path)| path.contains(part.as_str()))
        .map(|(method, path)| {
            let what = if path.ends_with(&format!("/IpAccessControlLists/{part}.json")) {
                if path.starts_with("/v1/Trunks/") || path.contains("/Domains/") {
                    "detach"
                } else {
                    "delete list"
                }
            } else if path.contains("/IpAddresses/") {
                "remove address"
            } else {
                "detach"
            };
            format!("{method} {what}")
        })
        .collect();
    let mut expected = vec!["DELETE detach".to_owned(); 2];
    expected.extend(vec!["DELETE remove address".to_owned(); 20]);
    expected.push("DELETE delete list".to_owned());
    assert_eq!(kinds, expected);
    assert_eq!(shape(&w.client).await, [("carrier".to_owned(), 100, 1, 1)]);
}

#[tokio::test]
async fn export_writes_the_parts_as_one_split_list_and_plan_is_empty() {
    let w = World::new().await;
    let all = addresses(0, 130);
    w.sync(&all, ApplyOptions::default()).await;
    let exported = allowlist::export(&w.client, Default::default())
        .await
        .unwrap();
    assert_eq!(exported.lists().len(), 1);
    let carrier = &exported.lists()[0];
    assert_eq!(
        (carrier.name(), carrier.split(), carrier.addresses().len()),
        ("carrier", true, 130)
    );
    let text = exported.to_toml();
    assert!(text.contains("split = true\n"), "{text}");
    let again = Desired::from_toml(&text, "exported.toml").unwrap();
    assert!(allowlist::plan(&w.client, &again).await.unwrap().is_empty());
    // Asking for the list by name brings its parts too.
    let named = allowlist::export(
        &w.client,
        allowlist::ExportOptions::default().list("carrier"),
    )
    .await
    .unwrap();
    assert_eq!(named.lists()[0].addresses().len(), 130);
}

#[tokio::test]
async fn the_account_limit_of_1000_lists_is_checked_before_writing() {
    let w = World::new().await;
    for i in 0..999 {
        w.client
            .sip_ip_access_control_lists()
            .create(format!("other {i}"))
            .await
            .unwrap();
    }
    let desired = Desired::from_toml(&file(&addresses(0, 150), true), FILE).unwrap();
    w.mock.clear_requests();
    let err = allowlist::plan(&w.client, &desired).await.unwrap_err();
    let Error::Refused { reason } = &err else {
        panic!("{err}")
    };
    assert!(
        reason.contains("would hold 1001 lists, more than Twilio's limit of 1000"),
        "{reason}"
    );
    assert!(writes(&w.mock.requests()).is_empty());
}
