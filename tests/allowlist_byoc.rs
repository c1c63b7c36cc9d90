//! BYOC in the desired-state file (`[byoc] ip_records`): IP Records and their Source IP
//! Mappings on the embedded emulator (127.0.0.1 only): the exact requests of a plan from empty,
//! renames and domain changes as updates in place, a prefix change added before the old record
//! is removed, records the file does not name removed under the removal guards (the count, and
//! the share of the `[byoc]` group from 10 entries), nothing read or
//! written without `[byoc]`, every refusal with its file position, saved plans and the plan
//! document's versions, and export.

#![cfg(all(feature = "allowlist", feature = "mock"))]

use std::net::Ipv4Addr;

use twilio_ip_access::{
    Client,
    allowlist::{
        self, ApplyOptions, ByocBuilder, Change, ChangeResult, Desired, DesiredError, Error,
        ExportOptions, IpRecordBuilder, Plan, Refusal, Step,
    },
    mock::{MockTwilio, RecordedRequest},
    sid::{IpRecordSid, SipDomainSid, SourceIpMappingSid},
};

const FILE: &str = "allowlist.toml";

/// The issue's example.
const ISSUE_EXAMPLE: &str = r#"[byoc]
ip_records = [
  { ip = "203.0.113.10", name = "sbc-fra-1", sip_domain = "acme.sip.twilio.com" },
  { ip = "203.0.113.16/28", name = "carrier-x" },
  "192.0.2.44",
]
"#;

fn parse(text: &str) -> Desired {
    Desired::from_toml(text, FILE).unwrap()
}

/// An emulator with the SIP domains `acme.sip.twilio.com` and `beta.sip.twilio.com`.
async fn emulator() -> (MockTwilio, Client, SipDomainSid, SipDomainSid) {
    let mock = MockTwilio::start().await;
    let acme = mock.create_sip_domain_named("acme.sip.twilio.com", "acme");
    let beta = mock.create_sip_domain_named("beta.sip.twilio.com", "beta");
    let client = mock.client();
    (mock, client, acme, beta)
}

/// Creates a live IP Record, mapped to `domain` if given.
async fn record(
    client: &Client,
    ip: &str,
    prefix: u8,
    name: &str,
    domain: Option<&SipDomainSid>,
) -> IpRecordSid {
    let created = client
        .ip_records()
        .create(ip)
        .cidr_prefix_length(prefix)
        .friendly_name(name)
        .await
        .unwrap();
    if let Some(domain) = domain {
        client
            .source_ip_mappings()
            .create(&created.sid, domain)
            .await
            .unwrap();
    }
    created.sid
}

/// The SID of the account's one Source IP Mapping.
async fn only_mapping(client: &Client) -> SourceIpMappingSid {
    let mappings = client.source_ip_mappings().list().collect().await.unwrap();
    assert_eq!(mappings.len(), 1);
    mappings[0].sid.clone()
}

/// The account's IP Records as (ip, prefix, name, mapped domain SIDs), sorted.
async fn byoc_state(client: &Client) -> Vec<(Ipv4Addr, u8, String, Vec<String>)> {
    let records = client.ip_records().list().collect().await.unwrap();
    let mappings = client.source_ip_mappings().list().collect().await.unwrap();
    let mut out: Vec<_> = records
        .into_iter()
        .map(|r| {
            let mut domains: Vec<String> = mappings
                .iter()
                .filter(|m| m.ip_record_sid == r.sid)
                .map(|m| m.sip_domain_sid.to_string())
                .collect();
            domains.sort();
            (
                r.ip_address.unwrap().parse().unwrap(),
                r.cidr_prefix_length.unwrap_or(32),
                r.friendly_name.unwrap_or_default(),
                domains,
            )
        })
        .collect();
    out.sort();
    out
}

/// Whether a request is to IP Records or Source IP Mappings.
fn is_byoc(r: &RecordedRequest) -> bool {
    r.path.starts_with("/v1/IpRecords") || r.path.starts_with("/v1/SourceIpMappings")
}

/// The writes of a log, as (method, path, form body).
fn writes(log: &[RecordedRequest]) -> Vec<(String, String, String)> {
    log.iter()
        .filter(|r| r.method != "GET")
        .map(|r| (r.method.clone(), r.path.clone(), r.body_text()))
        .collect()
}

