//! The guards of `twilio-allowlist apply`, on the binary against the emulator (127.0.0.1 only):
//! a tampered saved plan refused before any request, naming the change; a removal Twilio no
//! longer has reported as already absent; every removal counted toward `--max-removals`, and
//! the per-list `--max-removal-percent`; and errors that say what happened: a refused port, a
//! silent one (`--timeout`), a server that is not Twilio's.

#![cfg(all(feature = "cli", feature = "mock"))]

mod allowlist_support;

use std::{
    net::TcpListener,
    process::Command,
    time::{Duration, Instant},
};

use allowlist_support::{
    cli::{self, BIN, Cli, code, stderr, stdout},
    writes,
};
use serde_json::{Value, json};
use twilio_ip_access::{
    allowlist::{self, ApplyOptions, ChangeResult, Desired, ListBuilder},
    mock::{Fault, MockTwilio},
};

/// A list of `addresses` (attached to nothing), and the list `other`.
fn lists(office: &[&str]) -> String {
    let quoted: Vec<String> = office.iter().map(|a| format!("{a:?}")).collect();
    format!(
        "[lists.office]\naddresses = [{}]\ntrunks = []\nsip_domains = []\n\n\
         [lists.other]\naddresses = [\"192.0.2.5\"]\ntrunks = []\nsip_domains = []\n",
        quoted.join(", ")
    )
}

/// The index of the first change with this action.
fn index_of(plan: &Value, action: &str) -> usize {
    plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c["action"] == action)
        .unwrap_or_else(|| panic!("no {action} in {plan}"))
}

