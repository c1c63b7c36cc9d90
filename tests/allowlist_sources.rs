//! Address sources (`{ dns = … }`, `{ file = … }`, `{ url = … }`): what they give, how the plan
//! shows where each address came from, and failing closed; against a DNS server and a feed
//! server on 127.0.0.1 (`tests/source_servers`) and the embedded emulator. The command line's
//! `--nameserver` and `--allow-fetch` at the end.

#![cfg(all(feature = "allowlist", feature = "mock"))]

mod source_servers;

use std::{net::Ipv4Addr, path::PathBuf, time::Duration};

use source_servers::{Answer, DnsServer, FeedServer};
use twilio_ip_access::{
    allowlist::{self, ApplyOptions, Desired, DesiredError, SourceError, SourceOptions, SourceRef},
    mock::MockTwilio,
};

const FILE: &str = "allowlist.toml";

fn ip(text: &str) -> Ipv4Addr {
    text.parse().unwrap()
}

/// A list `office` with these entries, attached to nothing.
fn list(entries: &str) -> String {
    format!("[lists.office]\naddresses = [\n{entries}\n]\ntrunks = []\nsip_domains = []\n")
}

/// A folder of its own for a test's files.
fn folder(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "twilio-allowlist-sources-{}-{test}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn read(text: &str, options: &SourceOptions) -> Result<Desired, DesiredError> {
    Desired::from_toml_with_sources(text, FILE, options).await
}

/// (CIDR, name, source) of each address of the first list.
fn addresses(desired: &Desired) -> Vec<(String, String, Option<SourceRef>)> {
    desired.lists()[0]
        .addresses()
        .iter()
        .map(|a| (a.cidr(), a.name().to_owned(), a.source().cloned()))
        .collect()
}

fn dns(host: &str) -> Option<SourceRef> {
    Some(SourceRef::Dns(host.into()))
}

/// Asserts the refusal is at `line` of the allowlist file, names `entry`, and says `why`.
#[track_caller]
fn refused_at(err: &DesiredError, line: usize, entry: &str, why: &str) {
    assert_eq!((err.file(), err.line()), (Some(FILE), Some(line)), "{err}");
    let shown = err.to_string();
    assert!(shown.contains(entry), "names {entry}: {shown}");
    assert!(shown.contains(why), "says {why:?}: {shown}");
}