fn options() -> ApplyOptions {
    ApplyOptions::default().concurrency(1)
}

/// Plans `desired` and applies it; then the plan is empty and applying it again only reads.
async fn apply_and_converge(mock: &MockTwilio, client: &Client, desired: &Desired) -> Plan {
    let plan = allowlist::plan(client, desired).await.unwrap();
    let report = plan.apply(client, options()).await.unwrap();
    assert!(report.is_complete(), "{report}");
    let again = allowlist::plan(client, desired).await.unwrap();
    assert!(again.is_empty(), "{again}");
    mock.clear_requests();
    assert!(
        again
            .apply(client, options())
            .await
            .unwrap()
            .outcomes
            .is_empty()
    );
    assert!(mock.requests().iter().all(|r| r.method == "GET"));
    plan
}

#[tokio::test]
async fn the_issue_example_from_empty_sends_exactly_its_requests() {
    let (mock, client, acme, _) = emulator().await;
    let desired = parse(ISSUE_EXAMPLE);
    let records = desired.byoc().unwrap();
    let shown: Vec<_> = records
        .iter()
        .map(|r| (r.cidr(), r.name(), r.sip_domain()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                "203.0.113.10/32".to_owned(),
                "sbc-fra-1",
                Some("acme.sip.twilio.com")
            ),
            ("203.0.113.16/28".to_owned(), "carrier-x", None),
            ("192.0.2.44/32".to_owned(), "192.0.2.44", None),
        ]
    );

    mock.clear_requests();
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    // The plan's reads: lists, trunks, SIP domains, each domain's list mappings (2), IP
    // Records, Source IP Mappings.
    let reads: Vec<String> = mock.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(reads.len(), 7, "{reads:?}");
    assert!(reads.contains(&"/v1/IpRecords".to_owned()), "{reads:?}");
    assert!(
        reads.contains(&"/v1/SourceIpMappings".to_owned()),
        "{reads:?}"
    );
    assert_eq!(
        plan.changes().iter().map(Change::step).collect::<Vec<_>>(),
        [
            Step::CreateIpRecord,
            Step::CreateIpRecord,
            Step::CreateIpRecord,
            Step::CreateSourceIpMapping
        ]
    );
    assert!(plan.changes().iter().all(|c| c.list().is_none()));
    assert_eq!(
        plan.to_string(),
        format!(
            "byoc: IP Records and Source IP Mappings\n  \
             + 192.0.2.44/32      \"192.0.2.44\"\n  \
             + 203.0.113.10/32    \"sbc-fra-1\"\n  \
             + 203.0.113.16/28    \"carrier-x\"\n  \
             + map 203.0.113.10/32 to sip domain \"acme.sip.twilio.com\" ({acme})\n\
             \n\
             Plan: 4 to add, 0 to change, 0 to remove.\n"
        )
    );

    mock.clear_requests();
    let report = plan.apply(&client, options()).await.unwrap();
    assert!(report.is_complete(), "{report}");
    let log = mock.requests();
    assert_eq!(log.len(), 4, "one request per change, nothing read");
    let records = client.ip_records().list().collect().await.unwrap();
    let sbc = records
        .iter()
        .find(|r| r.friendly_name.as_deref() == Some("sbc-fra-1"))
        .unwrap();
    let mut sent = writes(&log);
    // The three creates run in one step, in any order: by address.
    sent[..3].sort_by_key(|(_, _, body)| {
        let ip = body.split("IpAddress=").nth(1).unwrap();
        ip.parse::<Ipv4Addr>().unwrap()
    });
    assert_eq!(
        sent,
        [
            (
                "POST".into(),
                "/v1/IpRecords".into(),
                "CidrPrefixLength=32&FriendlyName=192.0.2.44&IpAddress=192.0.2.44".into()
            ),
            (
                "POST".into(),
                "/v1/IpRecords".into(),
                "CidrPrefixLength=32&FriendlyName=sbc-fra-1&IpAddress=203.0.113.10".into()
            ),
            (
                "POST".into(),
                "/v1/IpRecords".into(),
                "CidrPrefixLength=28&FriendlyName=carrier-x&IpAddress=203.0.113.16".into()
            ),
            (
                "POST".into(),
                "/v1/SourceIpMappings".into(),
                format!("IpRecordSid={}&SipDomainSid={acme}", sbc.sid)
            ),
        ]
    );
    assert_eq!(
        byoc_state(&client).await,
        [
            (
                Ipv4Addr::new(192, 0, 2, 44),
                32,
                "192.0.2.44".into(),
                vec![]
            ),
            (
                Ipv4Addr::new(203, 0, 113, 10),
                32,
                "sbc-fra-1".into(),
                vec![acme.to_string()]
            ),
            (
                Ipv4Addr::new(203, 0, 113, 16),
                28,
                "carrier-x".into(),
                vec![]
            ),
        ]
    );
    let again = allowlist::plan(&client, &desired).await.unwrap();
    assert!(again.is_empty(), "{again}");

    // Export writes `[byoc]` back, and its plan is empty.
    let exported = allowlist::export(&client, ExportOptions::default())
        .await
        .unwrap();
    assert_eq!(
        exported.byoc(),
        desired
            .byoc()
            .map(|r| {
                let mut r = r.to_vec();
                r.sort_by_key(|r| (r.ip(), r.prefix()));
                r
            })
            .as_deref()
    );
    let toml = exported.to_toml();
    assert!(
        toml.contains(
            "[byoc]\nip_records = [\n  \"192.0.2.44\",\n  { ip = \"203.0.113.10\", name = \"sbc-fra-1\", sip_domain = \"acme.sip.twilio.com\" },\n  { ip = \"203.0.113.16/28\", name = \"carrier-x\" },\n]\n"
        ),
        "{toml}"
    );
    let reread = Desired::from_toml(&toml, "exported.toml").unwrap();
    assert!(allowlist::plan(&client, &reread).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_new_name_and_a_new_domain_are_updates_in_place() {
    let (mock, client, acme, beta) = emulator().await;
    let sid = record(&client, "203.0.113.10", 32, "old name", Some(&acme)).await;
    let mapping = only_mapping(&client).await;
    let desired = parse(
        "[byoc]\nip_records = [{ ip = \"203.0.113.10\", name = \"sbc-fra-1\", sip_domain = \"beta.sip.twilio.com\" }]\n",
    );
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    assert_eq!(
        plan.to_string(),
        format!(
            "byoc: IP Records and Source IP Mappings\n  \
             ~ 203.0.113.10/32    \"old name\" -> \"sbc-fra-1\"\n  \
             ~ map 203.0.113.10/32 from sip domain \"acme.sip.twilio.com\" ({acme}) to sip domain \"beta.sip.twilio.com\" ({beta})\n\
             \n\
             Plan: 0 to add, 2 to change, 0 to remove.\n"
        )
    );
    mock.clear_requests();
    assert!(plan.apply(&client, options()).await.unwrap().is_complete());
    assert_eq!(
        writes(&mock.requests()),
        [
            (
                "POST".into(),
                format!("/v1/IpRecords/{sid}"),
                "FriendlyName=sbc-fra-1".into()
            ),
            (
                "POST".into(),
                format!("/v1/SourceIpMappings/{mapping}"),
                format!("SipDomainSid={beta}")
            ),
        ]
    );
    assert_eq!(
        byoc_state(&client).await,
        [(
            Ipv4Addr::new(203, 0, 113, 10),
            32,
            "sbc-fra-1".into(),
            vec![beta.to_string()]
        )]
    );
    apply_and_converge(&mock, &client, &desired).await;
}

#[tokio::test]
async fn a_prefix_change_is_a_new_record_added_before_the_old_one_goes() {
    let (mock, client, acme, _) = emulator().await;
    let old = record(&client, "203.0.113.0", 24, "carrier", Some(&acme)).await;
    let old_mapping = only_mapping(&client).await;
    let desired = parse(
        "[byoc]\nip_records = [{ ip = \"203.0.113.0/25\", name = \"carrier\", sip_domain = \"acme\" }]\n",
    );
    // `acme` is not a domain name: refused at the entry.
    let err = allowlist::plan(&client, &desired).await.unwrap_err();
    let Error::Desired(err) = err else {
        panic!("{err}")
    };
    assert!(
        err.to_string()
            .contains("there is no SIP domain named \"acme\""),
        "{err}"
    );
    let desired = parse(&format!(
        "[byoc]\nip_records = [{{ ip = \"203.0.113.0/25\", name = \"carrier\", sip_domain = \"{acme}\" }}]\n"
    ));
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    assert_eq!(
        plan.summary().to_string(),
        "Plan: 2 to add, 0 to change, 2 to remove."
    );
    mock.clear_requests();
    assert!(plan.apply(&client, options()).await.unwrap().is_complete());
    let new = client
        .ip_records()
        .list()
        .collect()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.sid != old)
        .unwrap()
        .sid;
    let sent: Vec<(String, String)> = writes(&mock.requests())
        .into_iter()
        .map(|(m, p, _)| (m, p))
        .collect();
    assert_eq!(
        sent,
        [
            ("POST".into(), "/v1/IpRecords".into()),
            ("POST".into(), "/v1/SourceIpMappings".into()),
            (
                "DELETE".into(),
                format!("/v1/SourceIpMappings/{old_mapping}")
            ),
            ("DELETE".into(), format!("/v1/IpRecords/{old}")),
        ],
        "created, then mapped, then the old mapping and record removed"
    );
    let mapped = client.source_ip_mappings().list().collect().await.unwrap();
    assert_eq!(mapped.len(), 1);
    assert_eq!(
        (&mapped[0].ip_record_sid, &mapped[0].sip_domain_sid),
        (&new, &acme)
    );
    apply_and_converge(&mock, &client, &desired).await;
}

