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
    assert_eq!(doc["format_version"], 2);
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
    assert_eq!(doc["format_version"], 2);
    assert_eq!(doc["plan"]["summary"]["add"], 5);
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
fn a_saved_plan_that_no_longer_matches_exits_3_without_writing() {
    let cli = Cli::new("stale");
    let file = cli.file("allowlist.toml", FILE);
    let saved = cli.path("plan.json");
    assert_eq!(code(&cli.at(&["plan", "-f", &file, "-o", &saved])), 2);
    // Another writer creates the list meanwhile.
    let client = cli.mock.client();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime
        .block_on(
            client
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
        "Exit codes: 0",
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
    assert!(stdout(&cli.run(&["apply", "--help"])).contains("--max-removals <N>"));
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