#[test]
fn a_tampered_saved_plan_is_refused_before_any_request_naming_the_change() {
    let cli = Cli::new("tampered");
    let start = cli.file("start.toml", &lists(&["198.51.100.22", "198.51.100.23"]));
    assert_eq!(code(&cli.at(&["apply", "-f", &start, "--yes"])), 0);
    // Remove .22, add .7: one add_address, one remove_address.
    let next = cli.file("next.toml", &lists(&["198.51.100.23", "198.51.100.7"]));
    let saved = cli.path("plan.json");
    assert_eq!(code(&cli.at(&["plan", "-f", &next, "-o", &saved])), 2);
    let plan: Value = serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    let add = index_of(&plan, "add_address");
    let remove = index_of(&plan, "remove_address");
    let other_sid = plan["starting_state"]["lists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "other")
        .unwrap()["addresses"][0]["sid"]
        .clone();

    let tamper = |name: &str, edit: &dyn Fn(&mut Value)| {
        let mut tampered = plan.clone();
        edit(&mut tampered);
        cli.file(name, &serde_json::to_string_pretty(&tampered).unwrap())
    };
    let cases = [
        (
            tamper("everything.json", &|p| {
                p["changes"][add]["ip"] = json!("0.0.0.0");
                p["changes"][add]["prefix"] = json!(0);
            }),
            format!(
                "the saved plan is refused at changes[{add}] (add_address): + 0.0.0.0/0 \"198.51.100.7\" in list \"office\": `/0` is refused"
            ),
        ),
        (
            tamper("host-bits.json", &|p| {
                p["changes"][add]["ip"] = json!("1.2.3.4");
                p["changes"][add]["prefix"] = json!(8);
            }),
            format!(
                "changes[{add}] (add_address): + 1.2.3.4/8 \"198.51.100.7\" in list \"office\": host bits are set: 1.2.3.4/8 lies in the network 1.0.0.0/8"
            ),
        ),
        (
            tamper("foreign-sid.json", &|p| {
                p["changes"][remove]["sid"] = other_sid.clone();
            }),
            format!(
                "changes[{remove}] (remove_address): - 198.51.100.22/32 \"198.51.100.22\" from list \"office\": address {} is not in list \"office\" in the plan's starting state",
                other_sid.as_str().unwrap()
            ),
        ),
        (
            tamper("summary.json", &|p| {
                p["summary"]["remove"] = json!(0);
            }),
            "the summary does not count the changes: it says 1 to add, 0 to change, 0 to remove; the changes are 1 to add, 0 to change, 1 to remove".to_owned(),
        ),
        (
            tamper("twice.json", &|p| {
                let again = p["changes"][remove].clone();
                p["changes"].as_array_mut().unwrap().push(again);
                p["summary"]["remove"] = json!(2);
            }),
            format!(
                "changes[{}] (remove_address): - 198.51.100.22/32 \"198.51.100.22\" from list \"office\": the same change as changes[{remove}]",
                plan["changes"].as_array().unwrap().len()
            ),
        ),
    ];
    for (file, expected) in &cases {
        cli.mock.clear_requests();
        let out = cli.at(&["apply", file, "--yes"]);
        assert_eq!(code(&out), 1, "{file}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(expected.as_str()),
            "{file}: {}",
            stderr(&out)
        );
        // Refused before the client was even made: no request at all, so no write.
        assert!(
            cli.mock.requests().is_empty(),
            "{file}: {:?}",
            cli.mock.requests()
        );
    }
    // An attach naming another trunk's SID (the name kept): the reads find that trunk under
    // another name, and nothing is written (exit 3, as for a plan the account outgrew).
    let spare = cli
        .mock
        .create_trunk_named("spare", "spare.pstn.twilio.com");
    let attach = cli.file(
        "attach.toml",
        &lists(&["198.51.100.22", "198.51.100.23"]).replacen(
            "trunks = []",
            "trunks = [\"my trunk\"]",
            1,
        ),
    );
    let attach_plan = cli.path("attach.json");
    assert_eq!(
        code(&cli.at(&["plan", "-f", &attach, "-o", &attach_plan])),
        2
    );
    let mut swapped: Value =
        serde_json::from_str(&std::fs::read_to_string(&attach_plan).unwrap()).unwrap();
    let at = index_of(&swapped, "attach");
    swapped["changes"][at]["target"]["sid"] = json!(spare.as_str());
    let swapped = cli.file("swapped.json", &swapped.to_string());
    cli.mock.clear_requests();
    let out = cli.at(&["apply", &swapped, "--yes"]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!(
            "changes[{at}] (attach) names trunk {spare} as \"my trunk\", but the account's is named \"spare\""
        )),
        "{}",
        stderr(&out)
    );
    assert!(writes(&cli.mock.requests()).is_empty());

    // The plan as saved applies.
    let out = cli.at(&["apply", &saved, "--yes"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).ends_with("Apply complete: 1 added, 0 changed, 1 removed.\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_removal_twilio_no_longer_has_is_reported_already_absent() {
    let cli = Cli::new("absent");
    let start = cli.file("start.toml", &lists(&["198.51.100.22", "198.51.100.23"]));
    assert_eq!(code(&cli.at(&["apply", "-f", &start, "--yes"])), 0);
    let next = cli.file("next.toml", &lists(&["198.51.100.23"]));
    let planned: Value =
        serde_json::from_str(&stdout(&cli.at(&["plan", "-f", &next, "--json"]))).unwrap();
    let office = &planned["starting_state"]["lists"][0];
    let removed = &planned["changes"][0];
    assert_eq!(removed["action"], "remove_address");
    // Twilio answers the removal with its 404: the address is gone (for Twilio) already.
    let path = format!(
        "/2010-04-01/Accounts/{}/SIP/IpAccessControlLists/{}/IpAddresses/{}",
        cli.mock.account_sid(),
        office["sid"].as_str().unwrap(),
        removed["sid"].as_str().unwrap()
    );
    cli.mock
        .inject(Fault::on("DELETE", &path).status(404).times(2));

    let out = cli.at(&["apply", "-f", &next, "--yes"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).ends_with(
            "Apply complete: 0 added, 0 changed, 0 removed, 1 already absent.\n  already absent: - 198.51.100.22/32 \"198.51.100.22\" from list \"office\" (Twilio no longer had it; nothing removed)\n"
        ),
        "{}",
        stdout(&out)
    );
    assert!(
        !stdout(&out).contains("done: -") && !stderr(&out).contains("done: -"),
        "never reported as done: {}{}",
        stdout(&out),
        stderr(&out)
    );
    let out = cli.at(&["apply", "-f", &next, "--yes", "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let document: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let report = &document["report"];
    assert_eq!(report["outcomes"][0]["status"], "already_absent");
    assert_eq!(report["outcomes"][0]["change"]["ip"], "198.51.100.22");
    assert_eq!(report["done"], json!({"add": 0, "change": 0, "remove": 0}));
}

#[tokio::test]
async fn a_removal_gone_since_the_plan_is_already_absent_in_the_report() {
    let mock = MockTwilio::start().await;
    let client = mock.client();
    let desired = |addresses: &[&str]| {
        let list = addresses
            .iter()
            .fold(ListBuilder::new("office"), |l, a| l.address(*a));
        Desired::builder().list(list).build().unwrap()
    };
    let applied = allowlist::plan(&client, &desired(&["198.51.100.1", "198.51.100.2"]))
        .await
        .unwrap()
        .apply(&client, ApplyOptions::default())
        .await
        .unwrap();
    assert!(applied.is_complete());
    let plan = allowlist::plan(&client, &desired(&["198.51.100.1"]))
        .await
        .unwrap();
    let allowlist::Change::RemoveAddress(allowlist::RemoveAddress { sid, .. }) = &plan.changes()[0]
    else {
        panic!("{plan}")
    };
    // Another writer removes it between plan and apply.
    let list = plan.lists()[0].sid.clone().unwrap();
    client
        .sip_ip_access_control_list(&list)
        .ip_addresses()
        .delete(sid)
        .await
        .unwrap();
    let report = plan.apply(&client, ApplyOptions::default()).await.unwrap();
    assert_eq!(report.outcomes[0].result, ChangeResult::AlreadyAbsent);
    assert!(report.is_complete());
    assert_eq!(
        (report.done.remove, report.already_absent().count()),
        (0, 1)
    );
    assert!(
        report
            .to_string()
            .starts_with("Apply complete: 0 added, 0 changed, 0 removed, 1 already absent.\n"),
        "{report}"
    );
}

#[test]
fn every_removal_counts_toward_max_removals_and_the_percentage_guard() {
    let cli = Cli::new("removals");
    let trunks: Vec<String> = (1..=30)
        .map(|n| {
            cli.mock
                .create_trunk_named(&format!("t{n}"), &format!("t{n}.pstn.twilio.com"));
            format!("\"t{n}\"")
        })
        .collect();
    let attached = cli.file(
        "attached.toml",
        &format!(
            "[lists.office]\naddresses = [\"198.51.100.1\"]\ntrunks = [{}]\nsip_domains = []\n",
            trunks.join(", ")
        ),
    );
    assert_eq!(code(&cli.at(&["apply", "-f", &attached, "--yes"])), 0);
    let detached = cli.file(
        "detached.toml",
        "[lists.office]\naddresses = [\"198.51.100.1\"]\ntrunks = []\nsip_domains = []\n",
    );

    // 30 detaches: no address removed, but 30 removals, and 30 of the list's 31 entries.
    cli.mock.clear_requests();
    let out = cli.at(&["apply", "-f", &detached, "--yes", "--max-removals", "20"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).ends_with(
            "Error: refused, nothing was written:\n  \
             the plan removes 30 (30 detach), more than the limit of 20; pass `--max-removals 30` if that is what you want\n  \
             the plan removes 30 of the 31 entries of list \"office\" (96.7%), more than the limit of 30% for a list of 10 entries or more; pass `--max-removal-percent 97` if that is what you want\n"
        ),
        "{}",
        stderr(&out)
    );
    assert!(writes(&cli.mock.requests()).is_empty());
    // Each guard holds on its own.
    let out = cli.at(&["apply", "-f", &detached, "--yes", "--max-removals", "30"]);
    assert_eq!(code(&out), 1);
    assert!(
        !stderr(&out).contains("--max-removals")
            && stderr(&out).contains("--max-removal-percent 97"),
        "{}",
        stderr(&out)
    );
    let out = cli.at(&[
        "apply",
        "-f",
        &detached,
        "--yes",
        "--max-removal-percent",
        "97",
    ]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("more than the limit of 20; pass `--max-removals 30`")
            && !stderr(&out).contains("--max-removal-percent"),
        "{}",
        stderr(&out)
    );
    assert!(writes(&cli.mock.requests()).is_empty());
    // Both raised: the 30 detaches, and nothing else.
    let out = cli.at(&[
        "apply",
        "-f",
        &detached,
        "--yes",
        "--max-removals",
        "30",
        "--max-removal-percent",
        "97",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let writes = writes(&cli.mock.requests());
    assert_eq!(writes.len(), 30);
    assert!(
        writes.iter().all(|(method, path)| method == "DELETE"
            && path.starts_with("/v1/Trunks/TK")
            && path.contains("/IpAccessControlLists/AL")),
        "{writes:?}"
    );
}

#[test]
fn the_percentage_guard_applies_per_list_from_10_entries() {
    let cli = Cli::new("percent");
    let twelve: Vec<String> = (1..=12).map(|n| format!("198.51.100.{n}")).collect();
    let refs: Vec<&str> = twelve.iter().map(String::as_str).collect();
    let full = cli.file("full.toml", &lists(&refs));
    assert_eq!(code(&cli.at(&["apply", "-f", &full, "--yes"])), 0);
    // 4 of 12 (33.3%) is over the default 30%; 3 of 12 would not be.
    let fewer = cli.file("fewer.toml", &lists(&refs[4..]));
    cli.mock.clear_requests();
    let out = cli.at(&["apply", "-f", &fewer, "--yes"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains(
            "the plan removes 4 of the 12 entries of list \"office\" (33.3%), more than the limit of 30% for a list of 10 entries or more; pass `--max-removal-percent 34`"
        ),
        "{}",
        stderr(&out)
    );
    assert!(writes(&cli.mock.requests()).is_empty());
    let three = cli.file("three.toml", &lists(&refs[3..]));
    let out = cli.at(&["apply", "-f", &three, "--yes"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // Now 9 entries: under 10, emptying the list is not the percentage guard's business.
    let empty = cli.file("empty.toml", &lists(&[]));
    let out = cli.at(&["apply", "-f", &empty, "--yes"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // Out of range.
    let out = cli.at(&[
        "apply",
        "-f",
        &empty,
        "--yes",
        "--max-removal-percent",
        "101",
    ]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("--max-removal-percent"),
        "{}",
        stderr(&out)
    );
}

/// Runs `plan` on a one-list file against `base_url`, with these global options and this
/// environment only, and how long it took.
fn plan_at(
    cli: &Cli,
    base_url: &str,
    options: &[&str],
    env: &[(&str, &str)],
) -> (std::process::Output, Duration) {
    let file = cli.file("one.toml", &lists(&["198.51.100.1"]));
    let started = Instant::now();
    let out = Command::new(BIN)
        .args(["--base-url", base_url])
        .args(options)
        .args(["plan", "-f", &file])
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (out, started.elapsed())
}

/// The retry warnings printed before the error, and the error itself (from `Error: `).
fn retried_then(text: &str) -> (usize, &str) {
    let at = text.find("Error: ").unwrap_or(text.len());
    let (warnings, error) = text.split_at(at);
    let retries = warnings.lines().count();
    assert!(
        warnings
            .lines()
            .all(|l| l.contains("WARN retrying Twilio request attempt=")),
        "{text}"
    );
    (retries, error)
}

#[test]
fn errors_say_what_happened() {
    let cli = Cli::new("errors");
    let credentials = [
        ("TWILIO_ACCOUNT_SID", cli.mock.account_sid().to_string()),
        ("TWILIO_AUTH_TOKEN", cli.mock.auth_token().to_owned()),
    ];
    let credentials: Vec<(&str, &str)> =
        credentials.iter().map(|(k, v)| (*k, v.as_str())).collect();

    // A port nothing listens on: the cause, at once.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let (out, took) = plan_at(&cli, &url, &[], &credentials);
    assert_eq!(code(&out), 1);
    let text = stderr(&out);
    // Each retry is announced (no silent wait), then the error with its cause.
    let (retries, error) = retried_then(&text);
    assert!(retries >= 2, "{text}");
    assert!(
        error.starts_with(&format!(
            "Error: request failed: error sending request for url ({url}/"
        )) && error.contains("Connection refused")
            && error.ends_with("(after 3 attempts)\n"),
        "{text}"
    );
    assert!(took < Duration::from_secs(5), "{took:?}");

    // A port that accepts and never answers: --timeout 1 s per attempt.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let holder = std::thread::spawn(move || {
        let mut held = Vec::new();
        silent.set_nonblocking(true).unwrap();
        let until = Instant::now() + Duration::from_secs(20);
        while Instant::now() < until && held.len() < 16 {
            match silent.accept() {
                Ok(conn) => held.push(conn),
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        held
    });
    let (out, took) = plan_at(&cli, &url, &["--timeout", "1"], &credentials);
    assert_eq!(code(&out), 1);
    let text = stderr(&out);
    let (retries, _) = retried_then(&text);
    assert!(retries >= 2, "{text}");
    assert!(
        text.contains(&format!("error sending request for url ({url}/"))
            && text.contains("operation timed out")
            && text.ends_with("(after 3 attempts)\n"),
        "{text}"
    );
    // Three attempts of 1 s and two short delays, not 3 × 30 s.
    assert!(took < Duration::from_secs(10), "{took:?}");
    drop(holder);

    // A server that is not Twilio's: the URL that answered, and a hint at --base-url.
    let url = cli::not_twilio();
    let (out, _) = plan_at(&cli, &url, &[], &credentials);
    assert_eq!(code(&out), 1);
    let text = stderr(&out);
    assert!(
        text.starts_with("Error: HTTP 404 with a non-JSON body (48 bytes) from ")
            && text.contains(&format!(" from {url}/"))
            && text.ends_with(
                "\nThat is not an answer of Twilio's API: check --base-url (it should be Twilio's, or an emulator's such as twilio-mock) and any proxy on the way\n"
            ),
        "{text}"
    );

    // The command's words, not the library's.
    let base_url = cli.mock.base_url();
    let (out, _) = plan_at(&cli, base_url, &[], &[]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        "Error: invalid configuration: no account SID: set TWILIO_ACCOUNT_SID\n"
    );
    let api_key_sid = [
        ("TWILIO_ACCOUNT_SID", "SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ("TWILIO_AUTH_TOKEN", "token"),
    ];
    let (out, _) = plan_at(&cli, base_url, &[], &api_key_sid);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        "Error: invalid configuration: TWILIO_ACCOUNT_SID holds an API key SID (SK…): put the key in TWILIO_API_KEY (with TWILIO_API_SECRET) and the account SID (AC…) in TWILIO_ACCOUNT_SID\n"
    );
    let (out, _) = plan_at(&cli, "http://user:hunter2@127.0.0.1:9", &[], &credentials);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).ends_with(
            "must not carry credentials (user:password@); for an authenticating proxy, set HTTPS_PROXY (or HTTP_PROXY) with its credentials\n"
        ) && !stderr(&out).contains("hunter2"),
        "{}",
        stderr(&out)
    );
    let (out, _) = plan_at(&cli, base_url, &["--timeout", "0"], &credentials);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("more than 0"), "{}", stderr(&out));
}

#[tokio::test]
async fn each_check_of_a_saved_plan_names_the_change_it_refuses() {
    let mock = MockTwilio::start().await;
    let trunk = mock.create_trunk_named("my trunk", "my-trunk.pstn.twilio.com");
    let spare = mock.create_trunk_named("spare", "spare.pstn.twilio.com");
    let client = mock.client();
    let list = |addresses: &[(&str, &str)], trunks: &[&str]| {
        let list = addresses
            .iter()
            .fold(ListBuilder::new("office"), |l, (ip, name)| {
                l.named_address(*ip, *name)
            });
        let list = trunks.iter().fold(list, |l, t| l.trunk(*t));
        Desired::builder().list(list).build().unwrap()
    };
    let start = list(
        &[("198.51.100.1", "one"), ("198.51.100.2", "two")],
        &["my trunk"],
    );
    allowlist::plan(&client, &start)
        .await
        .unwrap()
        .apply(&client, ApplyOptions::default())
        .await
        .unwrap();
    let next = list(&[("198.51.100.1", "uno"), ("198.51.100.3", "three")], &[]);
    let plan: Value =
        serde_json::from_str(&allowlist::plan(&client, &next).await.unwrap().to_json()).unwrap();
    let actions: Vec<&str> = plan["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["add_address", "rename_address", "detach", "remove_address"]
    );
    // (what is edited, the change refused, its action, what the reason says)
    type Edit = Box<dyn Fn(&mut Value)>;
    let push = |change: Value, kind: &'static str| -> Edit {
        Box::new(move |p: &mut Value| {
            p["changes"].as_array_mut().unwrap().push(change.clone());
            let n = p["summary"][kind].as_u64().unwrap();
            p["summary"][kind] = json!(n + 1);
        })
    };
    let target = |sid: &str| json!({"kind": "trunk", "sid": sid, "name": "my trunk"});
    let cases: Vec<(Edit, usize, &str, String)> = vec![
        (
            Box::new(|p| p["changes"][1]["from"] = json!("someone else")),
            1,
            "rename_address",
            "is 198.51.100.1/32 \"one\" in the plan's starting state, not what the change shows"
                .into(),
        ),
        (
            // What a removal names is held to the starting state, not to a file's rules.
            Box::new(|p| p["changes"][3]["prefix"] = json!(24)),
            3,
            "remove_address",
            "is 198.51.100.2/32 \"two\" in the plan's starting state, not what the change shows"
                .into(),
        ),
        (
            {
                let spare = spare.to_string();
                Box::new(move |p| p["changes"][2]["target"]["sid"] = json!(spare))
            },
            2,
            "detach",
            format!(
                "list \"office\" is not attached to trunk {spare} in the plan's starting state"
            ),
        ),
        (
            Box::new(|p| p["changes"][0]["ip"] = json!("198.51.100.2")),
            0,
            "add_address",
            "list \"office\" already holds 198.51.100.2/32".into(),
        ),
        (
            Box::new(|p| p["changes"][0]["name"] = json!("x".repeat(256))),
            0,
            "add_address",
            "the address's name is 256 characters long; Twilio accepts at most 255".into(),
        ),
        (
            push(
                json!({"action": "attach", "list": "office", "target": target(trunk.as_str())}),
                "add",
            ),
            4,
            "attach",
            format!("list \"office\" is already attached to trunk {trunk}"),
        ),
        (
            push(json!({"action": "delete_list", "list": "office"}), "remove"),
            4,
            "delete_list",
            "is not a part of a split list the plan covers".into(),
        ),
        (
            push(json!({"action": "create_list", "list": "office"}), "add"),
            4,
            "create_list",
            "list \"office\" exists already in the plan's starting state".into(),
        ),
        (
            // 2 addresses and 99 adds: the 99th add would be the 101st address.
            Box::new(|p| {
                for n in 0..98 {
                    let mut add = p["changes"][0].clone();
                    add["ip"] = json!(format!("203.0.113.{n}"));
                    p["changes"].as_array_mut().unwrap().insert(1, add);
                }
                p["summary"]["add"] = json!(99);
            }),
            98,
            "add_address",
            "list \"office\" would hold 101 addresses, more than Twilio's limit of 100".into(),
        ),
    ];
    for (edit, index, action, reason) in cases {
        let mut tampered = plan.clone();
        edit(&mut tampered);
        match allowlist::Plan::from_json(&tampered.to_string()) {
            Err(allowlist::Error::PlanChange {
                index: i,
                action: a,
                reason: r,
            }) => {
                assert_eq!((i, a.as_str()), (index, action), "{r}");
                assert!(r.contains(&reason), "{r}");
            }
            other => panic!("{action} at {index}: expected a refusal, got {other:?}"),
        }
    }
    // Untouched, it is read.
    assert!(allowlist::Plan::from_json(&plan.to_string()).is_ok());
}
