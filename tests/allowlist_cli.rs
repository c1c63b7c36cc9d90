//! The `twilio-allowlist` binary against an in-process emulator (127.0.0.1 only): exit codes,
//! output, the JSON documents, confirmation, saved plans, export, and argument handling.

#![cfg(all(feature = "cli", feature = "mock"))]

mod allowlist_support;

use std::process::Command;

use allowlist_support::{
    cli::{BIN, Cli, code, stderr, stdout},
    writes,
};

const FILE: &str = r#"
[lists."office allowlist"]
addresses = [
  "198.51.100.7",
  { ip = "203.0.113.10", name = "sbc-frankfurt" },
]
trunks = ["my trunk"]
sip_domains = ["acme.sip.twilio.com"]
"#;

#[test]
fn plan_apply_plan_again_with_exit_codes_and_output() {
    let cli = Cli::new("cycle");
    let file = cli.file("allowlist.toml", FILE);

    // Changes pending: exit 2; --base-url before or after the command.
    let before = cli.at(&["plan", "-f", &file]);
    assert_eq!(code(&before), 2, "{}", stderr(&before));
    let text = stdout(&before);
    assert!(
        text.starts_with("+ list \"office allowlist\" (new)\n"),
        "{text}"
    );
    assert!(
        text.contains("  + 198.51.100.7/32    \"198.51.100.7\"\n"),
        "{text}"
    );
    assert!(text.contains("  + attach trunk \"my trunk\" (TK"), "{text}");
    assert!(
        text.ends_with("Plan: 5 to add, 0 to change, 0 to remove.\n"),
        "{text}"
    );
    let after = cli.run(&["plan", "-f", &file, "--base-url", cli.mock.base_url()]);
    assert_eq!((code(&after), stdout(&after)), (2, text.clone()));

    // Without a terminal, apply needs --yes: exit 1, nothing written.
    cli.mock.clear_requests();
    let refused = cli.at(&["apply", "-f", &file]);
    assert_eq!(code(&refused), 1);
    assert!(
        stderr(&refused).contains("pass --yes"),
        "{}",
        stderr(&refused)
    );
    assert!(
        stdout(&refused).contains("Plan: 5 to add"),
        "the plan is shown first"
    );
    assert!(writes(&cli.mock.requests()).is_empty());

    // Applied: progress lines on stderr (not a terminal), the report on stdout.
    cli.mock.clear_requests();
    let applied = cli.at(&["apply", "-f", &file, "--yes"]);
    assert_eq!(code(&applied), 0, "{}", stderr(&applied));
    assert!(
        stdout(&applied).ends_with("\nApply complete: 5 added, 0 changed, 0 removed.\n"),
        "{}",
        stdout(&applied)
    );
    let progress = stderr(&applied);
    assert!(
        progress.contains("[1/5] done: + create list \"office allowlist\"\n"),
        "{progress}"
    );
    assert!(progress.contains("[5/5] done: "), "{progress}");
    assert_eq!(writes(&cli.mock.requests()).len(), 5);

    // Nothing left: exit 0; applying again only reads.
    let again = cli.at(&["plan", "-f", &file]);
    assert_eq!(code(&again), 0);
    assert_eq!(
        stdout(&again),
        "No changes. The allowlist matches the file.\n"
    );
    cli.mock.clear_requests();
    let noop = cli.at(&["apply", "-f", &file]);
    assert_eq!(code(&noop), 0, "no confirmation needed for nothing");
    assert!(cli.mock.requests().iter().all(|r| r.method == "GET"));
}

