//! Address sets in the desired state (`[sets.NAME]`, `{ set = NAME }`): expansion, nesting, the
//! refusals with their file position, the unused-set warning, and the plan showing which set
//! an address came from, on the embedded emulator.

#![cfg(all(feature = "allowlist", feature = "mock"))]

use twilio_ip_access::{
    allowlist::{self, ApplyOptions, Desired, DesiredError, ListBuilder, SetBuilder},
    mock::MockTwilio,
};

const FILE: &str = "allowlist.toml";

const ISSUE_EXAMPLE: &str = r#"[sets.carrier-a]
addresses = ["198.51.100.0/24", { ip = "203.0.113.10", name = "carrier-a sbc" }]

[lists."office allowlist"]
addresses = ["192.0.2.1", { set = "carrier-a" }]
trunks = ["my trunk"]
sip_domains = []
"#;

/// Asserts that `text` is refused at `line`, with a message naming `entry` and saying `why`.
#[track_caller]
fn refused(text: &str, line: usize, entry: &str, why: &str) -> DesiredError {
    let err = Desired::from_toml(text, FILE).expect_err("refused");
    assert_eq!((err.file(), err.line()), (Some(FILE), Some(line)), "{err}");
    let shown = err.to_string();
    assert!(shown.starts_with(&format!("{FILE}:{line}:")), "{shown}");
    assert!(shown.contains(entry), "names {entry}: {shown}");
    assert!(shown.contains(why), "says {why:?}: {shown}");
    err
}

#[test]
fn a_set_stands_for_its_addresses_and_says_where_they_came_from() {
    let desired = Desired::from_toml(ISSUE_EXAMPLE, FILE).unwrap();
    let office = &desired.lists()[0];
    let shown: Vec<(String, &str, Option<&str>)> = office
        .addresses()
        .iter()
        .map(|a| (a.cidr(), a.name(), a.set()))
        .collect();
    assert_eq!(
        shown,
        [
            ("192.0.2.1/32".into(), "192.0.2.1", None),
            (
                "198.51.100.0/24".into(),
                "198.51.100.0/24",
                Some("carrier-a")
            ),
            ("203.0.113.10/32".into(), "carrier-a sbc", Some("carrier-a")),
        ]
    );
    assert!(desired.warnings().is_empty(), "{:?}", desired.warnings());
}

#[test]
fn sets_nest_and_an_unused_set_is_a_warning() {
    let text = r#"[sets.inner]
addresses = ["192.0.2.9"]

[sets.outer]
addresses = ["192.0.2.8", { set = "inner" }]

[sets.spare]
addresses = ["192.0.2.7"]

[lists.a]
addresses = [{ set = "outer" }]
trunks = []
sip_domains = []
"#;
    let desired = Desired::from_toml(text, FILE).unwrap();
    let got: Vec<(String, Option<&str>)> = desired.lists()[0]
        .addresses()
        .iter()
        .map(|a| (a.cidr(), a.set()))
        .collect();
    // Each address says the set it is written in.
    assert_eq!(
        got,
        [
            ("192.0.2.8/32".into(), Some("outer")),
            ("192.0.2.9/32".into(), Some("inner"))
        ]
    );
    assert_eq!(
        desired.warnings(),
        ["set \"spare\" (line 7) is used by no list"]
    );
}

