//! `twilio_ip_access::allowlist` on the embedded emulator (127.0.0.1 only): parsing and its
//! refusals, plans and their display, apply's order, request counts, safety rules, saved
//! plans, export, and fault injection at each step.

#![cfg(all(feature = "allowlist", feature = "mock"))]

mod allowlist_support;

use std::{
    collections::{BTreeMap, BTreeSet},
    net::Ipv4Addr,
    time::Duration,
};

use allowlist_support::{ListSnap, create_list, replay_never_narrower, snapshot, writes};
use twilio_ip_access::{
    Client, RetryPolicy,
    allowlist::{
        self, ApplyOptions, Change, ChangeResult, Desired, DesiredError, Error, ExportOptions,
        ListBuilder, Plan, Refusal, Step,
    },
    mock::{Fault, MockTwilio},
    sid::{SipDomainSid, TrunkSid},
};

const FILE: &str = "allowlist.toml";

fn parse(text: &str) -> Result<Desired, DesiredError> {
    Desired::from_toml(text, FILE)
}

/// Asserts that `text` is refused at `line`, naming `entry`, for a reason containing `why`.
#[track_caller]
fn refused(text: &str, line: usize, entry: &str, why: &str) -> DesiredError {
    let err = parse(text).expect_err("refused");
    assert_eq!(err.file(), Some(FILE), "{err}");
    assert_eq!(err.line(), Some(line), "{err}");
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!("{FILE}:{line}:")),
        "the message starts with the file and line: {shown}"
    );
    assert!(shown.contains(entry), "the message names {entry}: {shown}");
    assert!(shown.contains(why), "the message says {why:?}: {shown}");
    err
}

fn list_with(addresses: &str) -> String {
    format!("[lists.office]\naddresses = [\n{addresses}\n]\ntrunks = []\nsip_domains = []\n")
}

// ---------------------------------------------------------------------------------------------
// The desired-state file

