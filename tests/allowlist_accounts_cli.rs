//! The `twilio-allowlist` binary over a file with `[accounts]`: two emulators on 127.0.0.1
//! standing for the regions us1 and ie1 (`tests/allowlist_support/regions.rs`), each account
//! reached with its `base_url` and the auth token in the variable its table names. Grouped
//! output, aggregated exit codes, `--account`, a failure in one account, a 401 in one region,
//! a stale saved plan in one account, export → plan empty, the JSON documents.

#![cfg(all(feature = "cli", feature = "mock"))]

mod allowlist_support;

use std::{
    collections::BTreeMap,
    path::PathBuf,
    process::{Command, Output, Stdio},
};

use allowlist_support::{
    ListSnap,
    cli::{BIN, code, not_twilio, scratch_dir, stderr, stdout, terminate_after},
    regions::{Region, Regions, TWO},
    snapshot,
};
use serde_json::Value;
use twilio_ip_access::mock::Fault;

/// What the file asks of both accounts (`carrier`, no `accounts`) and of us1 only (`office`).
const LISTS: &str = r#"
[sets.carrier]
addresses = ["198.51.100.0/24", "203.0.113.10"]

[lists.carrier]
addresses = [{ set = "carrier" }]
trunks = []
sip_domains = []

[lists.office]
accounts = ["us1"]
addresses = ["192.0.2.7"]
trunks = []
sip_domains = []
"#;

/// Two regions and a directory for the test's files.
struct Estate {
    regions: Regions,
    dir: PathBuf,
}

impl Estate {
    fn start(test: &str) -> Estate {
        Estate {
            regions: Regions::start_blocking(&TWO),
            dir: scratch_dir("accounts", test),
        }
    }

    fn us(&self) -> &Region {
        self.regions.get("us1")
    }

    fn ie(&self) -> &Region {
        self.regions.get("ie1")
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    /// A file with both regions' `[accounts.*]` tables, then `lists`.
    fn file(&self, name: &str, lists: &str) -> String {
        let path = self.path(name);
        std::fs::write(&path, format!("{}{lists}", self.regions.accounts_toml())).unwrap();
        path
    }

    /// Runs the binary in a clean environment holding each region's token, and `env`.
    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        Command::new(BIN)
            .args(args)
            .env_clear()
            .envs(self.regions.env())
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[])
    }

    /// The region's lists, read back.
    fn lists(&self, region: &Region) -> BTreeMap<String, ListSnap> {
        block_on(snapshot(&region.client()))
    }
}

impl Drop for Estate {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// The (address, prefix) of a list read back.
fn addresses(list: &ListSnap) -> Vec<String> {
    list.addresses
        .iter()
        .map(|(ip, prefix, _)| format!("{ip}/{prefix}"))
        .collect()
}

/// The writes a region's emulator received.
fn writes(region: &Region) -> usize {
    region
        .mock
        .requests()
        .iter()
        .filter(|r| r.method != "GET")
        .count()
}

fn json(out: &Output) -> Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

#[test]
fn plan_is_grouped_by_account_with_one_total_and_exits_2() {
    let e = Estate::start("plan");
    let file = e.file("estate.toml", LISTS);
    let out = e.run(&["plan", "-f", &file]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let expected = format!(
        r#"Account "us1" (AC11111111111111111111111111111111, region us1, at {us})
  + list "carrier" (new)
    + 198.51.100.0/24    "198.51.100.0/24" (set "carrier")
    + 203.0.113.10/32    "203.0.113.10" (set "carrier")

  + list "office" (new)
    + 192.0.2.7/32       "192.0.2.7"

  Plan: 5 to add, 0 to change, 0 to remove.

Account "ie1" (AC22222222222222222222222222222222, region ie1, at {ie})
  + list "carrier" (new)
    + 198.51.100.0/24    "198.51.100.0/24" (set "carrier")
    + 203.0.113.10/32    "203.0.113.10" (set "carrier")

  Plan: 3 to add, 0 to change, 0 to remove.

Plan: 8 to add, 0 to change, 0 to remove across 2 accounts.
"#,
        us = e.us().base_url(),
        ie = e.ie().base_url()
    );
    assert_eq!(stdout(&out), expected);
    // Each account was reached with its own credentials: one cheap read first, then the plan.
    for region in [e.us(), e.ie()] {
        let requests = region.mock.requests();
        assert!(requests.iter().all(|r| r.method == "GET"));
        assert_eq!(
            requests[0].query.as_deref(),
            Some("PageSize=1"),
            "{:?}",
            requests[0]
        );
    }

    // Markdown: the total first, then a heading per account.
    let out = e.run(&["plan", "-f", &file, "--format", "markdown"]);
    assert_eq!(code(&out), 2);
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("**Plan: 8 to add, 0 to change, 0 to remove across 2 accounts.**\n\n#### Account \"us1\" (AC11111111111111111111111111111111, region us1, at {})\n\n**Plan: 5 to add, 0 to change, 0 to remove.**\n", e.us().base_url())),
        "{text}"
    );
    assert!(
        text.contains(&format!("#### Account \"ie1\" (AC22222222222222222222222222222222, region ie1, at {})\n\n**Plan: 3 to add, 0 to change, 0 to remove.**\n", e.ie().base_url())),
        "{text}"
    );
}