#[tokio::test]
async fn records_the_file_does_not_name_go_under_the_removal_guard() {
    let (mock, client, acme, beta) = emulator().await;
    record(&client, "192.0.2.1", 32, "a", Some(&acme)).await;
    record(&client, "192.0.2.2", 32, "b", None).await;
    let kept = record(&client, "192.0.2.3", 32, "c", Some(&acme)).await;
    // A second mapping of the kept record, and a mapping whose record is gone.
    client
        .source_ip_mappings()
        .create(&kept, &beta)
        .await
        .unwrap();
    let gone = record(&client, "192.0.2.4", 32, "d", Some(&beta)).await;
    client.ip_records().delete(&gone).await.unwrap();

    let desired = parse(&format!(
        "[byoc]\nip_records = [{{ ip = \"192.0.2.3\", name = \"c\", sip_domain = \"{beta}\" }}]\n"
    ));
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    let shown = plan.to_string();
    assert!(
        shown.contains(&format!("  - map {gone} (no longer exists) to sip domain")),
        "{shown}"
    );
    assert_eq!(
        plan.summary().to_string(),
        "Plan: 0 to add, 0 to change, 5 to remove."
    );
    assert!(plan.changes().iter().filter(|c| c.is_removal()).count() == 5);
    // Five removals (two records, three mappings), each counted: refused under a limit of 1,
    // before anything is written.
    mock.clear_requests();
    let err = plan
        .apply(&client, options().max_removals(1))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains(
            "removes 5 (2 remove_ip_record, 3 remove_source_ip_mapping), more than the limit of 1"
        ),
        "{err}"
    );
    assert!(mock.requests().is_empty());
    assert!(plan.apply(&client, options()).await.unwrap().is_complete());
    assert_eq!(
        byoc_state(&client).await,
        [(
            Ipv4Addr::new(192, 0, 2, 3),
            32,
            "c".into(),
            vec![beta.to_string()]
        )]
    );
    assert!(
        client
            .source_ip_mappings()
            .list()
            .collect()
            .await
            .unwrap()
            .len()
            == 1
    );
    apply_and_converge(&mock, &client, &desired).await;

    // An empty `[byoc]` removes them all.
    let none = Desired::builder().byoc(ByocBuilder::new()).build().unwrap();
    apply_and_converge(&mock, &client, &none).await;
    assert!(byoc_state(&client).await.is_empty());
    assert!(
        client
            .source_ip_mappings()
            .list()
            .collect()
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn the_percentage_guard_counts_the_byoc_group_from_10_entries() {
    let (mock, client, acme, _) = emulator().await;
    // Seven records, the first two mapped to acme: 9 entries.
    for i in 1..=7 {
        let domain = (i <= 2).then_some(&acme);
        record(
            &client,
            &format!("192.0.2.{i}"),
            32,
            &format!("r{i}"),
            domain,
        )
        .await;
    }
    // The file keeps records 1 to 5, and record 2 without its mapping.
    let kept: Vec<String> = (1..=5)
        .map(|i| match i {
            1 => format!("{{ ip = \"192.0.2.1\", name = \"r1\", sip_domain = \"{acme}\" }}"),
            _ => format!("{{ ip = \"192.0.2.{i}\", name = \"r{i}\" }}"),
        })
        .collect();
    let desired = parse(&format!("[byoc]\nip_records = [{}]\n", kept.join(", ")));
    let defaults = options();
    // 3 of 9 removed: below 10 entries, the share is not guarded.
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    assert_eq!(plan.changes().iter().filter(|c| c.is_removal()).count(), 3);
    plan.check(&defaults).unwrap();

    // An eighth record: 4 of the 10 entries (3 records, 1 mapping) is 40%, over the 30%.
    record(&client, "192.0.2.8", 32, "r8", None).await;
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    mock.clear_requests();
    let err = plan.apply(&client, defaults.clone()).await.unwrap_err();
    let Error::Guard { refusals } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        refusals.as_slice(),
        [Refusal::MaxByocRemovalPercent {
            removals: 4,
            entries: 10,
            limit: 30,
        }]
    );
    assert_eq!(
        refusals[0].to_string(),
        "the plan removes 4 of the 10 entries of [byoc] (the account's IP Records and Source IP \
         Mappings) (40%), more than the limit of 30% for a group of 10 entries or more (allow it \
         with `ApplyOptions::max_removal_percent(40)`)"
    );
    assert!(
        mock.requests().iter().all(|r| r.method == "GET"),
        "nothing written when refused"
    );
    // Allowed as the refusal says.
    let report = plan
        .apply(&client, defaults.max_removal_percent(40))
        .await
        .unwrap();
    assert!(report.is_complete(), "{report}");
    let left = byoc_state(&client).await;
    assert_eq!(left.len(), 5);
    assert_eq!(left[0].3, [acme.to_string()]);
    assert!(left[1..].iter().all(|r| r.3.is_empty()));
}