#[test]
fn the_issue_example_parses() {
    let desired = parse(
        r#"
[lists."office allowlist"]            # key: the list's FriendlyName
addresses = [
  "198.51.100.7",
  "198.51.100.0/24",
  { ip = "203.0.113.10", name = "sbc-frankfurt" },
  { ip = "192.0.2.0/28", name = "branch" },
]
trunks = ["TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "my trunk"]
sip_domains = ["SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "acme.sip.twilio.com"]

[lists.branch]
addresses = []
trunks = []
sip_domains = []
"#,
    )
    .unwrap();
    assert_eq!(desired.file_name(), Some(FILE));
    let names: Vec<_> = desired.lists().iter().map(|l| l.name()).collect();
    assert_eq!(names, ["office allowlist", "branch"], "the file's order");
    let office = desired.list("office allowlist").unwrap();
    let addresses: Vec<_> = office
        .addresses()
        .iter()
        .map(|a| (a.cidr(), a.name().to_owned()))
        .collect();
    assert_eq!(
        addresses,
        [
            ("198.51.100.7/32".into(), "198.51.100.7".into()),
            ("198.51.100.0/24".into(), "198.51.100.0/24".into()),
            ("203.0.113.10/32".into(), "sbc-frankfurt".into()),
            ("192.0.2.0/28".into(), "branch".into()),
        ]
    );
    assert_eq!(office.addresses()[2].ip(), Ipv4Addr::new(203, 0, 113, 10));
    assert_eq!(office.addresses()[3].prefix(), 28);
    assert_eq!(
        office.trunks().collect::<Vec<_>>(),
        ["TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "my trunk"]
    );
    assert_eq!(office.sip_domains().count(), 2);
    // Written back and read again: the same lists.
    let again = parse(&desired.to_toml()).unwrap();
    assert_eq!(again.lists(), desired.lists());
}

#[test]
fn every_refusal_names_the_file_line_and_entry() {
    refused(
        &list_with("  \"198.51.100.256\","),
        3,
        "\"198.51.100.256\"",
        "not an IPv4 address",
    );
    refused(
        &list_with("  \"198.51.100.7\",\n  \"2001:db8::1\","),
        4,
        "\"2001:db8::1\"",
        "not an IPv4 address",
    );
    refused(
        &list_with("  \"198.51.100.0/33\","),
        3,
        "\"198.51.100.0/33\"",
        "not a CIDR prefix length",
    );
    refused(
        &list_with("  { ip = \"198.51.100.0/x\", name = \"n\" },"),
        3,
        "{ ip = \"198.51.100.0/x\", name = \"n\" }",
        "not a CIDR prefix length",
    );
    let host_bits = refused(
        &list_with("  \"198.51.100.7/24\","),
        3,
        "\"198.51.100.7/24\"",
        "host bits are set",
    );
    assert!(
        host_bits.reason().contains("\"198.51.100.0/24\""),
        "the network meant"
    );
    assert_eq!(host_bits.column(), Some(3));
    let zero = refused(
        &list_with("  \"0.0.0.0/0\","),
        3,
        "\"0.0.0.0/0\"",
        "`/0` is refused",
    );
    for hint in [
        "stores a prefix length of 0 as /32",
        "\"0.0.0.0/1\"",
        "\"128.0.0.0/1\"",
    ] {
        assert!(zero.reason().contains(hint), "{zero}");
    }
    let twice = refused(
        &list_with("  \"198.51.100.7\",\n  { ip = \"198.51.100.7/32\", name = \"desk\" },"),
        4,
        "{ ip = \"198.51.100.7/32\", name = \"desk\" }",
        "the same entry twice",
    );
    assert!(twice.reason().contains("line 3"), "{twice}");
    let many: Vec<String> = (0..101)
        .map(|n| format!("  \"10.0.{}.{}\",", n / 250, n % 250))
        .collect();
    refused(
        &list_with(&many.join("\n")),
        103,
        "\"10.0.0.100\"",
        "more than 100 addresses",
    );
    let long = "x".repeat(256);
    refused(
        &list_with(&format!(
            "  {{ ip = \"198.51.100.7\", name = \"{long}\" }},"
        )),
        3,
        &long,
        "256 characters long; Twilio accepts at most 255",
    );
    refused(
        &list_with("  { ip = \"198.51.100.7\", name = \"\" },"),
        3,
        "name = \"\"",
        "is empty",
    );
    refused(
        &list_with("  { ip = \"198.51.100.7\", nmae = \"typo\" },"),
        3,
        "nmae",
        "unknown key `nmae`",
    );
    refused(&list_with("  42,"), 3, "42", "an address is a string");
    refused(
        "[lists.office]\naddresses = []\nsip_domains = []\n",
        1,
        "office",
        "`trunks` is missing",
    );
    refused(
        "[lists.office]\naddresses = []\ntrunks = [\"a\", \"b\", \"a\"]\nsip_domains = []\n",
        3,
        "\"a\"",
        "the same trunk twice",
    );
    refused(
        "[lists.office]\naddresses = []\ntrunks = []\nsip_domains = []\ncolour = \"red\"\n",
        5,
        "colour",
        "unknown field",
    );
    // TOML syntax errors keep their position too.
    let err = parse("[lists.office]\naddresses = [\"198.51.100.7\"\n").unwrap_err();
    assert_eq!(err.file(), Some(FILE), "{err}");
    assert!(err.line().is_some_and(|l| l >= 2), "{err}");
    let empty_list_name =
        parse("[lists.\"\"]\naddresses = []\ntrunks = []\nsip_domains = []\n").unwrap_err();
    assert!(empty_list_name.reason().contains("list name is empty"));
}

#[test]
fn the_builder_is_checked_like_a_file() {
    let err = Desired::builder()
        .list(ListBuilder::new("office").address("198.51.100.7/24"))
        .build()
        .unwrap_err();
    assert_eq!((err.file(), err.line()), (None, None));
    assert_eq!(err.list(), Some("office"));
    assert_eq!(err.entry(), Some("\"198.51.100.7/24\""));
    assert!(err.to_string().contains("198.51.100.0/24"), "{err}");
    let err = Desired::builder()
        .list(ListBuilder::new("a"))
        .list(ListBuilder::new("a"))
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("the same list twice"), "{err}");
    let err = Desired::builder()
        .list(
            ListBuilder::new("a")
                .address("0.0.0.0/0")
                .address("198.51.100.1"),
        )
        .build()
        .unwrap_err();
    assert!(err.reason().contains("0.0.0.0/1"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// The emulator world

struct World {
    mock: MockTwilio,
    client: Client,
    trunk: TrunkSid,
    other_trunk: TrunkSid,
    domain: SipDomainSid,
}

impl World {
    async fn new() -> World {
        let mock = MockTwilio::start().await;
        let trunk = mock.create_trunk_named("my trunk", "my-trunk.pstn.twilio.com");
        let other_trunk = mock.create_trunk_named("backup trunk", "backup.pstn.twilio.com");
        let domain = mock.create_sip_domain_named("acme.sip.twilio.com", "acme");
        let client = mock.client();
        World {
            mock,
            client,
            trunk,
            other_trunk,
            domain,
        }
    }

    /// Creates a list through the API with these (ip, prefix, name) addresses.
    async fn list(&self, name: &str, addresses: &[(&str, u8, &str)]) -> String {
        create_list(&self.client, name, addresses).await
    }

    async fn attach_trunk(&self, trunk: &TrunkSid, list: &str) {
        self.client
            .trunk(trunk)
            .ip_access_control_lists()
            .create(list)
            .await
            .unwrap();
    }

    async fn map_domain(&self, list: &str) {
        self.client
            .sip_domain(&self.domain)
            .auth_calls_ip_access_control_list_mappings()
            .create(list)
            .await
            .unwrap();
    }

    async fn plan(&self, desired: &Desired) -> Plan {
        allowlist::plan(&self.client, desired).await.unwrap()
    }

    /// Plans and applies with `options`; the report must be complete.
    async fn sync(&self, desired: &Desired, options: ApplyOptions) -> Plan {
        let plan = self.plan(desired).await;
        let report = plan.apply(&self.client, options).await.unwrap();
        assert!(report.is_complete(), "{report}");
        plan
    }

    async fn state(&self) -> BTreeMap<String, ListSnap> {
        snapshot(&self.client).await
    }
}

/// The (ip, prefix, name) triples of a desired list, sorted.
fn wanted(desired: &Desired, list: &str) -> Vec<(Ipv4Addr, u8, String)> {
    let mut out: Vec<_> = desired
        .list(list)
        .unwrap()
        .addresses()
        .iter()
        .map(|a| (a.ip(), a.prefix(), a.name().to_owned()))
        .collect();
    out.sort();
    out
}

fn identities(desired: &Desired) -> BTreeMap<String, BTreeSet<(Ipv4Addr, u8)>> {
    desired
        .lists()
        .iter()
        .map(|l| {
            (
                l.name().to_owned(),
                l.addresses().iter().map(|a| (a.ip(), a.prefix())).collect(),
            )
        })
        .collect()
}

const OFFICE: &str = r#"
[lists."office allowlist"]
addresses = [
  "198.51.100.7",
  "198.51.100.0/24",
  { ip = "203.0.113.10", name = "sbc-frankfurt" },
]
trunks = ["my trunk"]
sip_domains = ["acme.sip.twilio.com"]

[lists.branch]
addresses = [{ ip = "192.0.2.0/28", name = "branch" }]
trunks = []
sip_domains = []
"#;

#[tokio::test]
async fn from_empty_to_full_then_nothing_with_exact_requests() {
    let w = World::new().await;
    let desired = parse(OFFICE).unwrap();
    w.mock.clear_requests();
    let plan = w.plan(&desired).await;
    // Reads: the lists, the trunks, the domains, one per trunk (2) and per domain (1); no named
    // list exists yet, so no address page.
    let reads = w.mock.requests();
    assert_eq!(reads.len(), 1 + 1 + 1 + 2 + 1, "{reads:#?}");
    assert!(reads.iter().all(|r| r.method == "GET"));
    assert!(
        reads
            .iter()
            .all(|r| r.query.as_deref() == Some("PageSize=1000")),
        "page size 1000"
    );
    let shown = plan.to_string();
    assert_eq!(
        shown,
        format!(
            "+ list \"office allowlist\" (new)\n  + 198.51.100.0/24    \"198.51.100.0/24\"\n  + 198.51.100.7/32    \"198.51.100.7\"\n  + 203.0.113.10/32    \"sbc-frankfurt\"\n  + attach trunk \"my trunk\" ({})\n  + attach sip domain \"acme.sip.twilio.com\" ({})\n\n+ list \"branch\" (new)\n  + 192.0.2.0/28       \"branch\"\n\nPlan: 8 to add, 0 to change, 0 to remove.\n",
            w.trunk, w.domain
        )
    );
    assert_eq!(plan.summary().add, 8);
    // Exactly one write per change, in step order.
    w.mock.clear_requests();
    let report = plan
        .apply(&w.client, ApplyOptions::default())
        .await
        .unwrap();
    assert!(report.is_complete(), "{report}");
    assert_eq!(
        report.to_string(),
        "Apply complete: 8 added, 0 changed, 0 removed.\n"
    );
    let log = w.mock.requests();
    let written = writes(&log);
    assert_eq!(written.len(), plan.changes().len(), "{written:#?}");
    assert_eq!(log.len(), written.len(), "apply reads nothing");
    let kinds: Vec<&str> = written
        .iter()
        .map(|(m, p)| match (m.as_str(), p) {
            ("POST", p) if p.ends_with("/SIP/IpAccessControlLists.json") => "create",
            ("POST", p) if p.ends_with("/IpAddresses.json") => "add",
            ("POST", p) if p.starts_with("/v1/Trunks/") => "attach",
            ("POST", p) if p.contains("/IpAccessControlListMappings") => "attach",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "create", "create", "add", "add", "add", "add", "attach", "attach"
        ]
    );
    // The live state is the desired state.
    let state = w.state().await;
    assert_eq!(
        state["office allowlist"].addresses,
        wanted(&desired, "office allowlist")
    );
    assert_eq!(state["branch"].addresses, wanted(&desired, "branch"));
    assert_eq!(
        state["office allowlist"].trunks,
        BTreeSet::from([w.trunk.to_string()])
    );
    assert_eq!(
        state["office allowlist"].domains,
        BTreeSet::from([w.domain.to_string()])
    );
    assert!(state["branch"].trunks.is_empty() && state["branch"].domains.is_empty());
    // Planning again: nothing to do, and applying again only reads (the plan's reads: now one
    // address page per named list too).
    w.mock.clear_requests();
    let again = w.plan(&desired).await;
    assert!(again.is_empty());
    assert_eq!(
        again.to_string(),
        "No changes. The allowlist matches the file.\n"
    );
    let report = again
        .apply(&w.client, ApplyOptions::default())
        .await
        .unwrap();
    assert!(report.is_complete() && report.outcomes.is_empty());
    let log = w.mock.requests();
    assert!(log.iter().all(|r| r.method == "GET"), "{log:#?}");
    assert_eq!(log.len(), 1 + 2 + 1 + 1 + 2 + 1);
}

#[tokio::test]
async fn renames_are_updates_and_attachments_change_exactly() {
    let w = World::new().await;
    let office = w
        .list(
            "office allowlist",
            &[
                ("203.0.113.10", 32, "old name"),
                ("192.0.2.9", 32, "gone"),
                ("198.51.100.7", 32, "198.51.100.7"),
            ],
        )
        .await;
    w.attach_trunk(&w.other_trunk, &office).await;
    w.map_domain(&office).await;
    let untouched = w.list("not named", &[("192.0.2.1", 32, "keep")]).await;
    w.attach_trunk(&w.trunk, &untouched).await;
    let before = w.state().await;
    let desired = parse(
        r#"
[lists."office allowlist"]
addresses = [
  "198.51.100.7",
  "198.51.100.0/24",
  { ip = "203.0.113.10", name = "sbc-frankfurt" },
]
trunks = ["my trunk"]
sip_domains = []
"#,
    )
    .unwrap();
    let plan = w.plan(&desired).await;
    assert_eq!(
        plan.to_string(),
        format!(
            "list \"office allowlist\" ({office})\n  + 198.51.100.0/24    \"198.51.100.0/24\"\n  ~ 203.0.113.10/32    \"old name\" -> \"sbc-frankfurt\"\n  + attach trunk \"my trunk\" ({})\n  - detach trunk \"backup trunk\" ({})\n  - detach sip domain \"acme.sip.twilio.com\" ({})\n  - 192.0.2.9/32       \"gone\"\n\nPlan: 2 to add, 1 to change, 3 to remove.\n",
            w.trunk, w.other_trunk, w.domain
        )
    );
    w.mock.clear_requests();
    // One at a time, so that the log's order is the plan's.
    let report = plan
        .apply(&w.client, ApplyOptions::default().concurrency(1))
        .await
        .unwrap();
    assert!(report.is_complete(), "{report}");
    let renamed_sid = before["office allowlist"]
        .address_sids
        .iter()
        .find(|(_, key)| key.0 == Ipv4Addr::new(203, 0, 113, 10))
        .unwrap()
        .0
        .clone();
    let gone_sid = before["office allowlist"]
        .address_sids
        .iter()
        .find(|(_, key)| key.0 == Ipv4Addr::new(192, 0, 2, 9))
        .unwrap()
        .0
        .clone();
    let written = writes(&w.mock.requests());
    let account = w.mock.account_sid();
    let addresses =
        format!("/2010-04-01/Accounts/{account}/SIP/IpAccessControlLists/{office}/IpAddresses");
    assert_eq!(
        written,
        [
            ("POST".to_owned(), format!("{addresses}.json")),
            ("POST".to_owned(), format!("{addresses}/{renamed_sid}.json")),
            (
                "POST".to_owned(),
                format!("/v1/Trunks/{}/IpAccessControlLists", w.trunk)
            ),
            (
                "DELETE".to_owned(),
                format!("/v1/Trunks/{}/IpAccessControlLists/{office}", w.other_trunk)
            ),
            (
                "DELETE".to_owned(),
                format!(
                    "/2010-04-01/Accounts/{account}/SIP/Domains/{}/Auth/Calls/IpAccessControlListMappings/{office}.json",
                    w.domain
                )
            ),
            ("DELETE".to_owned(), format!("{addresses}/{gone_sid}.json")),
        ],
        "one request per change, in apply's order; the rename is an update of the same SID"
    );
    assert!(
        !written.iter().any(|(_, path)| path.contains(&untouched)),
        "the list the file does not name is never written"
    );
    let after = w.state().await;
    assert_eq!(after["not named"], before["not named"]);
    assert_eq!(
        after["office allowlist"].addresses,
        wanted(&desired, "office allowlist")
    );
    assert!(
        after["office allowlist"]
            .address_sids
            .contains_key(&renamed_sid)
    );
    assert_eq!(
        after["office allowlist"].trunks,
        BTreeSet::from([w.trunk.to_string()])
    );
    assert!(after["office allowlist"].domains.is_empty());
    assert!(w.plan(&desired).await.is_empty());
}

#[tokio::test]
async fn reads_cost_what_the_docs_say() {
    let w = World::new().await;
    // Three lists (two named, one not), two trunks, one domain.
    w.list("a", &[("192.0.2.1", 32, "x")]).await;
    w.list("b", &[]).await;
    w.list("c", &[("192.0.2.2", 32, "y")]).await;
    let desired = Desired::builder()
        .list(ListBuilder::new("a").address("192.0.2.1"))
        .list(ListBuilder::new("b"))
        .list(ListBuilder::new("new"))
        .build()
        .unwrap();
    w.mock.clear_requests();
    let plan = w.plan(&desired).await;
    let log = w.mock.requests();
    let unnamed = w.state().await["c"].sid.clone();
    // 1 lists + 2 named lists that exist + 1 trunks + 1 domains + 2 trunks' lists + 1 domain's.
    assert_eq!(log.len(), 1 + 2 + 1 + 1 + 2 + 1, "{log:#?}");
    assert!(
        !log.iter().any(|r| r.path.contains(&unnamed)),
        "the unnamed list's addresses are not read"
    );
    // The rename of "192.0.2.1" named "x" to its default name, and the creation of "new".
    assert_eq!(
        plan.summary().to_string(),
        "Plan: 1 to add, 1 to change, 0 to remove."
    );
}

#[tokio::test]
async fn unknown_and_ambiguous_names_are_refused_with_their_line() {
    let w = World::new().await;
    let text = |trunk: &str, domain: &str| {
        format!(
            "[lists.office]\naddresses = []\ntrunks = [{trunk:?}]\nsip_domains = [{domain:?}]\n"
        )
    };
    async fn plan_err(w: &World, text: String) -> DesiredError {
        match allowlist::plan(&w.client, &parse(&text).unwrap()).await {
            Err(Error::Desired(e)) => e,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
    let e = plan_err(&w, text("no such trunk", "acme.sip.twilio.com")).await;
    assert_eq!(e.line(), Some(3));
    assert!(
        e.to_string().contains("no trunk named \"no such trunk\""),
        "{e}"
    );
    let e = plan_err(&w, text("my trunk", "nope.sip.twilio.com")).await;
    assert_eq!(e.line(), Some(4));
    assert!(e.to_string().contains("no SIP domain named"), "{e}");
    let e = plan_err(
        &w,
        text("TKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "acme.sip.twilio.com"),
    )
    .await;
    assert!(e.to_string().contains("no trunk TKbbbb"), "{e}");
    // A SID works as well as the name, but both naming one trunk is the same entry twice.
    let e = plan_err(
        &w,
        format!(
            "[lists.office]\naddresses = []\ntrunks = [\"my trunk\", \"{}\"]\nsip_domains = []\n",
            w.trunk
        ),
    )
    .await;
    assert!(e.to_string().contains("the same trunk twice"), "{e}");
    // Two trunks with one name.
    let twin = w
        .mock
        .create_trunk_named("my trunk", "twin.pstn.twilio.com");
    let e = plan_err(&w, text("my trunk", "acme.sip.twilio.com")).await;
    assert!(
        e.to_string().contains("2 trunks are named \"my trunk\""),
        "{e}"
    );
    assert!(e.to_string().contains(twin.as_str()), "{e}");
    let by_sid = parse(&text(w.trunk.as_str(), w.domain.as_str())).unwrap();
    assert_eq!(w.plan(&by_sid).await.summary().add, 3);
    // Two live lists with the file's list name.
    w.list("office", &[]).await;
    w.list("office", &[]).await;
    let e = plan_err(&w, text(w.trunk.as_str(), "acme.sip.twilio.com")).await;
    assert_eq!(e.line(), Some(1));
    assert!(
        e.to_string()
            .contains("2 lists in the account are named \"office\""),
        "{e}"
    );
    let log = w.mock.requests();
    assert!(
        writes(&log)
            .iter()
            .all(|(_, p)| p.ends_with("/SIP/IpAccessControlLists.json")),
        "nothing but the test's own lists was written"
    );
}

#[tokio::test]
async fn safety_rules_refuse_before_writing() {
    let w = World::new().await;
    let many: Vec<(String, u8, String)> = (1..=25)
        .map(|n| (format!("192.0.2.{n}"), 32, format!("h{n}")))
        .collect();
    let refs: Vec<(&str, u8, &str)> = many
        .iter()
        .map(|(ip, p, n)| (ip.as_str(), *p, n.as_str()))
        .collect();
    let big = w.list("big", &refs).await;
    let attached = w.list("attached", &[("198.51.100.1", 32, "one")]).await;
    w.attach_trunk(&w.trunk, &attached).await;
    let _ = big;

    // 25 removals: over the default limit of 20.
    let empty_big = Desired::builder()
        .list(ListBuilder::new("big"))
        .build()
        .unwrap();
    let plan = w.plan(&empty_big).await;
    w.mock.clear_requests();
    // 25 removals of 25 entries: over the default limit of 20, and over 30% of the list.
    match plan.apply(&w.client, ApplyOptions::default()).await {
        Err(Error::Guard { refusals }) => {
            let text: Vec<String> = refusals.iter().map(ToString::to_string).collect();
            assert_eq!(
                text,
                [
                    "the plan removes 25 (25 remove_address), more than the limit of 20 (allow it with `ApplyOptions::max_removals(25)`)",
                    "the plan removes 25 of the 25 entries of list \"big\" (100%), more than the limit of 30% for a list of 10 entries or more (allow it with `ApplyOptions::max_removal_percent(100)`)",
                ]
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(w.mock.requests().is_empty(), "nothing sent");
    // Raising one limit is not enough: each guard holds on its own.
    let refused = plan.check(&ApplyOptions::default().max_removals(25));
    assert!(
        matches!(&refused, Err(Error::Guard { refusals }) if refusals.len() == 1),
        "{refused:?}"
    );
    let report = plan
        .apply(
            &w.client,
            ApplyOptions::default()
                .max_removals(25)
                .max_removal_percent(100),
        )
        .await
        .unwrap();
    assert!(report.is_complete());
    assert!(w.state().await["big"].addresses.is_empty());

    // Emptying an attached list.
    let empty_attached = Desired::builder()
        .list(ListBuilder::new("attached").trunk("my trunk"))
        .build()
        .unwrap();
    let plan = w.plan(&empty_attached).await;
    w.mock.clear_requests();
    match plan.apply(&w.client, ApplyOptions::default()).await {
        Err(Error::Guard { refusals }) => {
            assert_eq!(
                refusals,
                [Refusal::EmptyAttached {
                    list: "attached".into(),
                    attached: 1
                }]
            );
            assert!(
                refusals[0]
                    .to_string()
                    .ends_with("(allow it with `ApplyOptions::allow_empty(true)`)"),
                "{}",
                refusals[0]
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(w.mock.requests().is_empty());
    // Attaching an empty list is refused the same way.
    let attach_empty = Desired::builder()
        .list(ListBuilder::new("big").sip_domain("acme.sip.twilio.com"))
        .build()
        .unwrap();
    let refused = w.plan(&attach_empty).await.check(&ApplyOptions::default());
    assert!(matches!(refused, Err(Error::Guard { .. })), "{refused:?}");
    // Allowed when asked.
    w.sync(&empty_attached, ApplyOptions::default().allow_empty(true))
        .await;
    let state = w.state().await;
    assert!(state["attached"].addresses.is_empty());
    assert_eq!(state["attached"].trunks.len(), 1);
}

#[tokio::test]
async fn a_saved_plan_applies_only_on_its_starting_state() {
    let w = World::new().await;
    let office = w.list("office", &[("192.0.2.1", 32, "old")]).await;
    let desired = Desired::builder()
        .list(
            ListBuilder::new("office")
                .named_address("192.0.2.1", "new")
                .address("192.0.2.2"),
        )
        .build()
        .unwrap();
    let json = w.plan(&desired).await.to_json();
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(document["format_version"], 4);
    assert_eq!(
        document["summary"],
        serde_json::json!({"add": 1, "change": 1, "remove": 0})
    );
    assert_eq!(document["lists"][0]["sid"], office.as_str());
    assert_eq!(document["changes"][0]["action"], "add_address");
    assert_eq!(document["changes"][0]["ip"], "192.0.2.2");
    assert_eq!(document["changes"][1]["action"], "rename_address");
    let start = &document["starting_state"];
    assert_eq!(start["account_sid"], w.mock.account_sid().as_str());
    assert_eq!(start["lists"][0]["addresses"][0]["name"], "old");
    assert_eq!(start["lists"][0]["trunks"], serde_json::json!([]));

    let saved = Plan::from_json(&json).unwrap();
    assert!(saved.is_saved());
    // Another writer adds an address between plan and apply.
    w.client
        .sip_ip_access_control_list(&office)
        .ip_addresses()
        .create("intruder", "203.0.113.99")
        .await
        .unwrap();
    w.mock.clear_requests();
    match saved.apply(&w.client, ApplyOptions::default()).await {
        Err(Error::Stale { reason }) => {
            assert!(
                reason.contains("addresses of list \"office\" changed (1 added"),
                "{reason}"
            )
        }
        other => panic!("expected a stale plan, got {other:?}"),
    }
    assert!(writes(&w.mock.requests()).is_empty(), "nothing written");

    // A fresh saved plan applies: its reads, then its writes.
    let json = w.plan(&desired).await.to_json();
    let saved = Plan::from_json(&json).unwrap();
    w.mock.clear_requests();
    let report = saved
        .apply(&w.client, ApplyOptions::default())
        .await
        .unwrap();
    assert!(report.is_complete(), "{report}");
    let log = w.mock.requests();
    assert_eq!(writes(&log).len(), saved.changes().len());
    assert_eq!(
        log.len() - writes(&log).len(),
        1 + 1 + 1 + 1 + 2 + 1,
        "the verifying reads"
    );

    // Documents that are not plans, or not this version.
    let mut other = document.clone();
    other["format_version"] = 5.into();
    let err = Plan::from_json(&other.to_string()).unwrap_err();
    assert!(
        err.to_string()
            .contains("format_version 5 is not supported"),
        "{err}"
    );
    // A version 1 document (what this crate wrote before 2) is read: it means the same (and so
    // is version 2).
    let mut older = document.clone();
    older["format_version"] = 1.into();
    let read = Plan::from_json(&older.to_string()).unwrap();
    assert_eq!(
        read.changes(),
        Plan::from_json(&document.to_string()).unwrap().changes()
    );
    // …but one that says what only version 2 can say is refused, not misread.
    let mut mixed = older.clone();
    mixed["changes"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"action": "delete_list", "list": "office allowlist"}));
    mixed["summary"]["remove"] = (mixed["summary"]["remove"].as_u64().unwrap() + 1).into();
    let err = Plan::from_json(&mixed.to_string()).unwrap_err();
    assert!(
        err.to_string().contains(
            "format_version 1 cannot say this change (it came in version 2): - delete list"
        ),
        "{err}"
    );
    let mut lying = document.clone();
    lying["summary"]["add"] = 7.into();
    assert!(matches!(
        Plan::from_json(&lying.to_string()),
        Err(Error::PlanDocument { .. })
    ));
    assert!(Plan::from_json("{}").is_err());
}

#[tokio::test]
async fn export_then_plan_is_empty() {
    let w = World::new().await;
    let office = w
        .list(
            "office allowlist",
            &[
                ("198.51.100.7", 32, "198.51.100.7"),
                ("198.51.100.0", 24, "198.51.100.0/24"),
                ("203.0.113.10", 32, "sbc \"frankfurt\""),
                ("192.0.2.0", 28, "branch"),
            ],
        )
        .await;
    w.attach_trunk(&w.trunk, &office).await;
    w.map_domain(&office).await;
    let branch = w.list("branch", &[("192.0.2.77", 32, "x")]).await;
    // A second trunk named like the first: that list is exported by SID.
    let twin = w
        .mock
        .create_trunk_named("backup trunk", "twin.pstn.twilio.com");
    w.attach_trunk(&twin, &branch).await;

    let exported = allowlist::export(&w.client, ExportOptions::default())
        .await
        .unwrap();
    let text = exported.to_toml();
    assert!(text.contains("[lists.\"office allowlist\"]"), "{text}");
    assert!(text.contains("  \"198.51.100.0/24\",\n"), "{text}");
    assert!(
        text.contains("  { ip = \"203.0.113.10\", name = \"sbc \\\"frankfurt\\\"\" },\n"),
        "{text}"
    );
    assert!(text.contains("trunks = [\"my trunk\"]"), "{text}");
    assert!(text.contains(&format!("trunks = [\"{twin}\"]")), "{text}");
    assert!(
        text.contains("sip_domains = [\"acme.sip.twilio.com\"]"),
        "{text}"
    );
    let reread = Desired::from_toml(&text, "exported.toml").unwrap();
    assert!(
        w.plan(&reread).await.is_empty(),
        "{}",
        w.plan(&reread).await
    );

    // Only the lists asked for.
    let only = allowlist::export(&w.client, ExportOptions::default().list("branch"))
        .await
        .unwrap();
    let names: Vec<_> = only.lists().iter().map(|l| l.name()).collect();
    assert_eq!(names, ["branch"]);
    assert!(w.plan(&only).await.is_empty());
    let missing = allowlist::export(&w.client, ExportOptions::default().list("nope")).await;
    assert!(
        matches!(&missing, Err(Error::Export { reason }) if reason.contains("no list named \"nope\"")),
        "{missing:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Faults at each step: apply stops, nothing desired goes missing, and a re-run converges.

/// A world with a list to change in every way, and the desired state that does.
async fn busy_world() -> (World, Desired) {
    let w = World::new().await;
    let office = w
        .list(
            "office",
            &[
                ("192.0.2.1", 32, "keep"),
                ("192.0.2.2", 32, "rename me"),
                ("192.0.2.3", 32, "remove me"),
                ("192.0.2.4", 32, "remove me too"),
            ],
        )
        .await;
    w.attach_trunk(&w.other_trunk, &office).await;
    let desired = Desired::builder()
        .list(
            ListBuilder::new("office")
                .named_address("192.0.2.1", "keep")
                .named_address("192.0.2.2", "renamed")
                .address("198.51.100.0/24")
                .address("198.51.100.7")
                .trunk("my trunk"),
        )
        .list(
            ListBuilder::new("created")
                .address("203.0.113.5")
                .sip_domain("acme.sip.twilio.com"),
        )
        .build()
        .unwrap();
    (w, desired)
}

/// Applies once with `client` (faults in place), checks the run request by request, then
/// re-runs until the plan is empty (at most three times), checking each run the same way.
async fn converges(w: &World, desired: &Desired, client: &Client) -> Vec<ChangeResult> {
    let mut first = Vec::new();
    for run in 0..4 {
        let before = w.state().await;
        let plan = allowlist::plan(client, desired).await.unwrap();
        if plan.is_empty() {
            assert!(run > 0, "the first run has work to do");
            break;
        }
        assert!(run < 3, "converged within three runs:\n{plan}");
        w.mock.clear_requests();
        let report = plan.apply(client, ApplyOptions::default()).await.unwrap();
        if run == 0 {
            first = report.outcomes.iter().map(|o| o.result.clone()).collect();
        }
        // Let answers that are still late land in the log before reading it.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let log = w.mock.requests();
        let after = w.state().await;
        let replayed = replay_never_narrower(&before, &identities(desired), &after, &log);
        for list in after.values() {
            let real: BTreeSet<_> = list.addresses.iter().map(|a| (a.0, a.1)).collect();
            assert_eq!(
                replayed.get(&list.sid).cloned().unwrap_or_default(),
                real,
                "the replay of the log matches the state"
            );
        }
    }
    let state = w.state().await;
    for list in desired.lists() {
        assert_eq!(
            state[list.name()].addresses,
            wanted(desired, list.name()),
            "no duplicates"
        );
    }
    assert_eq!(
        state["office"].trunks,
        BTreeSet::from([w.trunk.to_string()])
    );
    assert_eq!(
        state["created"].domains,
        BTreeSet::from([w.domain.to_string()])
    );
    assert_eq!(state.len(), 2, "no duplicate lists");
    first
}

/// The outcomes of the first run, with their change's step.
fn by_step(desired_plan: &Plan, results: &[ChangeResult]) -> Vec<(Step, String)> {
    desired_plan
        .changes()
        .iter()
        .zip(results)
        .map(|(c, r)| {
            let status = match r {
                ChangeResult::Done => "done",
                ChangeResult::AlreadyAbsent => "already absent",
                ChangeResult::Failed { .. } => "failed",
                ChangeResult::Unknown { .. } => "unknown",
                ChangeResult::NotAttempted => "not attempted",
            };
            (c.step(), status.to_owned())
        })
        .collect()
}

#[tokio::test]
async fn a_500_at_each_step_stops_apply_and_a_rerun_converges() {
    // (method, path part) of each step's writes; DELETEs are retried on 5xx, so they fail 3 times.
    let steps: [(Step, &str, &str, u32); 6] = [
        (
            Step::CreateList,
            "POST",
            "/SIP/IpAccessControlLists.json",
            1,
        ),
        (Step::AddAddress, "POST", "/IpAddresses.json", 1),
        (Step::RenameAddress, "POST", "/IpAddresses/IP", 1),
        (Step::Attach, "POST", "/v1/Trunks/", 1),
        (Step::Detach, "DELETE", "/v1/Trunks/", 3),
        (Step::RemoveAddress, "DELETE", "/IpAddresses/", 3),
    ];
    for (step, method, part, times) in steps {
        let (w, desired) = busy_world().await;
        let plan = w.plan(&desired).await;
        let account = w.mock.account_sid().to_string();
        let prefix = if part.starts_with("/v1") {
            part.to_owned()
        } else {
            format!("/2010-04-01/Accounts/{account}{part}")
        };
        // Address paths need the list (and a removal the address: removals run concurrently,
        // and a retried one could take another's fault).
        let prefix = if part.contains("IpAddresses") {
            let office = &w.state().await["office"];
            let removed = office
                .address_sids
                .iter()
                .find(|(_, key)| key.0 == Ipv4Addr::new(192, 0, 2, 3))
                .unwrap()
                .0;
            let sid = if part == "/IpAddresses/" {
                removed.as_str()
            } else {
                ""
            };
            format!(
                "/2010-04-01/Accounts/{account}/SIP/IpAccessControlLists/{}{part}{sid}",
                office.sid
            )
        } else {
            prefix
        };
        w.mock
            .inject(Fault::on(method, &prefix).status(500).times(times));
        let client = w
            .mock
            .client_builder()
            .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1)))
            .build()
            .unwrap();
        let results = converges(&w, &desired, &client).await;
        let outcomes = by_step(&plan, &results);
        assert!(
            outcomes.iter().any(|(s, r)| *s == step && r == "failed"),
            "step {step:?} failed: {outcomes:?}"
        );
        assert!(
            outcomes
                .iter()
                .all(|(s, r)| *s <= step || r == "not attempted"),
            "later steps not attempted: {outcomes:?}"
        );
    }
}

#[tokio::test]
async fn rate_limits_go_through_the_retry_policy() {
    let (w, desired) = busy_world().await;
    w.mock.inject(
        Fault::on("POST", "/2010-04-01")
            .status(429)
            .retry_after(Duration::from_secs(1))
            .times(2),
    );
    let plan = w.plan(&desired).await;
    let before = w.state().await;
    w.mock.clear_requests();
    let report = plan
        .apply(&w.client, ApplyOptions::default())
        .await
        .unwrap();
    assert!(report.is_complete(), "{report}");
    let log = w.mock.requests();
    assert_eq!(
        writes(&log).len(),
        plan.changes().len() + 2,
        "each 429 answered once more by the client's retry"
    );
    replay_never_narrower(&before, &identities(&desired), &w.state().await, &log);
    assert!(w.plan(&desired).await.is_empty());
}

#[tokio::test]
async fn a_timed_out_create_that_landed_is_not_sent_again() {
    let (w, desired) = busy_world().await;
    let office = w.state().await["office"].sid.clone();
    let account = w.mock.account_sid().to_string();
    // The first address create is stored, but its answer comes after the client gave up.
    w.mock.inject(
        Fault::on(
            "POST",
            &format!(
                "/2010-04-01/Accounts/{account}/SIP/IpAccessControlLists/{office}/IpAddresses.json"
            ),
        )
        .delay(Duration::from_secs(3))
        .after_handling(),
    );
    let impatient = w
        .mock
        .client_builder()
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let plan = w.plan(&desired).await;
    let results = converges(&w, &desired, &impatient).await;
    let unknown: Vec<&Change> = plan
        .changes()
        .iter()
        .zip(&results)
        .filter(|(_, r)| matches!(r, ChangeResult::Unknown { .. }))
        .map(|(c, _)| c)
        .collect();
    assert_eq!(unknown.len(), 1, "{results:?}");
    assert!(matches!(unknown[0], Change::AddAddress(_)));
    // It landed: the next plan did not add it again (converges() checked no duplicates).
}

#[tokio::test]
async fn a_dropped_create_and_a_500_after_landing_converge() {
    let (w, desired) = busy_world().await;
    let account = w.mock.account_sid().to_string();
    // The list create never reaches the handler (the client gives up during the delay)…
    w.mock.inject(
        Fault::on(
            "POST",
            &format!("/2010-04-01/Accounts/{account}/SIP/IpAccessControlLists.json"),
        )
        .delay(Duration::from_secs(3)),
    );
    let impatient = w
        .mock
        .client_builder()
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let results = converges(&w, &desired, &impatient).await;
    assert!(
        results
            .iter()
            .any(|r| matches!(r, ChangeResult::Unknown { .. })),
        "{results:?}"
    );
    // …and an attach lands but answers 500.
    let (w, desired) = busy_world().await;
    w.mock.inject(
        Fault::on("POST", "/v1/Trunks/")
            .status(500)
            .after_handling(),
    );
    let results = converges(&w, &desired, &w.client).await;
    assert!(
        results.iter().any(|r| matches!(
            r,
            ChangeResult::Failed {
                http_status: Some(500),
                ..
            }
        )),
        "{results:?}"
    );
}