#[test]
fn apply_acts_on_every_account_then_plan_is_empty_and_the_log_names_the_account() {
    let e = Estate::start("apply");
    let file = e.file("estate.toml", LISTS);
    let log = e.path("audit.jsonl");
    let out = e.run(&["apply", "-f", &file, "--yes", "--log", &log]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("\nAccount \"us1\" (AC11111111111111111111111111111111, region us1, at ")
            && text.contains("  Apply complete: 5 added, 0 changed, 0 removed.\n")
            && text.ends_with("Apply complete across 2 accounts: 8 added, 0 changed, 0 removed.\n"),
        "{text}"
    );
    // Progress lines name the account.
    assert!(
        stderr(&out).contains("] ie1: done: + create list \"carrier\""),
        "{}",
        stderr(&out)
    );

    let us = e.lists(e.us());
    assert_eq!(us.keys().collect::<Vec<_>>(), ["carrier", "office"]);
    assert_eq!(
        addresses(&us["carrier"]),
        ["198.51.100.0/24", "203.0.113.10/32"]
    );
    assert_eq!(addresses(&us["office"]), ["192.0.2.7/32"]);
    let ie = e.lists(e.ie());
    assert_eq!(ie.keys().collect::<Vec<_>>(), ["carrier"]);
    assert_eq!(
        addresses(&ie["carrier"]),
        ["198.51.100.0/24", "203.0.113.10/32"]
    );

    // One line per change, each with the account's SID and name.
    let lines: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 8);
    for line in &lines {
        let (sid, name) = (line["account"].as_str().unwrap(), &line["account_name"]);
        match name.as_str().unwrap() {
            "us1" => assert_eq!(sid, e.us().account_sid()),
            "ie1" => assert_eq!(sid, e.ie().account_sid()),
            other => panic!("account {other}"),
        }
        assert_eq!(line["status"], "done");
    }
    assert_eq!(
        lines.iter().filter(|l| l["account_name"] == "ie1").count(),
        3
    );

    let out = e.run(&["plan", "-f", &file]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stdout(&out).ends_with("Plan: 0 to add, 0 to change, 0 to remove across 2 accounts.\n")
    );
}

