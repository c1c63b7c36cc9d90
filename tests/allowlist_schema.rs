//! The JSON Schemas of the desired-state file and of the plan document: the committed copies in
//! `schemas/` are what the Rust types generate (so a format change shows up in review), the
//! README's example file and a real `plan --json` output validate against them, and what the
//! parser refuses for its shape the file schema refuses too.

#![cfg(all(feature = "cli", feature = "mock"))]

use std::process::{Command, Stdio};

use serde_json::Value;
use twilio_ip_access::{
    allowlist::{Desired, allowlist_schema, plan_schema},
    mock::MockTwilio,
};

const BIN: &str = env!("CARGO_BIN_EXE_twilio-allowlist");

fn committed(name: &str) -> String {
    std::fs::read_to_string(format!("{}/schemas/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[track_caller]
fn assert_committed(name: &str, of: &str, schema: &schemars::Schema) {
    let generated = serde_json::to_string_pretty(schema.as_value()).unwrap() + "\n";
    assert!(
        committed(name) == generated,
        "schemas/{name} differs from what the Rust types generate; if the format change is \
         intended, regenerate it:\n  cargo run --features cli --bin twilio-allowlist -- schema {of} > schemas/{name}"
    );
    // And the binary prints exactly the committed file.
    let out = Command::new(BIN)
        .args(["schema", of])
        .env_clear()
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), generated);
}

#[test]
fn committed_schemas_are_what_the_types_generate() {
    assert_committed("allowlist.schema.json", "allowlist", &allowlist_schema());
    assert_committed("plan.schema.json", "plan", &plan_schema());
}

/// A TOML file as the JSON value validators check.
fn toml_as_json(text: &str) -> Value {
    serde_json::to_value(toml::from_str::<toml::Value>(text).unwrap()).unwrap()
}

fn validator(name: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&committed(name)).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// The allowlist guide's example desired-state file (the TOML block under "### The file").
fn readme_example() -> String {
    guide_example("### The file")
}

/// The first TOML block of the allowlist guide under `heading`.
fn guide_example(heading: &str) -> String {
    let readme = include_str!("../docs/allowlist.md");
    let start = readme
        .find(heading)
        .expect("the allowlist guide shows the file format");
    let block = &readme[start..];
    let open = block.find("```toml\n").unwrap() + "```toml\n".len();
    let close = block[open..].find("```").unwrap();
    block[open..open + close].to_owned()
}

/// Asserts the schema accepts `text`, and the parser too (the trunk and domain names are
/// resolved only when planning).
#[track_caller]
fn valid_and_parsed(text: &str) -> Desired {
    let errors: Vec<String> = validator("allowlist.schema.json")
        .iter_errors(&toml_as_json(text))
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    Desired::from_toml(text, "docs/allowlist.md").unwrap()
}

#[test]
fn the_readme_example_file_validates_and_parses() {
    let text = readme_example();
    assert!(text.contains("[lists.\"office allowlist\"]"), "{text}");
    valid_and_parsed(&text);
}

#[test]
fn the_guides_estate_example_validates_and_parses() {
    let text = guide_example("### Several accounts");
    assert!(text.contains("[accounts.customer-42]"), "{text}");
    let desired = valid_and_parsed(&text);
    assert_eq!(desired.accounts().len(), 3);
    assert!(desired.warnings().is_empty(), "{:?}", desired.warnings());
}

#[test]
fn what_the_parser_refuses_for_its_shape_the_schema_refuses_too() {
    let schema = validator("allowlist.schema.json");
    let list = |addresses: &str| {
        format!("[lists.office]\naddresses = [{addresses}]\ntrunks = []\nsip_domains = []\n")
    };
    let hundred_and_one = (0..101)
        .map(|n| format!("\"10.0.{}.{}\"", n / 256, n % 256))
        .collect::<Vec<_>>()
        .join(", ");
    let long_name = format!("{{ ip = \"10.0.0.1\", name = \"{}\" }}", "x".repeat(256));
    let cases = [
        ("not an address", list("\"10.0.0\"")),
        ("a wildcard", list("\"10.0.0.*\"")),
        ("leading zeros", list("\"010.0.0.1\"")),
        ("a prefix over 32", list("\"10.0.0.0/33\"")),
        ("/0", list("\"0.0.0.0/0\"")),
        ("the same entry twice", list("\"10.0.0.1\", \"10.0.0.1\"")),
        ("101 addresses", list(&hundred_and_one)),
        ("a name over 255 characters", list(&long_name)),
        ("an empty name", list("{ ip = \"10.0.0.1\", name = \"\" }")),
        (
            "an unknown key in an address",
            list("{ ip = \"10.0.0.1\", nam = \"x\" }"),
        ),
        (
            "a missing key",
            "[lists.office]\naddresses = []\ntrunks = []\n".to_owned(),
        ),
        (
            "an unknown key",
            "[lists.office]\naddresses = []\ntrunks = []\nsip_domains = []\nowner = \"me\"\n"
                .to_owned(),
        ),
        (
            "an empty list name",
            "[lists.\"\"]\naddresses = []\ntrunks = []\nsip_domains = []\n".to_owned(),
        ),
        ("[byoc] without ip_records", "[byoc]\n".to_owned()),
        (
            "an unknown key in [byoc]",
            "[byoc]\nip_records = []\nrecords = []\n".to_owned(),
        ),
        (
            "an IP Record that is not an address",
            "[byoc]\nip_records = [\"10.0.0\"]\n".to_owned(),
        ),
        (
            "an IP Record /0",
            "[byoc]\nip_records = [\"0.0.0.0/0\"]\n".to_owned(),
        ),
        (
            "an unknown key in an IP Record",
            "[byoc]\nip_records = [{ ip = \"10.0.0.1\", domain = \"x\" }]\n".to_owned(),
        ),
        (
            "an IP Record with an empty name",
            "[byoc]\nip_records = [{ ip = \"10.0.0.1\", name = \"\" }]\n".to_owned(),
        ),
        (
            "an IP Record without ip",
            "[byoc]\nip_records = [{ name = \"x\" }]\n".to_owned(),
        ),
        (
            "the same IP Record twice",
            "[byoc]\nip_records = [\"10.0.0.1\", \"10.0.0.1\"]\n".to_owned(),
        ),
        (
            "an empty prune_prefix",
            "[settings]\nprune_prefix = \"\"\n".to_owned(),
        ),
        (
            "an unknown key in [settings]",
            "[settings]\nprefix = \"managed: \"\n".to_owned(),
        ),
    ];
    let account = |keys: &str| {
        format!(
            "[accounts.us]\naccount_sid = \"ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\n{keys}\n{}",
            list("\"10.0.0.1\"")
        )
    };
    let account_cases = [
        ("an account without credentials", account("")),
        (
            "an account with two credentials",
            account("auth_token_env = \"A\"\nparent = \"x\""),
        ),
        ("an API key without its secret", account("api_key_env = \"K\"")),
        (
            "a secret's key in an account",
            account("auth_token = \"0123456789abcdef0123456789abcdef\""),
        ),
        (
            "a variable that is not a name",
            account("auth_token_env = \"US-TOKEN\""),
        ),
        (
            "an unknown key in an account",
            account("auth_token_env = \"A\"\ncolour = \"blue\""),
        ),
        (
            "a region that is not a label",
            account("auth_token_env = \"A\"\nregion = \"US 1\""),
        ),
        (
            "an account SID that is not one",
            "[accounts.us]\naccount_sid = \"SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\nauth_token_env = \"A\"\n"
                .to_owned(),
        ),
        (
            "an empty accounts array",
            account("auth_token_env = \"A\"")
                .replace("addresses = [", "accounts = []\naddresses = ["),
        ),
    ];
    for (what, text) in cases.into_iter().chain(account_cases) {
        assert!(
            !schema.is_valid(&toml_as_json(&text)),
            "the schema accepts {what}:\n{text}"
        );
        assert!(
            Desired::from_toml(&text, "case.toml").is_err(),
            "the parser accepts {what}:\n{text}"
        );
    }
    // And both accept the edges.
    let edges = list("\"0.0.0.0/1\", \"128.0.0.0/1\", { ip = \"10.0.0.0/8\", name = \"x\" }");
    assert!(schema.is_valid(&toml_as_json(&edges)));
    Desired::from_toml(&edges, "edges.toml").unwrap();
    // 101 addresses with `split = true`, and sets.
    let split = list(&hundred_and_one).replace("trunks = []", "split = true\ntrunks = []");
    let sets = format!(
        "[sets.a]\naddresses = [\"10.0.0.1\", {{ set = \"b\" }}]\n[sets.b]\naddresses = [\"10.0.0.2\"]\n{}",
        list("{ set = \"a\" }")
    );
    let byoc = "[byoc]\nip_records = [\"10.0.0.1\", { ip = \"10.0.0.0/30\", name = \"x\", sip_domain = \"acme.sip.twilio.com\" }, { ip = \"10.0.1.0/24\", sip_domain = \"SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" }]\n".to_owned();
    let settings = format!(
        "[settings]\nprune_prefix = \"managed: \"\n{}",
        list("\"10.0.0.1\"")
    );
    let accounts = "[accounts.us]\naccount_sid = \"ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\nauth_token_env = \"US_AUTH_TOKEN\"\nregion = \"us1\"\n\
        [accounts.ie]\naccount_sid = \"ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"\napi_key_env = \"IE_API_KEY\"\napi_secret_env = \"IE_API_SECRET\"\nregion = \"ie1\"\nedge = \"dublin\"\nbase_url = \"http://127.0.0.1:4010\"\n\
        [accounts.customer-42]\naccount_sid = \"ACcccccccccccccccccccccccccccccccc\"\nparent = \"us\"\n\
        [sets.s]\naccounts = [\"us\", \"ie\"]\naddresses = [\"10.0.0.1\"]\n\
        [lists.a]\naccounts = [\"us\", \"ie\"]\naddresses = [{ set = \"s\" }]\ntrunks = [\"t\"]\nsip_domains = []\n\
        [lists.a2]\nname = \"a\"\naccounts = [\"customer-42\"]\naddresses = []\ntrunks = []\nsip_domains = []\n\
        [byoc]\naccounts = [\"ie\"]\nip_records = []\n"
        .to_owned();
    for text in [split, sets, byoc, settings, accounts] {
        let errors: Vec<String> = schema
            .iter_errors(&toml_as_json(&text))
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{text}");
        Desired::from_toml(&text, "edges.toml").unwrap();
    }
}