#[test]
fn json_documents() {
    let cli = Cli::new("json");
    let file = cli.file("allowlist.toml", FILE);
    let saved = cli.path("plan.json");
    let out = cli.at(&["plan", "-f", &file, "--json", "-o", &saved]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["format_version"], 4);
    assert_eq!(
        doc["summary"],
        serde_json::json!({"add": 5, "change": 0, "remove": 0})
    );
    assert_eq!(doc["lists"][0]["name"], "office allowlist");
    assert_eq!(doc["lists"][0]["sid"], serde_json::Value::Null);
    assert_eq!(
        doc["changes"][0],
        serde_json::json!({"action": "create_list", "list": "office allowlist"})
    );
    assert_eq!(doc["changes"][1]["action"], "add_address");
    assert_eq!(doc["changes"][1]["prefix"], 32);
    assert_eq!(doc["changes"][3]["target"]["kind"], "trunk");
    assert_eq!(
        doc["starting_state"]["account_sid"],
        cli.mock.account_sid().as_str()
    );
    let file_doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    assert_eq!(file_doc, doc, "-o saves the same document");

    let applied = cli.at(&["apply", &saved, "--yes", "--json"]);
    assert_eq!(code(&applied), 0, "{}", stderr(&applied));
    let doc: serde_json::Value = serde_json::from_slice(&applied.stdout).unwrap();
    assert_eq!(doc["format_version"], 4);
    assert_eq!(doc["summary"]["add"], 5);
    let outcomes = doc["report"]["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 5);
    assert!(
        outcomes.iter().all(|o| o["status"] == "done"),
        "{outcomes:?}"
    );
    assert_eq!(outcomes[0]["change"]["action"], "create_list");
    assert_eq!(doc["report"]["done"]["add"], 5);
    assert!(
        stderr(&applied).contains("Plan: 5 to add"),
        "the plan text goes to stderr"
    );
}

#[test]
fn a_reader_that_goes_away_is_not_a_crash() {
    // `plan --json | head -c 1`: the pipe is closed before the plan is written.
    let cli = Cli::new("closed-pipe");
    let file = cli.file("allowlist.toml", FILE);
    for format in ["--json", "--format=markdown", "--format=text"] {
        let mut child = cli
            .command(&["plan", "-f", &file, format], true)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let shown = stderr(&out);
        assert!(!shown.contains("panicked"), "{format}: {shown}");
        assert_eq!(
            code(&out),
            2,
            "{format}: changes pending, as always: {shown}"
        );
    }
}

#[test]
fn a_saved_plan_that_no_longer_matches_exits_3_without_writing() {
    let cli = Cli::new("stale");
    let file = cli.file("allowlist.toml", FILE);
    let saved = cli.path("plan.json");
    assert_eq!(code(&cli.at(&["plan", "-f", &file, "-o", &saved])), 2);
    // Another writer creates the list meanwhile.
    cli.block_on(
        cli.mock
            .client()
            .sip_ip_access_control_lists()
            .create("office allowlist")
            .send(),
    )
    .unwrap();
    cli.mock.clear_requests();
    let stale = cli.at(&["apply", &saved, "--yes"]);
    assert_eq!(code(&stale), 3, "{}", stderr(&stale));
    assert!(
        stderr(&stale).contains("no longer matches the saved plan (list \"office allowlist\" did not exist when the plan was made"),
        "{}",
        stderr(&stale)
    );
    assert!(writes(&cli.mock.requests()).is_empty(), "nothing written");
    // A new plan applies.
    assert_eq!(code(&cli.at(&["plan", "-f", &file, "-o", &saved])), 2);
    assert_eq!(code(&cli.at(&["apply", &saved, "--yes"])), 0);
    assert_eq!(code(&cli.at(&["plan", "-f", &file])), 0);
}

#[test]
fn list_with_a_saved_plan_is_refused_before_any_request() {
    let cli = Cli::new("saved-list");
    let file = cli.file("allowlist.toml", FILE);
    let saved = cli.path("plan.json");
    assert_eq!(code(&cli.at(&["plan", "-f", &file, "-o", &saved])), 2);
    cli.mock.clear_requests();
    let out = cli.at(&["apply", &saved, "--list", "office allowlist", "--yes"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).starts_with("Error: --list needs -f FILE: a saved plan already says"),
        "{}",
        stderr(&out)
    );
    assert!(cli.mock.requests().is_empty(), "no request at all");
}

#[test]
fn export_round_trips_and_filters() {
    let cli = Cli::new("export");
    let file = cli.file("allowlist.toml", FILE);
    assert_eq!(code(&cli.at(&["apply", "-f", &file, "--yes"])), 0);
    let other = cli.file(
        "other.toml",
        "[lists.branch]\naddresses = [\"192.0.2.0/28\"]\ntrunks = []\nsip_domains = []\n",
    );
    assert_eq!(code(&cli.at(&["apply", "-f", &other, "--yes"])), 0);

    let exported = cli.path("exported.toml");
    let out = cli.at(&["export", "-o", &exported]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(
        text.contains("[lists.\"office allowlist\"]") && text.contains("[lists.branch]"),
        "{text}"
    );
    let replan = cli.at(&["plan", "-f", &exported]);
    assert_eq!(code(&replan), 0, "{}", stdout(&replan));

    let only = cli.at(&["export", "--list", "branch"]);
    assert_eq!(code(&only), 0);
    let text = stdout(&only);
    assert!(
        text.contains(
            "[lists.branch]\naddresses = [\n  \"192.0.2.0/28\",\n]\ntrunks = []\nsip_domains = []\n"
        ),
        "{text}"
    );
    assert!(!text.contains("office"), "{text}");
    let missing = cli.at(&["export", "--list", "nope"]);
    assert_eq!(code(&missing), 1);
    assert!(stderr(&missing).contains("no list named \"nope\""));
}

#[test]
fn refusals_and_errors_exit_1() {
    let cli = Cli::new("errors");
    // A bad entry: file, line and entry.
    let bad = cli.file(
        "bad.toml",
        "[lists.office]\naddresses = [\n  \"198.51.100.7/24\",\n]\ntrunks = []\nsip_domains = []\n",
    );
    let out = cli.at(&["plan", "-f", &bad]);
    assert_eq!(code(&out), 1);
    let message = stderr(&out);
    assert!(
        message.contains(&format!(
            "{bad}:3:3: list \"office\", entry \"198.51.100.7/24\": host bits are set"
        )),
        "{message}"
    );
    assert!(message.contains("\"198.51.100.0/24\""), "{message}");
    // An unknown trunk, found when planning.
    let unknown = cli.file(
        "unknown.toml",
        "[lists.office]\naddresses = []\ntrunks = [\"nope\"]\nsip_domains = []\n",
    );
    let out = cli.at(&["plan", "-f", &unknown]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains(":3:11: list \"office\", entry \"nope\": there is no trunk named"),
        "{}",
        stderr(&out)
    );
    // A missing file.
    let out = cli.at(&["plan", "-f", &cli.path("missing.toml")]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("cannot read the desired-state file"));
    // Too many removals, then raised.
    let five: Vec<String> = (1..=5).map(|n| format!("\"192.0.2.{n}\"")).collect();
    let full = cli.file(
        "full.toml",
        &format!(
            "[lists.big]\naddresses = [{}]\ntrunks = []\nsip_domains = []\n",
            five.join(", ")
        ),
    );
    assert_eq!(code(&cli.at(&["apply", "-f", &full, "--yes"])), 0);
    let empty = cli.file(
        "empty.toml",
        "[lists.big]\naddresses = []\ntrunks = []\nsip_domains = []\n",
    );
    cli.mock.clear_requests();
    let out = cli.at(&["apply", "-f", &empty, "--yes", "--max-removals", "4"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains(
            "the plan removes 5 (5 remove_address), more than the limit of 4; pass `--max-removals 5`"
        ),
        "{}",
        stderr(&out)
    );
    assert!(writes(&cli.mock.requests()).is_empty());
    assert_eq!(
        code(&cli.at(&["apply", "-f", &empty, "--yes", "--max-removals", "5"])),
        0
    );
    // No credentials.
    let out = Command::new(BIN)
        .args(["--base-url", cli.mock.base_url(), "plan", "-f", &empty])
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("TWILIO_ACCOUNT_SID"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn arguments() {
    let cli = Cli::new("args");
    let help = cli.run(&["--help"]);
    assert_eq!(code(&help), 0);
    let text = stdout(&help);
    for needle in [
        "plan",
        "apply",
        "export",
        "--base-url <URL>",
        "Exit codes:\n  0 ",
        "130  apply: interrupted by Ctrl-C",
        "143  apply: stopped by SIGTERM",
        "-q, --quiet",
        "-v, --verbose",
        "--no-color",
        "TWILIO_ACCOUNT_SID",
        "twilio-allowlist plan -f allowlist.toml",
    ] {
        assert!(text.contains(needle), "{needle} in\n{text}");
    }
    for command in ["plan", "apply", "export"] {
        let help = cli.run(&[command, "--help"]);
        assert_eq!(code(&help), 0);
        assert!(stdout(&help).contains("Example"), "{}", stdout(&help));
    }
    let apply_help = stdout(&cli.run(&["apply", "--help"]));
    assert!(apply_help.contains("--max-removals <N>"));
    assert!(
        apply_help.contains("3 the live state changed, nothing written; 130 Ctrl-C, 143 SIGTERM")
    );
    let version = cli.run(&["--version"]);
    assert_eq!(code(&version), 0);
    assert!(stdout(&version).starts_with("twilio-allowlist "));
    // Usage errors are 1, not clap's 2 (which means "changes pending" here).
    for args in [
        &[][..],
        &["plan"][..],
        &["plan", "-f"][..],
        &["frobnicate"][..],
        &["apply"][..],
        &["apply", "-f", "a.toml", "plan.json"][..],
        &["apply", "-f", "a.toml", "--concurrency", "0"][..],
        &["plan", "-f", "a.toml", "--colour"][..],
    ] {
        let out = cli.run(args);
        assert_eq!(code(&out), 1, "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).is_empty());
    }
}

#[test]
fn sets_split_lists_and_read_concurrency_on_the_command_line() {
    let cli = Cli::new("sets-split");
    let many: Vec<String> = (1..=120).map(|i| format!("\"10.7.0.{i}\"")).collect();
    let text = format!(
        "[sets.carrier-a]\naddresses = [\"198.51.100.0/24\"]\n\n[sets.spare]\naddresses = [\"192.0.2.9\"]\n\n[lists.office]\naddresses = [{{ set = \"carrier-a\" }}]\ntrunks = [\"my trunk\"]\nsip_domains = []\n\n[lists.platform]\nsplit = true\naddresses = [{}]\ntrunks = [\"my trunk\"]\nsip_domains = []\n",
        many.join(", ")
    );
    let file = cli.file("allowlist.toml", &text);
    // The unused set is a warning on stderr, naming the file; the plan shows the set.
    let plan = cli.at(&["plan", "-f", &file, "--read-concurrency", "2"]);
    assert_eq!(code(&plan), 2, "{}", stderr(&plan));
    assert!(
        stderr(&plan).contains(&format!(
            "warning: {file}: set \"spare\" (line 4) is used by no list"
        )),
        "{}",
        stderr(&plan)
    );
    let shown = stdout(&plan);
    assert!(
        shown.contains("  + 198.51.100.0/24    \"198.51.100.0/24\" (set \"carrier-a\")\n"),
        "{shown}"
    );
    assert!(shown.contains("+ list \"platform (2)\" (new)\n"), "{shown}");
    let applied = cli.at(&["apply", "-f", &file, "--yes"]);
    assert_eq!(code(&applied), 0, "{}", stderr(&applied));
    let again = cli.at(&["plan", "-f", &file]);
    assert_eq!(code(&again), 0, "{}", stdout(&again));
    // Export writes the parts back as one list; planning it changes nothing.
    let exported = cli.path("exported.toml");
    assert_eq!(code(&cli.at(&["export", "-o", &exported])), 0);
    let written = std::fs::read_to_string(&exported).unwrap();
    assert!(
        written.contains("[lists.platform]\naddresses = [\n") && written.contains("split = true\n"),
        "{written}"
    );
    assert!(!written.contains("platform (2)"), "{written}");
    assert_eq!(code(&cli.at(&["plan", "-f", &exported])), 0);
    // Without split, more than 100 is refused with the file and line, exit 1.
    let unsplit = cli.file("unsplit.toml", &text.replace("split = true\n", ""));
    let refused = cli.at(&["plan", "-f", &unsplit]);
    assert_eq!(code(&refused), 1);
    assert!(
        stderr(&refused).contains(&format!("{unsplit}:13:"))
            && stderr(&refused).contains("split = true"),
        "{}",
        stderr(&refused)
    );
    // The read concurrency is bounded as documented.
    let zero = cli.at(&["plan", "-f", &file, "--read-concurrency", "0"]);
    assert_eq!(code(&zero), 1, "{}", stderr(&zero));
}

/// The top-level keys of a pretty-printed JSON object, in their order.
fn top_keys(json: &str) -> Vec<String> {
    json.lines()
        .filter_map(|line| line.strip_prefix("  \""))
        .filter_map(|rest| rest.split_once("\":"))
        .map(|(key, _)| key.to_owned())
        .collect()
}

#[test]
fn markdown_list_selection_quiet_verbose_and_no_colour_off_a_terminal() {
    let cli = Cli::new("formats");
    let two = format!(
        "{FILE}\n[lists.branch]\naddresses = [\"192.0.2.0/28\"]\ntrunks = []\nsip_domains = []\n"
    );
    let file = cli.file("allowlist.toml", &two);

    // Markdown for a pull-request comment: the summary first, the details collapsed.
    let out = cli.at(&["plan", "-f", &file, "--format", "markdown"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("**Plan: 7 to add, 0 to change, 0 to remove.**\n\n<details><summary>7 changes in 2 lists</summary>\n\n```diff\n+ list \"office allowlist\" (new)\n+   198.51.100.7/32    \"198.51.100.7\"\n"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "+ list \"branch\" (new)\n+   192.0.2.0/28       \"192.0.2.0/28\"\n```\n\n</details>\n"
        ),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}'),
        "no colour off a terminal: {text:?}"
    );

    // --list: only the named lists, the others named on stderr; an unknown name is refused.
    let out = cli.at(&["plan", "-f", &file, "--list", "branch"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "+ list \"branch\" (new)\n  + 192.0.2.0/28       \"192.0.2.0/28\"\n\nPlan: 2 to add, 0 to change, 0 to remove.\n"
    );
    assert!(
        stderr(&out).contains(
            "note: --list: leaving out 1 of the file's lists, untouched: \"office allowlist\"\n"
        ),
        "{}",
        stderr(&out)
    );
    cli.mock.clear_requests();
    let applied = cli.at(&["apply", "-f", &file, "--list", "branch", "--yes"]);
    assert_eq!(code(&applied), 0, "{}", stderr(&applied));
    assert_eq!(
        writes(&cli.mock.requests()).len(),
        2,
        "the list and its address"
    );
    assert_eq!(
        cli.lists().keys().collect::<Vec<_>>(),
        ["branch"],
        "the list left out is not created"
    );
    let out = cli.at(&["plan", "-f", &file, "--list", "branch", "--list", "nope"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains(&format!(
            "Error: --list \"nope\": no such list in {file} (its lists: \"office allowlist\", \"branch\")"
        )),
        "{}",
        stderr(&out)
    );

    // -q: nothing but the exit code when all is well; the error when not.
    let sets = cli.file(
        "sets.toml",
        &format!("[sets.spare]\naddresses = [\"192.0.2.9\"]\n{two}"),
    );
    let quiet = cli.at(&["plan", "-f", &sets, "-q"]);
    assert_eq!(
        (code(&quiet), stdout(&quiet), stderr(&quiet)),
        (2, String::new(), String::new())
    );
    let loud = cli.at(&["plan", "-f", &sets]);
    assert!(stderr(&loud).contains("warning: "), "{}", stderr(&loud));
    let quiet = cli.at(&["apply", "-f", &sets, "-q", "--yes"]);
    assert_eq!(
        (code(&quiet), stdout(&quiet), stderr(&quiet)),
        (0, String::new(), String::new())
    );
    let quiet = cli.at(&["plan", "-f", &cli.path("missing.toml"), "-q"]);
    assert_eq!(code(&quiet), 1);
    assert!(stderr(&quiet).starts_with("Error: cannot read the desired-state file"));

    // -v: the requests on stderr, with neither the auth token nor an address of the file.
    let changed = cli.file("changed.toml", &two.replace("198.51.100.7", "198.51.100.8"));
    let verbose = cli.at(&["apply", "-f", &changed, "-v", "--yes", "--json"]);
    assert_eq!(code(&verbose), 0, "{}", stderr(&verbose));
    let log = stderr(&verbose);
    let events: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("twilio_request"))
        .collect();
    assert!(
        events.iter().any(|l| l.contains("method=POST")
            && l.contains("/IpAddresses.json")
            && l.contains("status=201")),
        "{log}"
    );
    assert!(
        events
            .iter()
            .any(|l| l.contains("method=DELETE") && l.contains("status=204")),
        "{log}"
    );
    for event in &events {
        for secret in [cli.mock.auth_token(), "198.51.100", "203.0.113", "192.0.2"] {
            assert!(!event.contains(secret), "{secret} in {event}");
        }
    }
    // -q and -v together make no sense.
    assert_eq!(code(&cli.at(&["plan", "-f", &file, "-q", "-v"])), 1);
}

#[test]
fn apply_json_is_one_document_whatever_happens() {
    let cli = Cli::new("apply-json");
    let file = cli.file("allowlist.toml", FILE);
    let plan = cli.at(&["plan", "-f", &file, "--json"]);
    let plan_keys = top_keys(&stdout(&plan));
    assert_eq!(
        plan_keys,
        [
            "format_version",
            "lists",
            "changes",
            "summary",
            "starting_state"
        ]
    );
    let mut keys = plan_keys.clone();
    keys.extend(["report".to_owned(), "error".to_owned()]);

    // Applied: the plan's keys in the plan's order, the report with the SIDs it created.
    let out = cli.at(&["apply", "-f", &file, "--yes", "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(top_keys(&stdout(&out)), keys);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["error"], serde_json::Value::Null);
    let live = &cli.lists()["office allowlist"];
    let outcomes = doc["report"]["outcomes"].as_array().unwrap();
    assert_eq!(outcomes[0]["change"]["action"], "create_list");
    assert_eq!(outcomes[0]["sid"], live.sid.as_str());
    let created: std::collections::BTreeSet<&str> = outcomes
        .iter()
        .filter(|o| o["change"]["action"] == "add_address")
        .map(|o| o["sid"].as_str().unwrap())
        .collect();
    assert_eq!(
        created,
        live.address_sids.keys().map(String::as_str).collect(),
        "the SIDs reported are the addresses made"
    );
    assert!(
        outcomes
            .iter()
            .filter(|o| o["change"]["action"] == "attach")
            .all(|o| o.get("sid").is_none()),
        "an attach creates nothing with a SID of its own: {outcomes:?}"
    );

    // Refused before writing: the plan, no report, the error with its exit code.
    let empty = cli.file(
        "empty.toml",
        "[lists.\"office allowlist\"]\naddresses = []\ntrunks = []\nsip_domains = []\n",
    );
    cli.mock.clear_requests();
    let out = cli.at(&[
        "apply",
        "-f",
        &empty,
        "--yes",
        "--json",
        "--max-removals",
        "1",
    ]);
    assert_eq!(code(&out), 1);
    assert_eq!(top_keys(&stdout(&out)), keys);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["report"], serde_json::Value::Null);
    assert_eq!(doc["error"]["exit_code"], 1);
    assert!(
        doc["error"]["message"]
            .as_str()
            .unwrap()
            .contains("the plan removes 4 (2 detach, 2 remove_address), more than the limit of 1; pass `--max-removals 4`"),
        "{doc}"
    );
    assert!(writes(&cli.mock.requests()).is_empty());

    // A file refused: no plan, still one document.
    let bad = cli.file("bad.toml", "[lists.x]\naddresses = [\"198.51.100.7/24\"]\n");
    let out = cli.at(&["apply", "-f", &bad, "--yes", "--json"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        top_keys(&stdout(&out)),
        ["format_version", "report", "error"]
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["format_version"], 4);
    assert!(
        doc["error"]["message"]
            .as_str()
            .unwrap()
            .contains("bad.toml:"),
        "{doc}"
    );

    // Nothing to do: an empty report.
    let out = cli.at(&["apply", "-f", &file, "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["report"]["outcomes"], serde_json::json!([]));
    assert_eq!(doc["error"], serde_json::Value::Null);
}

#[test]
fn a_file_naming_no_list_warns() {
    let cli = Cli::new("no-lists");
    let file = cli.file(
        "allowlist.toml",
        "[sets.spare]\naddresses = [\"192.0.2.9\"]\n",
    );
    let out = cli.at(&["plan", "-f", &file]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "warning: {file}: names no list (no `[lists.NAME]` table) and no `[byoc]`: a plan of it changes nothing"
        )),
        "{}",
        stderr(&out)
    );
}

/// The walkthrough's blocks are pasted after the `export` lines `twilio-mock` prints: a
/// placeholder `export TWILIO_…=AC…` in one would overwrite the real credentials.
#[test]
fn no_pasted_block_of_the_docs_sets_placeholder_credentials() {
    for (name, text) in [
        ("README.md", include_str!("../README.md")),
        ("docs/allowlist.md", include_str!("../docs/allowlist.md")),
        ("docs/guide.md", include_str!("../docs/guide.md")),
    ] {
        let mut in_sh = false;
        for (n, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") {
                in_sh = !in_sh && matches!(trimmed, "```sh" | "```bash" | "```shell");
                continue;
            }
            let Some(assignment) = trimmed.strip_prefix("export TWILIO_") else {
                continue;
            };
            assert!(
                !in_sh,
                "{name}:{}: a shell block sets TWILIO_{assignment}; the reader pastes the real values twilio-mock printed instead",
                n + 1
            );
        }
    }
    let walkthrough = include_str!("../docs/allowlist.md");
    assert!(walkthrough.contains("then paste this block, which sets no credentials of its own"));
}

#[test]
fn every_refusal_of_a_file_in_one_run() {
    let cli = Cli::new("all-refusals");
    let file = cli.file(
        "allowlist.toml",
        r#"[sets.carrier]
addresses = ["198.51.100.0/33"]

[lists.office]
addresses = [
  "198.51.100.7/24",
  "192.0.2.1",
  "192.0.2.1",
  { set = "nope" },
]
trunks = ["my trunk"]
sip_domains = []

[lists.branch]
addresses = [{ ip = "192.0.2.9", name = "" }]
sip_domains = []
"#,
    );
    cli.mock.clear_requests();
    let out = cli.at(&["plan", "-f", &file]);
    assert_eq!(code(&out), 1);
    assert!(cli.mock.requests().is_empty(), "refused before any request");
    let lines: Vec<String> = stderr(&out).lines().map(str::to_owned).collect();
    let expected = [
        format!(
            "Error: {file}:2:14: set \"carrier\", entry \"198.51.100.0/33\": `/33` is not a CIDR prefix length (1 to 32)"
        ),
        format!("{file}:6:3: list \"office\", entry \"198.51.100.7/24\": host bits are set"),
        format!("{file}:8:3: list \"office\", entry \"192.0.2.1\": the same entry twice"),
        format!(
            "{file}:9:3: list \"office\", entry {{ set = \"nope\" }}: there is no set named \"nope\""
        ),
        format!("{file}:14:8: list \"branch\", entry branch: `trunks` is missing"),
        format!(
            "{file}:15:14: list \"branch\", entry {{ ip = \"192.0.2.9\", name = \"\" }}: the address's name is empty"
        ),
    ];
    assert_eq!(lines.len(), expected.len(), "{lines:#?}");
    for (line, start) in lines.iter().zip(&expected) {
        assert!(
            line.starts_with(start.as_str()),
            "{line}\n  should start with\n{start}"
        );
    }
}