#[test]
fn a_failed_change_in_one_account_does_not_stop_the_other() {
    let e = Estate::start("failure");
    let file = e.file("estate.toml", LISTS);
    // Every address added in ie1 is refused (400: not retried).
    let lists = format!(
        "/2010-04-01/Accounts/{}/SIP/IpAccessControlLists/",
        e.ie().account_sid()
    );
    e.ie()
        .mock
        .inject(Fault::on("POST", &lists).status(400).times(10));
    let out = e.run(&["apply", "-f", &file, "--yes"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let text = stdout(&out);
    // The report shows both accounts: us1 complete, ie1 not.
    let us_at = text.rfind("\nAccount \"us1\"").unwrap();
    let ie_at = text.rfind("\nAccount \"ie1\"").unwrap();
    assert!(
        text[us_at..ie_at].contains("Apply complete: 5 added"),
        "{text}"
    );
    assert!(text[ie_at..].contains("failed"), "{text}");
    assert!(
        text.contains("Apply incomplete in 1 of 2 accounts (ie1): 6 added, 0 changed, 0 removed."),
        "{text}"
    );
    let err = stderr(&out);
    assert!(
        err.contains("Error: the apply is incomplete in 1 of 2 account(s)")
            && err
                .contains("account \"ie1\": 2 failed, 0 with an unknown outcome, 0 not attempted"),
        "{err}"
    );
    // us1 has everything; ie1 its list, without the addresses Twilio refused.
    let us = e.lists(e.us());
    assert_eq!(
        addresses(&us["carrier"]),
        ["198.51.100.0/24", "203.0.113.10/32"]
    );
    assert_eq!(addresses(&us["office"]), ["192.0.2.7/32"]);
    assert!(e.lists(e.ie())["carrier"].addresses.is_empty());
}

#[test]
fn account_chooses_accounts_and_unknown_names_are_refused() {
    let e = Estate::start("account");
    let file = e.file("estate.toml", LISTS);
    let out = e.run(&["apply", "-f", &file, "--account", "ie1", "--yes"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stdout(&out).contains("us1"), "{}", stdout(&out));
    assert!(
        stdout(&out).ends_with("Apply complete across 1 account: 3 added, 0 changed, 0 removed.\n")
    );
    // us1 was not even read.
    assert!(e.us().mock.requests().is_empty());
    assert_eq!(e.lists(e.ie()).len(), 1);

    // A variable of an account left out need not be set.
    let out = e.run_with(
        &["plan", "-f", &file, "--account", "ie1"],
        &[("US1_AUTH_TOKEN", "")],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    let out = e.run(&["plan", "-f", &file, "--account", "eu1", "--account", "ie1"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        format!(
            "Error: --account \"eu1\": no such account in {file} (its accounts: \"us1\", \"ie1\")\n"
        )
    );
    assert!(stdout(&out).is_empty());

    // --account with a file of one account from the environment.
    let single = e.path("single.toml");
    std::fs::write(
        &single,
        "[lists.a]\naddresses = []\ntrunks = []\nsip_domains = []\n",
    )
    .unwrap();
    for command in ["plan", "apply"] {
        let out = e.run(&[command, "-f", &single, "--account", "us1"]);
        assert_eq!(code(&out), 1);
        assert!(
            stderr(&out).contains("--account \"us1\": the file")
                && stderr(&out).contains("has no [accounts] tables"),
            "{}",
            stderr(&out)
        );
    }
    let out = e.run(&["export", "--account", "us1"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
}

#[test]
fn a_401_in_one_region_names_the_account_region_and_host_and_nothing_is_applied() {
    let e = Estate::start("credentials");
    let file = e.file("estate.toml", LISTS);
    let wrong = [("IE1_AUTH_TOKEN", "us1-test-token")];
    let out = e.run_with(&["plan", "-f", &file], &wrong);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    // The other account's plan is shown.
    assert!(
        text.contains("  Plan: 5 to add, 0 to change, 0 to remove.\n"),
        "{text}"
    );
    assert!(
        text.ends_with("Plan: 5 to add, 0 to change, 0 to remove across 1 account; 1 account failed (ie1): nothing can be applied until every account plans.\n"),
        "{text}"
    );
    let expected = format!(
        "account \"ie1\": Twilio refused the credentials (HTTP 401) of account {} in region ie1 at {}; the usual causes: `IE1_AUTH_TOKEN` does not hold account {0}'s auth token",
        e.ie().account_sid(),
        e.ie().base_url()
    );
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    // One cheap read in ie1, nothing more.
    assert_eq!(e.ie().mock.requests().len(), 1);

    // Apply writes to no account.
    let out = e.run_with(&["apply", "-f", &file, "--yes"], &wrong);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing can be applied to any account"));
    assert_eq!(writes(e.us()), 0);

    // --json: the failed account with its error in place of its plan; the failure on
    // standard error too.
    let out = e.run_with(&["plan", "-f", &file, "--json"], &wrong);
    assert_eq!(code(&out), 1);
    let document = json(&out);
    assert_eq!(document["format_version"], 5);
    assert_eq!(document["accounts"][0]["plan"]["summary"]["add"], 5);
    assert_eq!(document["accounts"][0].get("error"), None);
    assert_eq!(document["accounts"][1]["account"]["name"], "ie1");
    assert_eq!(document["accounts"][1].get("plan"), None);
    let error = document["accounts"][1]["error"].as_str().unwrap();
    assert!(
        error.starts_with("Twilio refused the credentials (HTTP 401)"),
        "{error}"
    );
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));

    // -o: not saved.
    let saved = e.path("plan.json");
    let out = e.run_with(&["plan", "-f", &file, "-o", &saved], &wrong);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("(the plan was not saved to "),
        "{}",
        stderr(&out)
    );
    assert!(!std::path::Path::new(&saved).exists());
}

#[test]
fn a_stale_saved_plan_in_one_account_is_named_and_nothing_is_written() {
    let e = Estate::start("stale");
    let file = e.file("estate.toml", LISTS);
    let saved = e.path("plan.json");
    let out = e.run(&["plan", "-f", &file, "-o", &saved, "-q"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let document: Value = serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    assert_eq!(document["format_version"], 5);
    assert_eq!(
        document["accounts"][1]["account"]["auth_token_env"],
        "IE1_AUTH_TOKEN"
    );
    // No secret in the document.
    assert!(
        !std::fs::read_to_string(&saved)
            .unwrap()
            .contains("test-token")
    );

    // Another writer makes a list in ie1.
    block_on(async {
        e.ie()
            .client()
            .sip_ip_access_control_lists()
            .create("carrier")
            .await
            .unwrap()
    });
    let before = writes(e.ie());
    let out = e.run(&["apply", &saved, "--yes"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("Error: account \"ie1\": the live state no longer matches the saved plan"),
        "{}",
        stderr(&out)
    );
    assert_eq!(writes(e.us()), 0);
    assert_eq!(writes(e.ie()), before);

    // The saved plan's other account still applies alone, through the Account it embeds.
    let out = e.run(&["apply", &saved, "--yes", "--account", "us1", "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let document = json(&out);
    assert_eq!(document["format_version"], 5);
    assert_eq!(document["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(document["report"]["accounts"][0]["account"]["name"], "us1");
    assert_eq!(
        document["report"]["accounts"][0]["report"]["done"]["add"],
        5
    );
    assert_eq!(document["report"]["done"]["add"], 5);
    assert_eq!(document["error"], Value::Null);
    assert_eq!(e.lists(e.us()).len(), 2);
}

#[test]
fn export_writes_the_accounts_and_plan_of_it_is_empty() {
    let e = Estate::start("export");
    let file = e.file("estate.toml", LISTS);
    assert_eq!(code(&e.run(&["apply", "-f", &file, "--yes", "-q"])), 0);
    let exported = e.path("exported.toml");
    let out = e.run(&["export", "-f", &file, "-o", &exported]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Wrote 2 list(s) of 2 account(s) to "),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(
        text.contains(&format!(
            "[accounts.ie1]\naccount_sid = \"{}\"\nauth_token_env = \"IE1_AUTH_TOKEN\"\nregion = \"ie1\"\nbase_url = \"{}\"\n",
            e.ie().account_sid(),
            e.ie().base_url()
        )),
        "{text}"
    );
    // The same list in both accounts is written once, given to both.
    assert!(
        text.contains("[lists.carrier]\naccounts = [\"us1\", \"ie1\"]\n"),
        "{text}"
    );
    assert!(!text.contains("test-token"), "{text}");
    let out = e.run(&["plan", "-f", &exported]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));

    // One account: its table and lists only.
    let out = e.run(&["export", "-f", &file, "--account", "ie1"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("[accounts.ie1]") && !text.contains("[accounts.us1]"),
        "{text}"
    );
    assert!(
        text.contains("[lists.carrier]\naccounts = [\"ie1\"]\n"),
        "{text}"
    );

    // A file without [accounts] is refused: -f is for exporting the accounts it names.
    let single = e.path("single.toml");
    std::fs::write(
        &single,
        "[lists.a]\naddresses = []\ntrunks = []\nsip_domains = []\n",
    )
    .unwrap();
    let out = e.run(&["export", "-f", &single]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("the file has no [accounts] tables"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn json_documents_are_the_estate_plan_and_the_grouped_report() {
    let e = Estate::start("json");
    let file = e.file("estate.toml", LISTS);
    let out = e.run(&["plan", "-f", &file, "--json"]);
    assert_eq!(code(&out), 2);
    let plan = json(&out);
    assert_eq!(plan["format_version"], 5);
    let accounts = plan["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[0]["account"]["name"], "us1");
    assert_eq!(accounts[0]["account"]["account_sid"], e.us().account_sid());
    assert_eq!(accounts[0]["account"]["region"], "us1");
    assert_eq!(accounts[0]["plan"]["format_version"], 4);
    assert_eq!(accounts[0]["plan"]["summary"]["add"], 5);
    assert_eq!(accounts[1]["account"]["name"], "ie1");

    let out = e.run(&["apply", "-f", &file, "--yes", "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let document = json(&out);
    assert_eq!(document["format_version"], 5);
    assert_eq!(document["accounts"].as_array().unwrap().len(), 2);
    let reports = document["report"]["accounts"].as_array().unwrap();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[1]["account"]["name"], "ie1");
    assert_eq!(
        reports[1]["report"]["outcomes"].as_array().unwrap().len(),
        3
    );
    assert_eq!(document["report"]["done"]["add"], 8);
    assert_eq!(document["error"], Value::Null);
    // The plan text went to standard error.
    assert!(stderr(&out).contains("Account \"ie1\""), "{}", stderr(&out));

    // An apply refused: the error in the document, with its exit code.
    let out = e.run_with(
        &["apply", "-f", &file, "--yes", "--json"],
        &[("IE1_AUTH_TOKEN", "nope")],
    );
    assert_eq!(code(&out), 1);
    let document = json(&out);
    assert_eq!(document["format_version"], 5);
    assert_eq!(document["report"], Value::Null);
    assert_eq!(document["error"]["exit_code"], 1);
    assert!(
        document["error"]["message"]
            .as_str()
            .unwrap()
            .contains("account \"ie1\": Twilio refused the credentials (HTTP 401)"),
        "{document}"
    );
}

#[test]
fn base_url_and_watch_are_refused_with_accounts_before_any_request() {
    let e = Estate::start("refusals");
    let file = e.file("estate.toml", LISTS);
    let out = e.run(&["--base-url", e.us().base_url(), "plan", "-f", &file]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains(
            "give each account its own `base_url = \"…\"` in its [accounts.NAME] table instead"
        ),
        "{}",
        stderr(&out)
    );
    let out = e.run(&["watch", "-f", &file, "--yes", "--once"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("has [accounts]: watch acts on the one account of the environment"),
        "{}",
        stderr(&out)
    );
    // Every unset variable is named at once.
    let out = e.run_with(
        &["plan", "-f", &file],
        &[("US1_AUTH_TOKEN", ""), ("IE1_AUTH_TOKEN", "")],
    );
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains(
            "account \"us1\": the environment variable US1_AUTH_TOKEN is not set or is empty"
        ) && err.contains(
            "account \"ie1\": the environment variable IE1_AUTH_TOKEN is not set or is empty"
        ),
        "{err}"
    );
    assert!(e.us().mock.requests().is_empty() && e.ie().mock.requests().is_empty());
}

#[test]
fn sigterm_stops_every_account_and_the_json_report_says_what_each_did() {
    use std::time::Duration;
    let e = Estate::start("sigterm");
    let many: Vec<String> = (1..=20).map(|i| format!("\"198.51.100.{i}\"")).collect();
    let file = e.file(
        "estate.toml",
        &format!(
            "[lists.carrier]\naddresses = [{}]\ntrunks = []\nsip_domains = []\n",
            many.join(", ")
        ),
    );
    // Every write in both regions answers 100 ms late.
    for region in [e.us(), e.ie()] {
        region.mock.inject(
            Fault::on("POST", "/")
                .delay(Duration::from_millis(100))
                .times(1000),
        );
    }
    let child = Command::new(BIN)
        .args([
            "apply",
            "-f",
            &file,
            "--yes",
            "--json",
            "--concurrency",
            "1",
        ])
        .env_clear()
        .envs(e.regions.env())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (out, log) = terminate_after(child, "[6/42] ");
    assert_eq!(code(&out), 143, "{log}");
    assert!(
        log.contains("Terminated (SIGTERM): no new write starts"),
        "{log}"
    );
    let document = json(&out);
    assert_eq!(document["error"]["exit_code"], 143, "{document}");
    let reports = document["report"]["accounts"].as_array().unwrap();
    assert_eq!(reports.len(), 2);
    for (report, region) in reports.iter().zip([e.us(), e.ie()]) {
        let outcomes = report["report"]["outcomes"].as_array().unwrap();
        let count = |status: &str| outcomes.iter().filter(|o| o["status"] == status).count();
        // Each account stopped: what it did is reported, the rest not attempted.
        assert_eq!(count("done") + count("not_attempted"), 21, "{report}");
        assert!(count("not_attempted") > 0, "{report}");
        let live = e.lists(region);
        let added = live.get("carrier").map_or(0, |l| l.addresses.len());
        assert_eq!(added + 1, count("done").max(1), "{report}");
    }
    // Applying again converges.
    let out = e.run(&["apply", "-f", &file, "--yes", "-q"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(code(&e.run(&["plan", "-f", &file])), 0);
    for region in [e.us(), e.ie()] {
        assert_eq!(e.lists(region)["carrier"].addresses.len(), 20);
    }
}

#[test]
fn a_subaccount_is_reached_through_its_parent() {
    let e = Estate::start("subaccount");
    let (sub, token) = e.us().subaccount();
    let lists = format!(
        "[accounts.customer-42]\naccount_sid = \"{sub}\"\nparent = \"us1\"\n\n[lists.customer]\naccounts = [\"customer-42\"]\naddresses = [\"192.0.2.42\"]\ntrunks = []\nsip_domains = []\n"
    );
    let file = e.file("estate.toml", &lists);
    let out = e.run(&["plan", "-f", &file, "--account", "customer-42"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!(
            "Account \"customer-42\" ({sub}, subaccount of \"us1\", routed as it)\n  Note: reached with the credentials of \"us1\""
        )),
        "{text}"
    );
    // Markdown words its heading as the text does: routed as its parent, not `region default`.
    let out = e.run(&[
        "plan",
        "-f",
        &file,
        "--account",
        "customer-42",
        "--format",
        "markdown",
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!(
            "\n#### Account \"customer-42\" ({sub}, subaccount of \"us1\", routed as it)\n\n"
        )),
        "{}",
        stdout(&out)
    );
    // Saved alone, its plan could not reach it (no parent to sign with): not saved, said why.
    let saved = e.path("plan.json");
    let out = e.run(&[
        "plan",
        "-f",
        &file,
        "--account",
        "customer-42",
        "-o",
        &saved,
    ]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("account \"customer-42\" is reached with the credentials of its parent \"us1\", which is left out: take \"us1\" too (`--account us1`)"),
        "{}",
        stderr(&out)
    );
    assert!(!std::path::Path::new(&saved).exists());
    // Saved with its parent, the subaccount alone is applied from it.
    let saved = e.path("both.json");
    let out = e.run(&[
        "plan",
        "-f",
        &file,
        "--account",
        "customer-42",
        "--account",
        "us1",
        "-o",
        &saved,
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let out = e.run(&["apply", &saved, "--account", "customer-42", "--yes", "-q"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // The list is the subaccount's, not its parent's.
    let client = twilio_ip_access::Client::builder()
        .account_sid(sub.as_str())
        .auth_token(&token)
        .base_url(e.us().base_url())
        .build()
        .unwrap();
    let live = block_on(snapshot(&client));
    assert_eq!(addresses(&live["customer"]), ["192.0.2.42/32"]);
    assert!(e.lists(e.us()).is_empty());

    // Planned from the file again, through its parent: nothing left to do.
    let out = e.run(&["plan", "-f", &file, "--account", "customer-42"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));

    // Trunks for it are refused with their position before any request, saying what to
    // configure instead.
    let file = e.file(
        "trunks.toml",
        &lists.replace("trunks = []", "trunks = [\"edge trunk\"]"),
    );
    e.us().mock.clear_requests();
    let out = e.run(&["plan", "-f", &file, "--account", "customer-42"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("trunks.toml:20:11: list \"customer\", entry \"edge trunk\": the list names trunks and is given to the subaccount \"customer-42\"")
            && stderr(&out).contains(
                "`api_key_env` and `api_secret_env` of an API key made in the subaccount"
            ),
        "{}",
        stderr(&out)
    );
    assert!(e.us().mock.requests().is_empty());
}

#[test]
fn schema_estate_plan_is_the_committed_schema_and_a_saved_plan_validates() {
    let e = Estate::start("schema");
    let committed = std::fs::read_to_string(format!(
        "{}/schemas/estate-plan.schema.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let out = e.run(&["schema", "estate-plan"]);
    assert_eq!(code(&out), 0);
    assert_eq!(stdout(&out), committed);

    let file = e.file("estate.toml", LISTS);
    let saved = e.path("plan.json");
    assert_eq!(code(&e.run(&["plan", "-f", &file, "-o", &saved, "-q"])), 2);
    let schema: Value = serde_json::from_str(&committed).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let document: Value = serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn export_reads_only_the_accounts_of_the_file_not_its_sources() {
    let e = Estate::start("export-sources");
    let file = e.file("estate.toml", LISTS);
    assert_eq!(code(&e.run(&["apply", "-f", &file, "--yes", "-q"])), 0);
    // A feed (export has no --allow-fetch), a DNS name and a file that does not exist: export
    // needs none of them, and reads none.
    let with_sources = e.file(
        "sources.toml",
        &LISTS.replace(
            "addresses = [\"192.0.2.7\"]",
            "addresses = [\"192.0.2.7\", { url = \"https://feed.invalid/ips\" }, { dns = \"sbc.invalid\" }, { file = \"missing.txt\" }]",
        ),
    );
    let out = e.run(&["export", "-f", &with_sources]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("[accounts.us1]") && text.contains("[accounts.ie1]"),
        "{text}"
    );
    assert!(
        text.contains("[lists.office]\naccounts = [\"us1\"]\naddresses = [\n  \"192.0.2.7\",\n]\n"),
        "{text}"
    );
    assert!(!stderr(&out).contains("allow-fetch"), "{}", stderr(&out));
    // The rest of the file is still checked: a problem is refused with its position, before
    // any request.
    e.us().mock.clear_requests();
    e.ie().mock.clear_requests();
    let bad = e.file("bad.toml", &format!("{LISTS}colour = 1\n"));
    let out = e.run(&["export", "-f", &bad]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("bad.toml:") && stderr(&out).contains("colour"),
        "{}",
        stderr(&out)
    );
    assert!(e.us().mock.requests().is_empty() && e.ie().mock.requests().is_empty());
}

#[test]
fn an_empty_accounts_table_is_refused_by_every_command_before_any_request() {
    let e = Estate::start("empty-accounts");
    let file = e.path("empty.toml");
    std::fs::write(
        &file,
        format!("[accounts]\n{LISTS}").replace("accounts = [\"us1\"]\n", ""),
    )
    .unwrap();
    let said = format!(
        "{file}:1:1: entry [accounts]: `[accounts]` names no account: add `[accounts.NAME]` tables, or remove it for the one account of the environment"
    );
    // The one account of the environment is there too: the file is refused all the same.
    let env = [
        ("TWILIO_ACCOUNT_SID", e.us().account_sid().to_string()),
        ("TWILIO_AUTH_TOKEN", "us1-test-token".to_owned()),
        ("TWILIO_BASE_URL", e.us().base_url().to_owned()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for args in [
        &["plan", "-f", &file][..],
        &["apply", "-f", &file, "--yes"],
        &["apply", "-f", &file, "--yes", "--json"],
        &["export", "-f", &file],
        &["watch", "-f", &file, "--yes", "--once"],
    ] {
        let out = e.run_with(args, &env);
        assert_eq!(code(&out), 1, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(&said), "{args:?}: {}", stderr(&out));
    }
    assert!(e.us().mock.requests().is_empty() && e.ie().mock.requests().is_empty());
}

#[test]
fn an_answer_that_is_not_twilios_points_at_the_accounts_base_url() {
    let e = Estate::start("foreign");
    // ie1's `base_url` is a web server that is not Twilio's.
    let url = not_twilio();
    let file = e.file("estate.toml", LISTS);
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace(e.ie().base_url(), &url);
    std::fs::write(&file, text).unwrap();
    let hint = "That is not an answer of Twilio's API: check the account's `base_url` in the file (it should be Twilio's, or an emulator's such as twilio-mock) and any proxy on the way";
    let out = e.run(&["plan", "-f", &file]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains("account \"ie1\": HTTP 404 with a non-JSON body") && err.contains(hint),
        "{err}"
    );
    assert!(!err.contains("--base-url"), "{err}");
    // Markdown: the error under its account's heading, every line of it quoted.
    let out = e.run(&["plan", "-f", &file, "--format", "markdown"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let quoted = format!(
        "#### Account \"ie1\" (AC22222222222222222222222222222222, region ie1, at {url})\n\n> **Error:** HTTP 404 with a non-JSON body"
    );
    let at = text.find(&quoted).unwrap_or_else(|| panic!("{text}"));
    let error: Vec<&str> = text[at..].lines().skip(2).collect();
    assert_eq!(error.len(), 2, "{text}");
    assert_eq!(error[1], format!("> {hint}"), "{text}");
}

#[test]
fn help_says_the_percentage_guard_covers_the_byoc_group() {
    let help = |args: &[&str]| {
        let out = Command::new(BIN).args(args).env_clear().output().unwrap();
        assert_eq!(code(&out), 0);
        // As one line: clap wraps the help to the terminal's width.
        stdout(&out)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let apply = help(&["apply", "--help"]);
    assert!(
        apply.contains("Refuse plans that remove more than this share of a list's entries (its addresses and attachments), or of the account's `[byoc]` group (its IP Records and Source IP Mappings, counted together), for a list or group holding at least 10"),
        "{apply}"
    );
    let top = help(&["--help"]);
    assert!(
        top.contains("--max-removal-percent of a list, or of the [byoc] group (IP Records and Source IP Mappings together), holding at least 10 entries"),
        "{top}"
    );
}