#[tokio::test]
async fn every_a_record_is_a_32_named_by_the_host_and_the_plan_says_where_it_came_from() {
    let server = DnsServer::start();
    server.set(
        "sbc1.example.com",
        Answer::A(vec![ip("203.0.113.10"), ip("203.0.113.11")]),
    );
    server.set("sbc2.example.com", Answer::A(vec![ip("203.0.113.20")]));
    let options = SourceOptions::default().nameserver(server.addr());
    let text = list(
        r#"  "192.0.2.1",
  { dns = "sbc1.example.com" },
  { dns = "sbc2.example.com", name = "sbc two" },"#,
    );
    let desired = read(&text, &options).await.unwrap();
    assert_eq!(
        addresses(&desired),
        [
            ("192.0.2.1/32".into(), "192.0.2.1".into(), None),
            (
                "203.0.113.10/32".into(),
                "sbc1.example.com".into(),
                dns("sbc1.example.com")
            ),
            (
                "203.0.113.11/32".into(),
                "sbc1.example.com".into(),
                dns("sbc1.example.com")
            ),
            (
                "203.0.113.20/32".into(),
                "sbc two".into(),
                dns("sbc2.example.com")
            ),
        ]
    );
    // Only A records are asked for.
    assert!(server.queries().iter().all(|(_, t)| t.to_string() == "A"));

    let twilio = MockTwilio::start().await;
    let client = twilio.client();
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    let text = plan.to_string();
    assert!(
        text.contains(r#"+ 203.0.113.10/32    "sbc1.example.com" (dns "sbc1.example.com")"#),
        "{text}"
    );
    assert!(
        text.contains(r#"+ 192.0.2.1/32       "192.0.2.1""#),
        "{text}"
    );
    assert!(!text.contains(r#""192.0.2.1" ("#), "{text}");
    let json: serde_json::Value = serde_json::from_str(&plan.to_json()).unwrap();
    let added: Vec<&serde_json::Value> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["action"] == "add_address")
        .collect();
    assert_eq!(added[1]["ip"], "203.0.113.10");
    assert_eq!(
        added[1]["source"],
        serde_json::json!({ "dns": "sbc1.example.com" })
    );
    assert!(added[0].get("source").is_none(), "{}", added[0]);
    // The document reads back with its sources.
    let again = allowlist::Plan::from_json(&plan.to_json()).unwrap();
    assert_eq!(again.changes(), plan.changes());

    assert!(
        plan.apply(&client, ApplyOptions::default())
            .await
            .unwrap()
            .is_complete()
    );
    assert!(allowlist::plan(&client, &desired).await.unwrap().is_empty());

    // The answer changes: the next plan follows it, adding before removing.
    server.set(
        "sbc1.example.com",
        Answer::A(vec![ip("203.0.113.11"), ip("203.0.113.12")]),
    );
    let desired = read(&list(r#"  "192.0.2.1", { dns = "sbc1.example.com" }, { dns = "sbc2.example.com", name = "sbc two" },"#), &options)
        .await
        .unwrap();
    let lines: Vec<String> = allowlist::plan(&client, &desired)
        .await
        .unwrap()
        .changes()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        lines,
        [
            r#"+ 203.0.113.12/32 "sbc1.example.com" (dns "sbc1.example.com") in list "office""#,
            r#"- 203.0.113.10/32 "sbc1.example.com" from list "office""#,
        ]
    );
}

#[tokio::test]
async fn a_name_that_does_not_exist_refuses_the_file_unless_optional() {
    let server = DnsServer::start();
    server.set("sbc1.example.com", Answer::A(vec![ip("203.0.113.10")]));
    let options = SourceOptions::default().nameserver(server.addr());
    let text = list("  { dns = \"sbc1.example.com\" },\n  { dns = \"gone.example.com\" },");
    let err = read(&text, &options).await.unwrap_err();
    refused_at(
        &err,
        4,
        r#"{ dns = "gone.example.com" }"#,
        "gone.example.com does not exist (NXDOMAIN)",
    );
    assert!(err.to_string().contains("list \"office\""), "{err}");
    assert_eq!(
        err.source_error(),
        Some(&SourceError::NxDomain {
            host: "gone.example.com".into()
        })
    );

    let text = list(
        "  { dns = \"sbc1.example.com\" },\n  { dns = \"gone.example.com\", optional = true },",
    );
    let desired = read(&text, &options).await.unwrap();
    assert_eq!(addresses(&desired).len(), 1);
    assert_eq!(desired.warnings().len(), 1, "{:?}", desired.warnings());
    let warning = &desired.warnings()[0];
    assert!(warning.starts_with("line 4: "), "{warning}");
    assert!(
        warning.contains("optional dns \"gone.example.com\" gives nothing"),
        "{warning}"
    );
}

#[tokio::test]
async fn silence_times_out_and_an_empty_answer_is_refused() {
    let server = DnsServer::start();
    server.set("quiet.example.com", Answer::Silence);
    server.set("empty.example.com", Answer::A(vec![]));
    let options = SourceOptions::default()
        .nameserver(server.addr())
        .timeout(Duration::from_millis(300));
    let started = std::time::Instant::now();
    let err = read(&list("  { dns = \"quiet.example.com\" },"), &options)
        .await
        .unwrap_err();
    assert!(
        matches!(err.source_error(), Some(SourceError::Timeout { .. })),
        "{err}"
    );
    refused_at(&err, 3, "quiet.example.com", "no answer within 300ms");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );

    let err = read(&list("  { dns = \"empty.example.com\" },"), &options)
        .await
        .unwrap_err();
    refused_at(&err, 3, "empty.example.com", "gave no IPv4 address");
    assert!(err.to_string().contains("nothing was written"), "{err}");
}

#[tokio::test]
async fn a_source_may_not_shrink_what_it_gives_a_live_list_by_more_than_its_limit() {
    let server = DnsServer::start();
    let answer = |ips: &[&str]| Answer::A(ips.iter().map(|t| ip(t)).collect());
    let four = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"];
    server.set("sbcs.example.com", answer(&four));
    let options = SourceOptions::default().nameserver(server.addr());
    let text = |extra: &str| {
        list(&format!(
            "  \"192.0.2.1\", {{ dns = \"sbcs.example.com\"{extra} }},"
        ))
    };
    let twilio = MockTwilio::start().await;
    let client = twilio.client();
    let desired = read(&text(""), &options).await.unwrap();
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    assert!(
        plan.apply(&client, ApplyOptions::default())
            .await
            .unwrap()
            .is_complete()
    );

    // 4 -> 1 is 75 % fewer: refused before anything is written.
    server.set("sbcs.example.com", answer(&four[..1]));
    let desired = read(&text(""), &options).await.unwrap();
    twilio.clear_requests();
    let err = allowlist::plan(&client, &desired).await.unwrap_err();
    assert!(matches!(err, allowlist::Error::Refused { .. }), "{err}");
    let shown = err.to_string();
    assert!(
        shown.contains(r#"dns "sbcs.example.com" would give list "office" 1 address(es) named "sbcs.example.com" where it has 4: 75% fewer, more than its max_shrink_percent (50%)"#),
        "{shown}"
    );
    assert!(twilio.requests().iter().all(|r| r.method == "GET"));

    // The file read again and planned, with `extra` in the source's entry.
    let plan = |extra: &'static str| {
        let (client, options, text) = (&client, &options, &text);
        async move { allowlist::plan(client, &read(&text(extra), options).await.unwrap()).await }
    };
    // The limit is per entry: 100 lets it through.
    let removes = |plan: allowlist::Plan| plan.summary().remove;
    assert_eq!(
        plan(", max_shrink_percent = 100")
            .await
            .map(removes)
            .unwrap(),
        3
    );
    // 4 -> 2 is 50 %: within the default; a stricter limit refuses it.
    server.set("sbcs.example.com", answer(&four[..2]));
    assert_eq!(plan("").await.map(removes).unwrap(), 2);
    let err = plan(", max_shrink_percent = 25").await.unwrap_err();
    assert!(err.to_string().contains("50% fewer"), "{err}");
    // A bad limit is refused with the entry.
    let err = read(&text(", max_shrink_percent = 101"), &options)
        .await
        .unwrap_err();
    refused_at(&err, 3, "max_shrink_percent = 101", "from 0 to 100");
}

/// A file without `name` is guarded too: its addresses carry the file's name, so what it gave a
/// live list before is known.
#[tokio::test]
async fn a_file_without_a_name_may_not_shrink_either() {
    let dir = folder("shrink-file");
    let write = |lines: &[&str]| std::fs::write(dir.join("carrier.txt"), lines.join("\n")).unwrap();
    let four = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"];
    write(&four);
    let options = SourceOptions::default().base_dir(&dir);
    let text = list("  \"192.0.2.1\", { file = \"carrier.txt\" },");
    let twilio = MockTwilio::start().await;
    let client = twilio.client();
    let desired = read(&text, &options).await.unwrap();
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    assert!(
        plan.apply(&client, ApplyOptions::default())
            .await
            .unwrap()
            .is_complete()
    );
    // The file cut to one line: 75 % fewer, refused before anything is written.
    write(&four[..1]);
    let desired = read(&text, &options).await.unwrap();
    twilio.clear_requests();
    let err = allowlist::plan(&client, &desired).await.unwrap_err();
    assert!(
        err.to_string().contains(r#"file "carrier.txt" would give list "office" 1 address(es) named "carrier.txt" where it has 4: 75% fewer"#),
        "{err}"
    );
    assert!(twilio.requests().iter().all(|r| r.method == "GET"));
    // Half of it is within the default limit.
    write(&four[..2]);
    let desired = read(&text, &options).await.unwrap();
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    assert_eq!(plan.summary().remove, 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_file_of_addresses_relative_to_the_allowlist_file_in_a_set() {
    let dir = folder("file");
    std::fs::write(
        dir.join("carrier.txt"),
        "# carrier X, published 2026-11\n198.51.100.0/24   # core\n\n203.0.113.10\n2001:db8::/32\n198.51.100.0/24\n",
    )
    .unwrap();
    let options = SourceOptions::default().base_dir(&dir);
    let text = format!(
        "[sets.carrier]\naddresses = [{{ file = \"carrier.txt\" }}]\n\n{}",
        list("  \"192.0.2.1\", { set = \"carrier\" },")
    );
    let desired = read(&text, &options).await.unwrap();
    let office = &desired.lists()[0];
    let shown: Vec<(String, &str, Option<&str>, Option<&SourceRef>)> = office
        .addresses()
        .iter()
        .map(|a| (a.cidr(), a.name(), a.set(), a.source()))
        .collect();
    let file = SourceRef::File("carrier.txt".into());
    assert_eq!(
        shown,
        [
            ("192.0.2.1/32".into(), "192.0.2.1", None, None),
            // Without `name`, a file's addresses are named with the file as written.
            (
                "198.51.100.0/24".into(),
                "carrier.txt",
                Some("carrier"),
                Some(&file)
            ),
            (
                "203.0.113.10/32".into(),
                "carrier.txt",
                Some("carrier"),
                Some(&file)
            ),
        ]
    );
    // IPv6 is skipped with a warning naming the line; the repeated range is kept once.
    assert_eq!(desired.warnings().len(), 1, "{:?}", desired.warnings());
    assert!(
        desired.warnings()[0].contains("skipped 1 IPv6 value(s)"),
        "{:?}",
        desired.warnings()
    );
    assert!(
        desired.warnings()[0].contains("carrier.txt:5"),
        "{:?}",
        desired.warnings()
    );

    let twilio = MockTwilio::start().await;
    let plan = allowlist::plan(&twilio.client(), &desired).await.unwrap();
    assert!(
        plan.to_string()
            .contains(r#"+ 198.51.100.0/24    "carrier.txt" (set "carrier", file "carrier.txt")"#),
        "{plan}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_bad_line_of_a_file_is_refused_naming_the_file_and_its_line() {
    let dir = folder("bad-line");
    let options = SourceOptions::default().base_dir(&dir);
    let text = list("  \"192.0.2.1\",\n  { file = \"carrier.txt\" },");
    for (body, line, why) in [
        (
            "198.51.100.0/24\n# ok\n198.51.100.7/24\n",
            3,
            "host bits are set",
        ),
        ("198.51.100.0/24\n0.0.0.0/0\n", 2, "`/0` is refused"),
        ("sbc.example.com\n", 1, "not an IPv4 address"),
    ] {
        std::fs::write(dir.join("carrier.txt"), body).unwrap();
        let err = read(&text, &options).await.unwrap_err();
        refused_at(&err, 4, "{ file = \"carrier.txt\" }", why);
        assert!(
            matches!(err.source_error(), Some(SourceError::Invalid { at, .. }) if *at == format!("carrier.txt:{line}")),
            "{err}"
        );
        assert!(
            err.to_string().contains(&format!("carrier.txt:{line}")),
            "{err}"
        );
    }
    // Only comments, or only IPv6: nothing to allow, refused.
    std::fs::write(dir.join("carrier.txt"), "# nothing yet\n2001:db8::1\n").unwrap();
    let err = read(&text, &options).await.unwrap_err();
    refused_at(
        &err,
        4,
        "carrier.txt",
        "gave no IPv4 address (only 1 IPv6 value(s)",
    );
    // A file that is not there.
    std::fs::remove_file(dir.join("carrier.txt")).unwrap();
    let err = read(&text, &options).await.unwrap_err();
    assert!(
        matches!(err.source_error(), Some(SourceError::Read { .. })),
        "{err}"
    );
    refused_at(&err, 4, "carrier.txt", "cannot read");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn feeds_as_lines_and_as_json_with_a_jsonpath() {
    let feeds = FeedServer::start();
    let lines = feeds.serve(
        "/carrier.txt",
        200,
        "# carrier\n198.51.100.0/24\n203.0.113.10\n",
    );
    let json = feeds.serve(
        "/ip-ranges.json",
        200,
        r#"{"syncToken": "1", "prefixes": [
            {"ip_prefix": "198.18.0.0/15", "service": "A"},
            {"ip_prefix": "192.0.2.0/24", "service": "B"},
            {"ip_prefix": "198.18.0.0/15", "service": "C"}
        ], "ipv6_prefixes": [{"ipv6_prefix": "2001:db8::/32"}]}"#,
    );
    let options = SourceOptions::default().allow_fetch(true);
    let text = list(&format!(
        "  {{ url = \"{lines}\", format = \"lines\" }},\n  {{ url = \"{json}?key=s3cret\", format = \"json\", path = \"$.prefixes[*].ip_prefix\", name = \"cloud\" }},"
    ));
    let desired = read(&text, &options).await.unwrap();
    let lines_ref = Some(SourceRef::Url(lines.clone()));
    let json_ref = Some(SourceRef::Url(format!("{json}?…")));
    // Without `name`, a feed's addresses are named with its host and path (no port, no query).
    let lines_name = "127.0.0.1/carrier.txt".to_owned();
    assert_eq!(
        addresses(&desired),
        [
            (
                "198.51.100.0/24".into(),
                lines_name.clone(),
                lines_ref.clone()
            ),
            ("203.0.113.10/32".into(), lines_name, lines_ref),
            ("198.18.0.0/15".into(), "cloud".into(), json_ref.clone()),
            ("192.0.2.0/24".into(), "cloud".into(), json_ref),
        ]
    );
    assert_eq!(
        feeds.requests(),
        ["/carrier.txt", "/ip-ranges.json?key=s3cret"]
    );
    // The token in the query is never shown.
    let twilio = MockTwilio::start().await;
    let plan = allowlist::plan(&twilio.client(), &desired).await.unwrap();
    assert!(!plan.to_string().contains("s3cret") && !plan.to_json().contains("s3cret"));
}

#[tokio::test]
async fn a_feed_that_fails_is_refused_naming_it() {
    let feeds = FeedServer::start();
    let options = SourceOptions::default().allow_fetch(true);
    let json = |url: &str, path: &str| {
        list(&format!(
            "  {{ url = \"{url}\", format = \"json\", path = \"{path}\" }},"
        ))
    };
    let error = feeds.serve("/error", 500, "oops");
    let err = read(&list(&format!("  {{ url = \"{error}\" }},")), &options)
        .await
        .unwrap_err();
    assert_eq!(
        err.source_error(),
        Some(&SourceError::Http {
            from: format!("url {error:?}"),
            status: 500
        })
    );
    refused_at(&err, 3, &error, "answered HTTP 500");
    // A token in the query is not shown, neither in the reason nor in the entry.
    let err = read(
        &list(&format!("  {{ url = \"{error}?token=s3cret\" }},")),
        &options,
    )
    .await
    .unwrap_err();
    refused_at(
        &err,
        3,
        &format!("{{ url = \"{error}?…\" }}"),
        "answered HTTP 500",
    );
    assert!(!format!("{err} {err:?}").contains("s3cret"), "{err}");

    let broken = feeds.serve("/broken.json", 200, "{\"prefixes\": [");
    let err = read(&json(&broken, "$.prefixes[*]"), &options)
        .await
        .unwrap_err();
    refused_at(&err, 3, &broken, "not JSON");

    let numbers = feeds.serve("/numbers.json", 200, r#"{"prefixes": ["192.0.2.0/24", 7]}"#);
    let err = read(&json(&numbers, "$.prefixes[*]"), &options)
        .await
        .unwrap_err();
    refused_at(&err, 3, &numbers, "$['prefixes'][1] is 7, not a string");

    let host_bits = feeds.serve(
        "/bits.json",
        200,
        r#"{"prefixes": ["192.0.2.0/24", "198.51.100.7/24"]}"#,
    );
    let err = read(&json(&host_bits, "$.prefixes[*]"), &options)
        .await
        .unwrap_err();
    refused_at(&err, 3, "$['prefixes'][1]", "host bits are set");

    let nothing = feeds.serve("/nothing.json", 200, r#"{"prefixes": []}"#);
    let err = read(&json(&nothing, "$.prefixes[*]"), &options)
        .await
        .unwrap_err();
    refused_at(&err, 3, &nothing, "gave no IPv4 address");

    let big = feeds.serve("/big.txt", 200, &"198.51.100.0/24\n".repeat(100));
    let err = read(
        &list(&format!("  {{ url = \"{big}\" }},")),
        &options.clone().max_feed_bytes(1000),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            err.source_error(),
            Some(SourceError::TooLarge { limit: 1000, .. })
        ),
        "{err}"
    );

    let missing = format!("{}404", &error[..error.len() - "error".len()]);
    let err = read(
        &list(&format!(
            "  \"192.0.2.1\",\n  {{ url = \"{missing}\", optional = true }},"
        )),
        &options,
    )
    .await
    .map(|d| d.warnings().to_vec())
    .unwrap();
    assert!(err[0].contains("answered HTTP 404"), "{err:?}");
}

#[tokio::test]
async fn feeds_are_fetched_only_when_allowed() {
    let feeds = FeedServer::start();
    let url = feeds.serve("/carrier.txt", 200, "198.51.100.0/24\n");
    let text = list(&format!(
        "  \"192.0.2.1\",\n  {{ url = \"{url}\", optional = true }},"
    ));
    let err = read(&text, &SourceOptions::default()).await.unwrap_err();
    refused_at(&err, 4, &url, "--allow-fetch");
    assert!(matches!(
        err.source_error(),
        Some(SourceError::FetchNotAllowed { .. })
    ));
    assert!(feeds.requests().is_empty(), "{:?}", feeds.requests());
}

#[test]
fn source_entries_are_checked_before_anything_is_read() {
    let refused = |entries: &str, why: &str| {
        let err = Desired::from_toml(&list(entries), FILE).unwrap_err();
        refused_at(&err, 3, entries.trim().trim_end_matches(','), why);
    };
    refused("  { dns = \"198.51.100.7\" },", "is an address");
    refused("  { dns = \"sbc 1.example.com\" },", "must be a host name");
    refused(
        "  { dns = \"sbc1.example.com\", ttl = 60 },",
        "unknown key `ttl`",
    );
    refused(
        "  { dns = \"sbc1.example.com\", optional = \"yes\" },",
        "`optional` must be true or false",
    );
    refused(
        "  { url = \"http://feeds.example.com/a.txt\" },",
        "must be https://",
    );
    refused(
        "  { url = \"https://feeds.example.com/a.json\", format = \"json\" },",
        "needs `path`",
    );
    refused(
        "  { url = \"https://feeds.example.com/a.json\", path = \"prefixes\" },",
        "JSONPath",
    );
    refused("  { file = \"\" },", "`file` is empty");
    // Valid, but read only by from_toml_with_sources.
    refused("  { file = \"carrier.txt\" },", "from_toml_with_sources");
}

/// The committed JSON Schema of the desired-state file or of the plan document.
fn schema(name: &str) -> jsonschema::Validator {
    let path = format!("{}/schemas/{name}", env!("CARGO_MANIFEST_DIR"));
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn toml_as_json(text: &str) -> serde_json::Value {
    serde_json::to_value(toml::from_str::<toml::Value>(text).unwrap()).unwrap()
}

#[test]
fn the_schemas_know_sources() {
    let file = schema("allowlist.schema.json");
    // The guide's example validates, and the parser takes its shape (reading it is another step).
    let guide = include_str!("../docs/allowlist.md");
    let section = &guide[guide
        .find("### Addresses from DNS, files and feeds")
        .unwrap()..];
    let open = section.find("```toml\n").unwrap() + "```toml\n".len();
    let example = &section[open..open + section[open..].find("```").unwrap()];
    assert!(example.contains("{ dns = "), "{example}");
    let errors: Vec<String> = file
        .iter_errors(&toml_as_json(example))
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let err = Desired::from_toml(example, FILE).unwrap_err();
    assert!(err.reason().contains("from_toml_with_sources"), "{err}");
    // What the parser refuses for its shape, the schema refuses too.
    for entry in [
        r#"{ dns = "sbc1.example.com", ttl = 60 }"#,
        r#"{ dns = "sbc1.example.com", file = "a.txt" }"#,
        r#"{ file = "a.txt", max_shrink_percent = 101 }"#,
        r#"{ file = "a.txt", optional = "yes" }"#,
        r#"{ url = "ftp://example.com/a.txt" }"#,
        r#"{ url = "https://example.com/a.txt", format = "csv" }"#,
    ] {
        let text = list(&format!("  {entry},"));
        assert!(
            !file.is_valid(&toml_as_json(&text)),
            "the schema accepts {entry}"
        );
        let err = Desired::from_toml(&text, FILE).unwrap_err();
        assert!(
            !err.reason().contains("from_toml_with_sources"),
            "the parser accepts {entry}: {err}"
        );
    }
}

#[tokio::test]
async fn a_plan_with_sources_validates_against_the_plan_schema() {
    let server = DnsServer::start();
    server.set("sbc1.example.com", Answer::A(vec![ip("203.0.113.10")]));
    let options = SourceOptions::default().nameserver(server.addr());
    let desired = read(&list("  { dns = \"sbc1.example.com\" },"), &options)
        .await
        .unwrap();
    let twilio = MockTwilio::start().await;
    let plan = allowlist::plan(&twilio.client(), &desired).await.unwrap();
    let document: serde_json::Value = serde_json::from_str(&plan.to_json()).unwrap();
    assert_eq!(document["changes"][1]["source"]["dns"], "sbc1.example.com");
    let errors: Vec<String> = schema("plan.schema.json")
        .iter_errors(&document)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[cfg(feature = "cli")]
mod cli {
    use std::process::{Command, Output, Stdio};

    use super::*;

    const BIN: &str = env!("CARGO_BIN_EXE_twilio-allowlist");

    fn run(twilio: &MockTwilio, args: &[&str]) -> Output {
        Command::new(BIN)
            .arg("--base-url")
            .arg(twilio.base_url())
            .args(args)
            .env_clear()
            .env("TWILIO_ACCOUNT_SID", twilio.account_sid().as_str())
            .env("TWILIO_AUTH_TOKEN", twilio.auth_token())
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// Asserts the exit code; standard output and standard error.
    #[track_caller]
    fn exits(out: &Output, code: i32) -> (String, String) {
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        );
        assert_eq!(out.status.code(), Some(code), "{stdout}{stderr}");
        (stdout, stderr)
    }

    fn writes(twilio: &MockTwilio) -> usize {
        twilio
            .requests()
            .iter()
            .filter(|r| r.method != "GET")
            .count()
    }

    #[test]
    fn plan_and_apply_with_a_nameserver_show_the_origin_and_fail_closed() {
        let twilio = MockTwilio::start_blocking();
        let server = DnsServer::start();
        server.set("sbc1.example.com", Answer::A(vec![ip("203.0.113.10")]));
        let dir = folder("cli");
        std::fs::write(dir.join("carrier.txt"), "198.51.100.0/24\n").unwrap();
        let file = dir.join("allowlist.toml");
        std::fs::write(
            &file,
            list("  { dns = \"sbc1.example.com\" },\n  { file = \"carrier.txt\" },"),
        )
        .unwrap();
        let file = file.display().to_string();
        let ns = server.addr().to_string();

        let (text, _) = exits(
            &run(&twilio, &["plan", "-f", &file, "--nameserver", &ns]),
            2,
        );
        assert!(
            text.contains(r#""sbc1.example.com" (dns "sbc1.example.com")"#),
            "{text}"
        );
        assert!(
            text.contains(r#"198.51.100.0/24    "carrier.txt" (file "carrier.txt")"#),
            "{text}"
        );
        let out = run(
            &twilio,
            &["plan", "-f", &file, "--nameserver", &ns, "--json"],
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        // Changes are in address order: the file's range, then the host's address.
        assert_eq!(json["changes"][1]["source"]["file"], "carrier.txt");
        assert_eq!(json["changes"][2]["source"]["dns"], "sbc1.example.com");

        // The name disappears: apply refuses, naming the entry, and writes nothing.
        server.set("sbc1.example.com", Answer::NxDomain);
        let apply = ["apply", "-f", &file, "--nameserver", &ns, "--yes"];
        let (_, err) = exits(&run(&twilio, &apply), 1);
        assert!(err.contains("allowlist.toml:3:"), "{err}");
        assert!(
            err.contains("sbc1.example.com does not exist (NXDOMAIN)"),
            "{err}"
        );
        assert_eq!(writes(&twilio), 0);

        server.set("sbc1.example.com", Answer::A(vec![ip("203.0.113.10")]));
        exits(&run(&twilio, &apply), 0);
        assert_eq!(writes(&twilio), 3);
        exits(
            &run(&twilio, &["plan", "-f", &file, "--nameserver", &ns]),
            0,
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_feed_needs_allow_fetch() {
        let twilio = MockTwilio::start_blocking();
        let feeds = FeedServer::start();
        let url = feeds.serve("/carrier.txt", 200, "198.51.100.0/24\n");
        let dir = folder("cli-fetch");
        let file = dir.join("allowlist.toml");
        std::fs::write(&file, list(&format!("  {{ url = \"{url}\" }},"))).unwrap();
        let file = file.display().to_string();

        let (_, err) = exits(&run(&twilio, &["plan", "-f", &file]), 1);
        assert!(
            err.contains(&format!("url {url:?}")) && err.contains("--allow-fetch"),
            "{err}"
        );
        assert!(feeds.requests().is_empty());

        let (text, _) = exits(&run(&twilio, &["plan", "-f", &file, "--allow-fetch"]), 2);
        assert!(
            text.contains(&format!(
                r#"198.51.100.0/24    "127.0.0.1/carrier.txt" (url {url:?})"#
            )),
            "{text}"
        );
        assert_eq!(feeds.requests(), ["/carrier.txt"]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