#[test]
fn every_set_refusal_names_the_file_line_and_entry() {
    let list = |addresses: &str| {
        format!("[lists.a]\naddresses = [{addresses}]\ntrunks = []\nsip_domains = []\n")
    };
    // An unknown set, at the entry that uses it.
    refused(
        &list(r#"{ set = "nope" }"#),
        2,
        r#"{ set = "nope" }"#,
        "there is no set named \"nope\"",
    );
    let with_sets = format!(
        "[sets.s]\naddresses = [\"192.0.2.1\"]\n\n{}",
        list(r#"{ set = "other" }"#)
    );
    refused(&with_sets, 5, "{ set = \"other\" }", "the file's sets: s");
    // A cycle, through two sets, named in order.
    let cycle = format!(
        "[sets.a]\naddresses = [{{ set = \"b\" }}]\n\n[sets.b]\naddresses = [\"192.0.2.1\", {{ set = \"a\" }}]\n\n{}",
        list(r#"{ set = "a" }"#)
    );
    // (Found at the use that closes it.)
    let err = refused(
        &cycle,
        5,
        "{ set = \"a\" }",
        "a cycle: \"a\" -> \"b\" -> \"a\"",
    );
    assert_eq!(err.set(), Some("b"));
    // A set that uses itself.
    refused(
        "[sets.a]\naddresses = [{ set = \"a\" }]\n",
        2,
        "set \"a\"",
        "a cycle: \"a\" -> \"a\"",
    );
    // The same identity twice after expansion: both origins named.
    let twice = format!(
        "[sets.s]\naddresses = [\"192.0.2.1\", {{ ip = \"198.51.100.0/24\", name = \"x\" }}]\n\n{}",
        list(r#""198.51.100.0/24", { set = "s" }"#)
    );
    let err = refused(
        &twice,
        2,
        "\"x\"",
        "the same entry twice: 198.51.100.0/24 is also at line 5",
    );
    assert_eq!(err.set(), Some("s"));
    assert!(
        err.to_string()
            .contains("(through the set used at line 5 of list \"a\")"),
        "{err}"
    );
    let twice_in_sets = format!(
        "[sets.s]\naddresses = [\"192.0.2.1\"]\n\n[sets.t]\naddresses = [\"192.0.2.1\"]\n\n{}",
        list(r#"{ set = "s" }, { set = "t" }"#)
    );
    refused(
        &twice_in_sets,
        5,
        "set \"t\"",
        "is also at line 2 in set \"s\" (used at line 8)",
    );
    // An entry of a set is checked as a list's is, naming the set.
    let err = refused(
        "[sets.s]\naddresses = [\"198.51.100.7/24\"]\n",
        2,
        "\"198.51.100.7/24\"",
        "host bits are set",
    );
    assert_eq!((err.set(), err.list()), (Some("s"), None));
    assert!(err.to_string().contains("set \"s\", entry"), "{err}");
    // A set's use takes `set` alone, as a string.
    refused(
        &list(r#"{ set = "s", name = "x" }"#),
        2,
        "{ set = \"s\", name = \"x\" }",
        "unknown key `name`",
    );
    refused(
        &list(r#"{ set = 3 }"#),
        2,
        "{ set = 3 }",
        "`set` must be a string",
    );
    // The 100-address limit counts the expanded addresses.
    let hundred: Vec<String> = (0..100).map(|i| format!("\"10.0.0.{i}\"")).collect();
    let over = format!(
        "[sets.big]\naddresses = [{}]\n\n{}",
        hundred.join(", "),
        list(r#""192.0.2.1", { set = "big" }"#)
    );
    refused(
        &over,
        2,
        "\"10.0.0.99\"",
        "more than 100 addresses in one list",
    );
    // Unknown keys in a set's table.
    refused(
        "[sets.s]\naddresses = []\ntrunks = []\n",
        3,
        "trunks",
        "unknown field `trunks`",
    );
}

#[test]
fn the_builder_takes_sets_too() {
    let desired = Desired::builder()
        .set(SetBuilder::new("carrier-a").address("198.51.100.0/24"))
        .set(
            SetBuilder::new("all carriers")
                .set("carrier-a")
                .named_address("203.0.113.10", "b"),
        )
        .list(ListBuilder::new("office").set("all carriers"))
        .build()
        .unwrap();
    let from_file = Desired::from_toml(
        r#"[sets.carrier-a]
addresses = ["198.51.100.0/24"]
[sets."all carriers"]
addresses = [{ set = "carrier-a" }, { ip = "203.0.113.10", name = "b" }]
[lists.office]
addresses = [{ set = "all carriers" }]
trunks = []
sip_domains = []
"#,
        FILE,
    )
    .unwrap();
    assert_eq!(desired.lists(), from_file.lists());
    let err = Desired::builder()
        .list(ListBuilder::new("office").set("missing"))
        .build()
        .unwrap_err();
    assert_eq!(err.list(), Some("office"));
    assert!(err.reason().contains("no set named \"missing\""), "{err}");
}

#[tokio::test]
async fn the_plan_shows_the_set_and_apply_converges() {
    let mock = MockTwilio::start().await;
    let trunk = mock.create_trunk_named("my trunk", "my-trunk.pstn.twilio.com");
    let client = mock.client();
    let desired = Desired::from_toml(ISSUE_EXAMPLE, FILE).unwrap();
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    assert_eq!(
        plan.to_string(),
        format!(
            "+ list \"office allowlist\" (new)\n  + 192.0.2.1/32       \"192.0.2.1\"\n  + 198.51.100.0/24    \"198.51.100.0/24\" (set \"carrier-a\")\n  + 203.0.113.10/32    \"carrier-a sbc\" (set \"carrier-a\")\n  + attach trunk \"my trunk\" ({trunk})\n\nPlan: 5 to add, 0 to change, 0 to remove.\n"
        )
    );
    // The plan document carries the set; an address written in the list has no `set` key.
    let document: serde_json::Value = serde_json::from_str(&plan.to_json()).unwrap();
    let adds: Vec<&serde_json::Value> = document["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["action"] == "add_address")
        .collect();
    assert_eq!(adds[0].get("set"), None);
    assert_eq!(adds[1]["set"], "carrier-a");
    let report = plan.apply(&client, ApplyOptions::default()).await.unwrap();
    assert!(report.is_complete(), "{report}");
    assert!(allowlist::plan(&client, &desired).await.unwrap().is_empty());
    // A renamed entry in the set is an update in place, shown with its set.
    let renamed = ISSUE_EXAMPLE.replace("carrier-a sbc", "carrier-a sbc 1");
    let plan = allowlist::plan(&client, &Desired::from_toml(&renamed, FILE).unwrap())
        .await
        .unwrap();
    assert!(
        plan.to_string().contains(
            "  ~ 203.0.113.10/32    \"carrier-a sbc\" -> \"carrier-a sbc 1\" (set \"carrier-a\")"
        ),
        "{plan}"
    );
    assert_eq!(plan.summary().total(), 1);
}