#[tokio::test]
async fn without_byoc_records_are_never_read_or_written() {
    let (mock, client, acme, _) = emulator().await;
    record(&client, "192.0.2.1", 32, "a", Some(&acme)).await;
    let desired =
        parse("[lists.office]\naddresses = [\"198.51.100.7\"]\ntrunks = []\nsip_domains = []\n");
    assert!(desired.byoc().is_none());
    mock.clear_requests();
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    assert!(plan.starting_state().byoc.is_none());
    assert!(plan.apply(&client, options()).await.unwrap().is_complete());
    assert!(
        !mock.requests().iter().any(is_byoc),
        "{:?}",
        mock.requests().iter().map(|r| &r.path).collect::<Vec<_>>()
    );
    assert_eq!(byoc_state(&client).await.len(), 1);
    // Nor does exporting chosen lists read them.
    mock.clear_requests();
    let exported = allowlist::export(&client, ExportOptions::default().list("office"))
        .await
        .unwrap();
    assert!(exported.byoc().is_none());
    assert!(!mock.requests().iter().any(is_byoc));
}

#[tokio::test]
async fn a_builder_says_what_a_file_says() {
    let built = Desired::builder()
        .byoc(
            ByocBuilder::new()
                .ip_record(
                    IpRecordBuilder::new("203.0.113.10")
                        .name("sbc-fra-1")
                        .sip_domain("acme.sip.twilio.com"),
                )
                .ip_record(IpRecordBuilder::new("203.0.113.16/28").name("carrier-x"))
                .ip_record(IpRecordBuilder::new("192.0.2.44")),
        )
        .build()
        .unwrap();
    assert_eq!(built.byoc(), parse(ISSUE_EXAMPLE).byoc());
    assert_eq!(parse(&built.to_toml()).byoc(), built.byoc());
    let err = Desired::builder()
        .byoc(ByocBuilder::new().ip_record(IpRecordBuilder::new("192.0.2.1/24")))
        .build()
        .unwrap_err();
    assert!(err.in_byoc_table() && err.line().is_none(), "{err}");
    assert!(err.to_string().contains("host bits are set"), "{err}");
}