#[test]
fn a_real_plan_document_validates() {
    let mock = MockTwilio::start_blocking();
    mock.create_trunk_named("my trunk", "my-trunk.pstn.twilio.com");
    mock.create_sip_domain_named("acme.sip.twilio.com", "acme");
    let existing = mock.create_ip_access_control_list("branch");
    let dir = std::env::temp_dir().join(format!("twilio-allowlist-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("allowlist.toml");
    std::fs::write(
        &file,
        "[lists.\"office allowlist\"]\naddresses = [\"198.51.100.7\", { ip = \"192.0.2.0/28\", name = \"branch\" }]\n\
         trunks = [\"my trunk\"]\nsip_domains = [\"acme.sip.twilio.com\"]\n\
         [lists.branch]\naddresses = [\"203.0.113.10\"]\ntrunks = []\nsip_domains = []\n\
         [byoc]\nip_records = [{ ip = \"203.0.113.10\", name = \"sbc\", sip_domain = \"acme.sip.twilio.com\" }]\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["--base-url", mock.base_url(), "plan", "--json", "-f"])
        .arg(&file)
        .env_clear()
        .env("TWILIO_ACCOUNT_SID", mock.account_sid().as_str())
        .env("TWILIO_AUTH_TOKEN", mock.auth_token())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(2), "changes pending");
    let document: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(document["format_version"], 4);
    assert_eq!(document["lists"][1]["sid"], existing.as_str());
    let actions: Vec<&str> = document["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"create_ip_record") && actions.contains(&"create_source_ip_mapping"),
        "{actions:?}"
    );
    assert_eq!(
        document["starting_state"]["byoc"],
        serde_json::json!({"ip_records": [], "source_ip_mappings": []})
    );
    let errors: Vec<String> = validator("plan.schema.json")
        .iter_errors(&document)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{document:#}");
    // A document with an unknown key or another version is not a plan.
    let mut wrong = document.clone();
    wrong["format_version"] = 5.into();
    assert!(!validator("plan.schema.json").is_valid(&wrong));
    let mut wrong = document;
    wrong["extra"] = true.into();
    assert!(!validator("plan.schema.json").is_valid(&wrong));
}
