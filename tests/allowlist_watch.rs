//! `twilio-allowlist watch` and `apply --log` against the emulator and a DNS server, both on
//! 127.0.0.1: cycles whose DNS answers change (an address added, one removed, a name gone, a
//! shrink beyond its source's limit), `--policy upsert-only`, `--once`, the refusal without
//! `--yes`, SIGTERM with writes in flight, and the audit log's lines parsed and checked.

#![cfg(all(feature = "cli", feature = "mock", unix))]

mod allowlist_support;
mod source_servers;

use std::{
    io::{BufRead, BufReader, Lines},
    net::Ipv4Addr,
    process::{Child, ChildStdout, Command, Stdio},
    time::Duration,
};

use allowlist_support::{
    cli::{Cli, code, stderr, stdout},
    writes,
};
use serde_json::Value;
use source_servers::{Answer, DnsServer};
use twilio_ip_access::mock::Fault;

const HOST: &str = "sbc.example.com";

fn ips(last: &[u8]) -> Answer {
    Answer::A(last.iter().map(|n| Ipv4Addr::new(192, 0, 2, *n)).collect())
}

/// The addresses of the list "sbc" in the emulator, as text.
fn live(cli: &Cli) -> Vec<String> {
    cli.lists()
        .get("sbc")
        .map(|l| {
            l.addresses
                .iter()
                .map(|(ip, _, _)| ip.to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// A DNS server answering `answer` for [`HOST`], and a file whose list "sbc" is its A records.
fn setup(cli: &Cli, answer: Answer) -> (DnsServer, String) {
    let dns = DnsServer::start();
    dns.set(HOST, answer);
    let file = cli.file(
        "allowlist.toml",
        &format!(
            "[lists.sbc]\naddresses = [{{ dns = \"{HOST}\" }}]\ntrunks = []\nsip_domains = []\n"
        ),
    );
    (dns, file)
}

/// `watch` running with its standard output read line by line.
struct Watch {
    child: Child,
    lines: Lines<BufReader<ChildStdout>>,
}

impl Watch {
    fn start(cli: &Cli, args: &[&str]) -> Watch {
        let mut child = cli
            .command(args, true)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        Watch { child, lines }
    }

    /// The next line, parsed.
    fn next(&mut self) -> Value {
        let line = self.lines.next().expect("a line").unwrap();
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
    }

    /// The change lines up to the next cycle line, and that line.
    fn cycle(&mut self) -> (Vec<Value>, Value) {
        let mut changes = Vec::new();
        loop {
            let line = self.next();
            match line["event"].as_str() {
                Some("change") => changes.push(line),
                Some("cycle") => return (changes, line),
                _ => panic!("unexpected line {line}"),
            }
        }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the exit: (code, standard error, the lines left).
    fn end(mut self) -> (i32, String, Vec<Value>) {
        let rest: Vec<Value> = (self.lines.by_ref())
            .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
            .collect();
        let out = self.child.wait_with_output().unwrap();
        (code(&out), stderr(&out), rest)
    }
}

fn statuses(changes: &[Value]) -> Vec<(String, String)> {
    changes
        .iter()
        .map(|c| {
            (
                c["change"]["action"].as_str().unwrap().to_owned(),
                c["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Checks what every line holds: the time in RFC 3339 UTC, the account, never the auth token.
fn stamped(cli: &Cli, line: &Value) {
    let time = line["time"].as_str().unwrap();
    assert!(time.ends_with('Z'), "{time}");
    chrono::DateTime::parse_from_rfc3339(time).unwrap();
    assert_eq!(line["account"], cli.mock.account_sid().as_str());
    assert!(!line.to_string().contains(cli.mock.auth_token()), "{line}");
}

#[test]
fn cycles_follow_dns_and_a_refused_cycle_writes_nothing() {
    let cli = Cli::new("watch-cycles");
    let (dns, file) = setup(&cli, ips(&[1, 2, 3, 4]));
    let ns = dns.addr().to_string();
    let mut watch = Watch::start(
        &cli,
        &[
            "watch",
            "-f",
            &file,
            "--interval",
            "1s",
            "--yes",
            "--nameserver",
            &ns,
        ],
    );

    // 1: the list is created with the four addresses.
    let (changes, cycle) = watch.cycle();
    assert_eq!(cycle["status"], "applied", "{cycle}");
    assert_eq!(cycle["cycle"], 1);
    assert_eq!(cycle["next_cycle_in_secs"], 1);
    assert_eq!(cycle["planned"]["add"], 5);
    stamped(&cli, &cycle);
    assert_eq!(statuses(&changes)[0], ("create_list".into(), "done".into()));
    assert!(
        changes
            .iter()
            .all(|c| c["status"] == "done" && c["cycle"] == 1)
    );
    for change in &changes {
        stamped(&cli, change);
        assert!(
            change["sid"].as_str().is_some(),
            "the SID created: {change}"
        );
    }
    assert_eq!(
        live(&cli),
        ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"]
    );

    // 2: an address added.
    dns.set(HOST, ips(&[1, 2, 3, 4, 5]));
    let (changes, cycle) = watch.cycle();
    assert_eq!(cycle["status"], "applied", "{cycle}");
    assert_eq!(statuses(&changes), [("add_address".into(), "done".into())]);
    assert_eq!(changes[0]["change"]["ip"], "192.0.2.5");

    // 3: one removed; the line names the SID it removed.
    let removed_sid = (cli.lists()["sbc"].address_sids.iter())
        .find(|(_, (ip, _))| *ip == Ipv4Addr::new(192, 0, 2, 4))
        .map(|(sid, _)| sid.clone())
        .unwrap();
    dns.set(HOST, ips(&[1, 2, 3, 5]));
    let (changes, cycle) = watch.cycle();
    assert_eq!(cycle["status"], "applied", "{cycle}");
    assert_eq!(
        statuses(&changes),
        [("remove_address".into(), "done".into())]
    );
    assert_eq!(changes[0]["sid"], removed_sid.as_str());
    assert_eq!(
        live(&cli),
        ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.5"]
    );

    // 4: the name is gone: refused, nothing written, the next cycle after the interval.
    cli.mock.clear_requests();
    dns.set(HOST, Answer::NxDomain);
    let (changes, cycle) = watch.cycle();
    assert_eq!(cycle["status"], "refused", "{cycle}");
    assert!(changes.is_empty());
    let error = cycle["error"].as_str().unwrap();
    assert!(
        error.contains("sbc.example.com does not exist (NXDOMAIN)"),
        "{error}"
    );
    assert_eq!(cycle["next_cycle_in_secs"], 1);
    assert!(writes(&cli.mock.requests()).is_empty());

    // 5: it shrinks from 4 to 1, beyond its limit (50%): refused, the wait doubled.
    dns.set(HOST, ips(&[1]));
    let (changes, cycle) = watch.cycle();
    assert_eq!(cycle["status"], "refused", "{cycle}");
    assert!(changes.is_empty());
    assert!(
        cycle["error"].as_str().unwrap().contains("shrink"),
        "{cycle}"
    );
    assert_eq!(cycle["next_cycle_in_secs"], 2);
    assert!(writes(&cli.mock.requests()).is_empty());
    assert_eq!(
        live(&cli),
        ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.5"]
    );

    // 6: back to what is live: nothing to do, the backoff starts over.
    dns.set(HOST, ips(&[1, 2, 3, 5]));
    let (changes, cycle) = watch.cycle();
    assert_eq!(
        (cycle["status"].as_str(), changes.len()),
        (Some("unchanged"), 0)
    );
    assert_eq!(cycle["next_cycle_in_secs"], 1);

    // SIGTERM while waiting: exit 0 at once, nothing more written.
    watch.signal("TERM");
    let (exit, err, rest) = watch.end();
    assert_eq!(exit, 0, "{err}");
    assert!(rest.is_empty(), "{rest:?}");
    assert!(writes(&cli.mock.requests()).is_empty());
}

#[test]
fn sigterm_lets_the_writes_in_flight_finish_and_exits_0() {
    let cli = Cli::slow("watch-sigterm", Duration::from_millis(300));
    let (dns, file) = setup(&cli, ips(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    let ns = dns.addr().to_string();
    let mut watch = Watch::start(
        &cli,
        &[
            "watch",
            "-f",
            &file,
            "--interval",
            "1h",
            "--yes",
            "--nameserver",
            &ns,
            "--concurrency",
            "4",
        ],
    );
    // The list is created; SIGTERM while the first addresses are being added.
    let created = watch.next();
    assert_eq!(created["change"]["action"], "create_list", "{created}");
    watch.signal("TERM");
    let (mut changes, cycle) = watch.cycle();
    changes.insert(0, created);
    assert_eq!(cycle["status"], "interrupted", "{cycle}");
    assert_eq!(cycle["next_cycle_in_secs"], Value::Null);
    let (exit, err, rest) = watch.end();
    assert_eq!(exit, 0, "{err}");
    assert!(rest.is_empty(), "{rest:?}");

    // Every change has its line; those sent finished (done), the others were never sent.
    assert_eq!(changes.len(), 13);
    let done: Vec<&Value> = changes.iter().filter(|c| c["status"] == "done").collect();
    let never = changes
        .iter()
        .filter(|c| c["status"] == "not_attempted")
        .count();
    assert!(done.len() > 1 && never > 0, "{changes:?}");
    assert_eq!(done.len() + never, 13, "{changes:?}");
    assert_eq!(writes(&cli.mock.requests()).len(), done.len());
    assert_eq!(live(&cli).len(), done.len() - 1);
}

#[test]
fn upsert_only_never_removes_and_once_runs_one_cycle_into_the_log() {
    let cli = Cli::new("watch-upsert");
    let (dns, file) = setup(&cli, ips(&[1, 2]));
    let ns = dns.addr().to_string();
    let log = cli.path("audit.jsonl");
    let once = |policy: &str| {
        cli.at(&[
            "watch",
            "-f",
            &file,
            "--yes",
            "--once",
            "--nameserver",
            &ns,
            "--policy",
            policy,
            "--log",
            &log,
        ])
    };
    let out = once("upsert-only");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "",
        "with --log, the lines go to the file only"
    );

    // An address leaves the name: upsert-only keeps it, and adds the new one.
    dns.set(HOST, ips(&[2, 3]));
    let out = once("upsert-only");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(live(&cli), ["192.0.2.1", "192.0.2.2", "192.0.2.3"]);
    // `sync` removes it.
    let out = once("sync");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(live(&cli), ["192.0.2.2", "192.0.2.3"]);

    let lines: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let cycles: Vec<&Value> = lines.iter().filter(|l| l["event"] == "cycle").collect();
    assert_eq!(cycles.len(), 3);
    assert_eq!(cycles[1]["policy"], "upsert-only");
    assert_eq!(cycles[1]["removals_dropped"], 1);
    assert_eq!(cycles[1]["planned"]["remove"], 0);
    assert_eq!(cycles[2]["policy"], "sync");
    assert_eq!(cycles[2]["done"]["remove"], 1);
    assert!(cycles.iter().all(|c| c["next_cycle_in_secs"].is_null()));
    let actions: Vec<&str> = (lines.iter())
        .filter(|l| l["event"] == "change")
        .map(|l| l["change"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "create_list",
            "add_address",
            "add_address",
            "add_address",
            "remove_address"
        ]
    );

    // --once with a failing source: exit 1, nothing written.
    cli.mock.clear_requests();
    dns.set(HOST, Answer::NxDomain);
    let out = once("sync");
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("cycle 1 refused"), "{}", stderr(&out));
    assert!(writes(&cli.mock.requests()).is_empty());
}

#[test]
fn watch_refuses_to_start_without_yes() {
    let cli = Cli::new("watch-yes");
    let (dns, file) = setup(&cli, ips(&[1]));
    let ns = dns.addr().to_string();
    let out = cli.at(&["watch", "-f", &file, "--once", "--nameserver", &ns]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("pass --yes"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(cli.mock.requests().is_empty(), "not even a read");
    assert!(dns.queries().is_empty(), "not even a DNS query");
}

#[test]
fn apply_log_appends_a_line_per_change_with_twilios_request_id() {
    let cli = Cli::new("apply-log");
    let list = cli.mock.create_ip_access_control_list("office");
    let file = cli.file(
        "allowlist.toml",
        "[lists.office]\naddresses = [\"198.51.100.7\", \"203.0.113.10\"]\ntrunks = [\"my trunk\"]\nsip_domains = []\n",
    );
    let log = cli.path("audit.jsonl");
    cli.mock.inject(
        Fault::on(
            "POST",
            &format!(
                "/2010-04-01/Accounts/{}/SIP/IpAccessControlLists/{list}/IpAddresses",
                cli.mock.account_sid()
            ),
        )
        .status(400),
    );
    let out = cli.at(&["apply", "-f", &file, "--yes", "--log", &log]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let read = || -> Vec<Value> {
        std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let lines = read();
    for line in &lines {
        stamped(&cli, line);
        assert_eq!(line["event"], "change");
    }
    let mut seen = statuses(&lines);
    seen.sort();
    assert_eq!(
        seen,
        [
            ("add_address".into(), "done".into()),
            ("add_address".into(), "failed".into()),
            ("attach".into(), "not_attempted".into()),
        ]
    );
    let failed = lines.iter().find(|l| l["status"] == "failed").unwrap();
    assert_eq!(failed["http_status"], 400);
    let request_id = failed["request_id"].as_str().unwrap();
    assert!(
        request_id.starts_with("RQ") && request_id.len() == 34,
        "{request_id}"
    );
    // A change done carries the request id of Twilio's answer too, each its own.
    let done = lines.iter().find(|l| l["status"] == "done").unwrap();
    assert!(done["sid"].as_str().unwrap().starts_with("IP"), "{done}");
    let done_id = done["request_id"].as_str().unwrap();
    assert!(
        done_id.starts_with("RQ") && done_id.len() == 34 && done_id != request_id,
        "{done}"
    );

    // Applied again: converges, and the lines are appended.
    let out = cli.at(&["apply", "-f", &file, "--yes", "--log", &log]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let lines = read();
    assert_eq!(statuses(&lines[3..]).len(), 2);
    assert!(lines[3..].iter().all(|l| l["status"] == "done"));
    assert!(
        lines[3..].iter().all(|l| l["request_id"]
            .as_str()
            .is_some_and(|id| id.starts_with("RQ"))),
        "{lines:?}"
    );

    // A log that cannot be opened refuses the apply before any request.
    cli.mock.clear_requests();
    let dir = cli.path("");
    let out = cli.at(&["apply", "-f", &file, "--yes", "--log", &dir]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("--log: cannot open"),
        "{}",
        stderr(&out)
    );
    assert!(cli.mock.requests().is_empty());
}