/// Asserts that `text` is refused at `line`, column `column`, naming `entry`, saying `why`.
#[track_caller]
fn refused(err: DesiredError, line: usize, column: usize, entry: &str, why: &str) {
    assert_eq!(
        (err.file(), err.line(), err.column()),
        (Some(FILE), Some(line), Some(column)),
        "{err}"
    );
    assert!(err.in_byoc_table(), "{err}");
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!("{FILE}:{line}:{column}: [byoc] ip_records")),
        "{shown}"
    );
    assert_eq!(err.entry(), Some(entry), "{shown}");
    assert!(shown.contains(why), "says {why:?}: {shown}");
}

fn byoc_with(entries: &str) -> String {
    format!("[byoc]\nip_records = [\n{entries}\n]\n")
}

#[test]
fn every_refusal_of_the_file_names_its_position_and_entry() {
    let parse_err = |text: &str| Desired::from_toml(text, FILE).unwrap_err();
    // (entries, the refused one's line, that entry, why); each entry starts at column 3.
    let cases = [
        (
            "  \"203.0.113.256\",",
            3,
            "\"203.0.113.256\"",
            "not an IPv4 address",
        ),
        (
            "  { ip = \"203.0.113.10/24\", name = \"x\" },",
            3,
            "{ ip = \"203.0.113.10/24\", name = \"x\" }",
            "host bits are set: 203.0.113.10/24 lies in the network 203.0.113.0/24",
        ),
        ("  \"0.0.0.0/0\",", 3, "\"0.0.0.0/0\"", "`/0` is refused"),
        (
            "  \"192.0.2.44\",\n  { ip = \"192.0.2.44/32\", name = \"again\" },",
            4,
            "{ ip = \"192.0.2.44/32\", name = \"again\" }",
            "the same IP Record twice: 192.0.2.44/32 is also at line 3",
        ),
        (
            "  { ip = \"192.0.2.44\", name = \"\" },",
            3,
            "{ ip = \"192.0.2.44\", name = \"\" }",
            "the IP Record's name is empty",
        ),
        (
            "  { ip = \"192.0.2.44\", sip_domain = \" \" },",
            3,
            "{ ip = \"192.0.2.44\", sip_domain = \" \" }",
            "an empty SIP domain name",
        ),
        (
            "  { ip = \"192.0.2.44\", domain = \"x\" },",
            3,
            "{ ip = \"192.0.2.44\", domain = \"x\" }",
            "unknown key `domain`",
        ),
        (
            "  { name = \"x\" },",
            3,
            "{ name = \"x\" }",
            "`ip` is missing",
        ),
    ];
    for (entries, line, entry, why) in cases {
        refused(parse_err(&byoc_with(entries)), line, 3, entry, why);
    }
    let missing = parse_err("[byoc]\n");
    assert_eq!(
        (missing.line(), missing.column()),
        (Some(1), Some(1)),
        "{missing}"
    );
    assert!(
        missing.to_string().contains("`ip_records` is missing"),
        "{missing}"
    );
    let unknown = parse_err("[byoc]\nip_records = []\nrecords = []\n");
    assert_eq!(unknown.line(), Some(3), "{unknown}");
    assert!(
        unknown.to_string().contains("unknown field `records`"),
        "{unknown}"
    );
}

#[tokio::test]
async fn what_planning_finds_is_refused_at_the_entry_before_any_write() {
    let (mock, client, acme, _) = emulator().await;
    // Two domains with the same domain name cannot be told apart.
    mock.create_sip_domain_named("twin.sip.twilio.com", "twin-1");
    mock.create_sip_domain_named("twin.sip.twilio.com", "twin-2");
    // Two live records with the same identity.
    let a = record(&client, "192.0.2.9", 32, "one", Some(&acme)).await;
    let b = record(&client, "192.0.2.9", 32, "two", None).await;
    mock.clear_requests();
    let plan_err = |text: String| {
        let client = client.clone();
        async move {
            match allowlist::plan(&client, &Desired::from_toml(&text, FILE).unwrap()).await {
                Err(Error::Desired(err)) => err,
                other => panic!("refused: {:?}", other.map(|p| p.to_string())),
            }
        }
    };
    refused(
        plan_err(byoc_with(
            "  \"192.0.2.1\",\n  { ip = \"192.0.2.2\", sip_domain = \"nowhere.sip.twilio.com\" },",
        ))
        .await,
        4,
        3,
        "{ ip = \"192.0.2.2\", sip_domain = \"nowhere.sip.twilio.com\" }",
        "there is no SIP domain named \"nowhere.sip.twilio.com\"",
    );
    refused(
        plan_err(byoc_with(
            "  { ip = \"192.0.2.2\", sip_domain = \"SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" },",
        ))
        .await,
        3,
        3,
        "{ ip = \"192.0.2.2\", sip_domain = \"SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" }",
        "there is no SIP domain SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
    refused(
        plan_err(byoc_with(
            "  { ip = \"192.0.2.2\", sip_domain = \"twin.sip.twilio.com\" },",
        ))
        .await,
        3,
        3,
        "{ ip = \"192.0.2.2\", sip_domain = \"twin.sip.twilio.com\" }",
        "2 SIP domains are named \"twin.sip.twilio.com\"",
    );
    // Two live records with the identity the file names.
    let err = plan_err(byoc_with("  \"192.0.2.8\",\n  \"192.0.2.9\",")).await;
    refused(
        err.clone(),
        4,
        3,
        "\"192.0.2.9\"",
        "2 IP Records in the account are 192.0.2.9/32",
    );
    assert!(
        err.reason().contains(a.as_str()) && err.reason().contains(b.as_str()),
        "{err}"
    );
    // Nothing was written by any of them.
    assert!(mock.requests().iter().all(|r| r.method == "GET"));
    // Not named, they are removed like any record the file does not name.
    let desired = parse(&byoc_with("  \"192.0.2.8\","));
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    assert_eq!(
        plan.summary().to_string(),
        "Plan: 1 to add, 0 to change, 3 to remove."
    );
}

#[tokio::test]
async fn a_saved_plan_is_checked_against_the_records_and_older_versions_are_read_safely() {
    let (mock, client, acme, _) = emulator().await;
    record(&client, "192.0.2.1", 32, "a", Some(&acme)).await;
    let desired = parse(ISSUE_EXAMPLE);
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    let json = plan.to_json();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["format_version"], 4);
    assert_eq!(
        value["starting_state"]["byoc"]["ip_records"][0]["name"],
        "a"
    );
    assert_eq!(value["changes"][0]["action"], "create_ip_record");
    let saved = Plan::from_json(&json).unwrap();
    assert!(saved.is_saved());
    assert_eq!(saved.changes(), plan.changes());
    assert_eq!(saved.to_string(), plan.to_string());

    // Another writer adds a record: the saved plan is stale, and nothing is written.
    let other = record(&client, "198.51.100.1", 32, "other", None).await;
    mock.clear_requests();
    let err = saved.apply(&client, options()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Stale { reason } if reason.contains("the IP Records changed (1 then, 2 now)")),
        "{err}"
    );
    assert!(mock.requests().iter().all(|r| r.method == "GET"));
    client.ip_records().delete(&other).await.unwrap();
    assert!(saved.apply(&client, options()).await.unwrap().is_complete());
    assert!(allowlist::plan(&client, &desired).await.unwrap().is_empty());

    // A version 2 document cannot say BYOC changes: refused, not misread.
    let mut v2 = value.clone();
    v2["format_version"] = 2.into();
    let err = Plan::from_json(&v2.to_string()).unwrap_err().to_string();
    assert!(
        err.contains("format_version 2 cannot say this change (it came in version 3)"),
        "{err}"
    );
    v2["changes"] = serde_json::json!([]);
    v2["summary"] = serde_json::json!({"add": 0, "change": 0, "remove": 0});
    let err = Plan::from_json(&v2.to_string()).unwrap_err().to_string();
    assert!(
        err.contains("format_version 2 has no `starting_state.byoc`"),
        "{err}"
    );
    // Version 2 without BYOC is read as it always was.
    v2["starting_state"].as_object_mut().unwrap().remove("byoc");
    assert!(Plan::from_json(&v2.to_string()).unwrap().is_empty());
    let mut v5 = value.clone();
    v5["format_version"] = 5.into();
    let err = Plan::from_json(&v5.to_string()).unwrap_err().to_string();
    assert!(err.contains("format_version 5 is not supported"), "{err}");
    // A BYOC change in a plan that did not read the records is refused.
    let mut no_state = value;
    no_state["starting_state"]
        .as_object_mut()
        .unwrap()
        .remove("byoc");
    let err = Plan::from_json(&no_state.to_string())
        .unwrap_err()
        .to_string();
    assert!(err.contains("`starting_state` has no `byoc`"), "{err}");
}

#[tokio::test]
async fn export_notes_what_a_file_cannot_say() {
    let (_mock, client, acme, beta) = emulator().await;
    let sid = record(&client, "192.0.2.7", 32, "", Some(&acme)).await;
    client
        .source_ip_mappings()
        .create(&sid, &beta)
        .await
        .unwrap();
    let exported = allowlist::export(&client, ExportOptions::default())
        .await
        .unwrap();
    let records = exported.byoc().unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].name(), "192.0.2.7");
    assert!(records[0].sip_domain().is_some());
    let notes = exported.notes().join("\n");
    assert!(
        notes.contains(&format!("IP Record {sid} has no usable name")),
        "{notes}"
    );
    assert!(
        notes.contains(&format!("IP Record {sid} has several Source IP Mappings")),
        "{notes}"
    );
    // The plan of the export keeps the record and one mapping, renames it, and removes the other.
    let plan = allowlist::plan(&client, &exported).await.unwrap();
    assert_eq!(
        plan.summary().to_string(),
        "Plan: 0 to add, 1 to change, 1 to remove."
    );
}

#[tokio::test]
async fn a_failed_byoc_step_stops_the_later_ones_and_a_rerun_converges() {
    let (mock, client, acme, beta) = emulator().await;
    let old = record(&client, "198.51.100.0", 24, "old carrier", Some(&acme)).await;
    let desired = parse(&format!(
        "[byoc]\nip_records = [\n  {{ ip = \"203.0.113.10\", name = \"sbc\", sip_domain = \"{beta}\" }},\n  \"192.0.2.44\",\n]\n"
    ));
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    // One record's create fails (a 500 on a create is never retried).
    mock.inject(
        twilio_ip_access::mock::Fault::on("POST", "/v1/IpRecords")
            .status(500)
            .times(1),
    );
    mock.clear_requests();
    let report = plan.apply(&client, options()).await.unwrap();
    assert!(!report.is_complete());
    let results: Vec<(Step, bool)> = report
        .outcomes
        .iter()
        .map(|o| (o.change.step(), o.result == ChangeResult::Done))
        .collect();
    assert_eq!(
        results,
        [
            (Step::CreateIpRecord, false),
            (Step::CreateIpRecord, true),
            (Step::CreateSourceIpMapping, false),
            (Step::RemoveSourceIpMapping, false),
            (Step::RemoveIpRecord, false),
        ]
    );
    assert!(
        report
            .not_attempted()
            .all(|o| o.change.step() != Step::CreateIpRecord),
        "{report}"
    );
    // Nothing was removed: the old record and its mapping are still there.
    let state = byoc_state(&client).await;
    assert!(
        state.contains(&(
            Ipv4Addr::new(198, 51, 100, 0),
            24,
            "old carrier".into(),
            vec![acme.to_string()]
        )),
        "{state:?}"
    );
    assert!(
        client
            .ip_records()
            .fetch(&old)
            .await
            .is_ok_and(|r| r.sid == old)
    );
    // Planning again picks up what is left; applying it converges.
    let again = allowlist::plan(&client, &desired).await.unwrap();
    assert_eq!(
        again.summary().to_string(),
        "Plan: 2 to add, 0 to change, 2 to remove."
    );
    apply_and_converge(&mock, &client, &desired).await;
    assert_eq!(
        byoc_state(&client).await,
        [
            (
                Ipv4Addr::new(192, 0, 2, 44),
                32,
                "192.0.2.44".into(),
                vec![]
            ),
            (
                Ipv4Addr::new(203, 0, 113, 10),
                32,
                "sbc".into(),
                vec![beta.to_string()]
            ),
        ]
    );
}
