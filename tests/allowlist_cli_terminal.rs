//! `twilio-allowlist` on a terminal (a pseudo-terminal, driven with rexpect) and under signals:
//! the race at the confirmation prompt, colour, the spinner, Ctrl-C and SIGTERM in the middle
//! of a slow apply. The emulator is in process, on 127.0.0.1.

#![cfg(all(feature = "cli", feature = "mock", unix))]

mod allowlist_support;

use std::{
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use allowlist_support::{
    cli::{Cli, code, stderr, stdout, terminate_after},
    writes,
};
use rexpect::{
    process::WaitStatus,
    session::{PtySession, spawn_command},
};

/// How long any expected output may take.
const PATIENCE_MS: u64 = 30_000;

fn pty(mut command: Command) -> PtySession {
    // As a terminal emulator sets it (indicatif draws nothing where TERM is unset or dumb).
    command.env("TERM", "xterm-256color");
    spawn_command(command, Some(PATIENCE_MS)).expect("a pseudo-terminal")
}

/// Reads everything up to the end, and the exit code.
fn finish(mut session: PtySession) -> (String, i32) {
    let rest = session.exp_eof().expect("the command ends");
    match session.process().wait().expect("it can be waited on") {
        WaitStatus::Exited(_, code) => (rest, code),
        other => panic!("ended by {other:?}; it printed {rest}"),
    }
}

/// A file for "office" with addresses 10.1.0.1 to 10.1.0.`n`.
fn office(n: usize) -> String {
    let addresses: Vec<String> = (1..=n).map(|i| format!("\"10.1.0.{i}\"")).collect();
    format!(
        "[lists.office]\naddresses = [{}]\ntrunks = [\"my trunk\"]\nsip_domains = []\n",
        addresses.join(", ")
    )
}

#[test]
fn another_writer_at_the_prompt_means_exit_3_and_nothing_written() {
    let cli = Cli::new("prompt-race");
    let before = cli.file("before.toml", &office(1));
    assert_eq!(code(&cli.at(&["apply", "-f", &before, "--yes"])), 0);
    let file = cli.file("allowlist.toml", &office(2));

    let mut session = pty(cli.command(&["apply", "-f", &file], true));
    let shown = session
        .exp_string("Apply these changes? Only 'yes' is accepted: ")
        .unwrap();
    assert!(shown.contains("+ 10.1.0.2/32"), "{shown}");
    // Meanwhile another writer adds the same address.
    let list = cli.lists()["office"].sid.clone();
    cli.block_on(
        cli.mock
            .client()
            .sip_ip_access_control_list(list.as_str())
            .ip_addresses()
            .create("10.1.0.2", std::net::Ipv4Addr::new(10, 1, 0, 2))
            .send(),
    )
    .unwrap();
    cli.mock.clear_requests();
    session.send_line("yes").unwrap();
    let (rest, exit) = finish(session);
    assert_eq!(exit, 3, "{rest}");
    assert!(
        rest.contains("the live state changed since the plan was made (the addresses of list \"office\" changed (1 added, 0 removed, 0 edited)); nothing was written"),
        "{rest}"
    );
    assert!(writes(&cli.mock.requests()).is_empty(), "nothing written");
    assert_eq!(
        cli.lists()["office"].addresses.len(),
        2,
        "10.1.0.2 once, from the other writer"
    );

    // --yes reads again too: here it finds the state it planned from, and applies.
    let three = cli.file("three.toml", &office(3));
    let out = cli.at(&["apply", "-f", &three, "--yes"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(cli.lists()["office"].addresses.len(), 3);
}

#[test]
fn colour_on_a_terminal_unless_no_color_or_the_flag() {
    let cli = Cli::new("colour");
    let file = cli.file("allowlist.toml", &office(1));
    let green = "\u{1b}[32m  + 10.1.0.1/32        \"10.1.0.1\"\u{1b}[0m";

    let (text, exit) = finish(pty(cli.command(&["plan", "-f", &file], true)));
    assert_eq!(exit, 2, "{text}");
    assert!(text.contains(green), "{text:?}");

    let mut no_color = cli.command(&["plan", "-f", &file], true);
    no_color.env("NO_COLOR", "1");
    let mut flag = cli.command(&["plan", "-f", &file], true);
    flag.arg("--no-color");
    for command in [no_color, flag] {
        let (text, exit) = finish(pty(command));
        assert_eq!(exit, 2, "{text}");
        assert!(
            text.contains("  + 10.1.0.1/32        \"10.1.0.1\""),
            "{text:?}"
        );
        for colour in ["\u{1b}[31m", "\u{1b}[32m", "\u{1b}[33m"] {
            assert!(!text.contains(colour), "{text:?}");
        }
    }
}

#[test]
fn the_spinner_counts_the_reads_on_a_terminal() {
    let cli = Cli::slow("spinner", Duration::from_millis(150));
    let file = cli.file("allowlist.toml", &office(1));
    let mut session = pty(cli.command(&["plan", "-f", &file], true));
    session
        .exp_regex(r"Reading the live state: [1-9][0-9]* reads?")
        .unwrap();
    let (text, exit) = finish(session);
    assert_eq!(exit, 2, "{text}");
    assert!(text.contains("Plan: 3 to add"), "{text}");
}

/// The report's "Apply incomplete: N added, …" count.
fn added(report: &str) -> usize {
    let at = report
        .find("Apply incomplete: ")
        .unwrap_or_else(|| panic!("no incomplete report in {report}"));
    report[at + "Apply incomplete: ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Applying again finishes the job, with every address once.
fn converges(cli: &Cli, file: &str, n: usize) {
    let again = cli.at(&["apply", "-f", file, "--yes", "--concurrency", "8"]);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(code(&cli.at(&["plan", "-f", file])), 0);
    let office = &cli.lists()["office"];
    let distinct: std::collections::BTreeSet<_> = office.addresses.iter().collect();
    assert_eq!(
        (office.addresses.len(), distinct.len()),
        (n, n),
        "no duplicates"
    );
}

#[test]
fn ctrl_c_lets_the_writes_in_flight_finish_reports_and_exits_130() {
    let cli = Cli::slow("ctrl-c", Duration::from_millis(100));
    let file = cli.file("allowlist.toml", &office(40));
    let mut session =
        pty(cli.command(&["apply", "-f", &file, "--yes", "--concurrency", "2"], true));
    session.exp_string("/42").unwrap();
    std::thread::sleep(Duration::from_millis(600));
    session.send_control('c').unwrap();
    session
        .exp_string("no new write starts; any write in flight finishes first")
        .unwrap();
    let (rest, exit) = finish(session);
    assert_eq!(exit, 130, "{rest}");
    assert!(rest.contains("not attempted: + 10.1.0.40/32"), "{rest}");
    assert!(
        rest.contains("0 failed, 0 with an unknown outcome,") && !rest.contains("unknown outcome:"),
        "the writes in flight finished: {rest}"
    );
    assert!(
        rest.contains("Error:\u{1b}[0m interrupted (Ctrl-C): the apply stopped before its end"),
        "{rest}"
    );
    // What the report says was done is exactly what landed: the list, and its addresses.
    let done = added(&rest);
    assert!(done > 1 && done < 41, "{rest}");
    assert_eq!(cli.lists()["office"].addresses.len(), done - 1, "{rest}");
    assert!(
        cli.lists()["office"].trunks.is_empty(),
        "the attach step never started"
    );
    converges(&cli, &file, 40);
}

#[test]
fn a_second_ctrl_c_stops_waiting_for_the_writes_in_flight() {
    let cli = Cli::slow("ctrl-c-twice", Duration::from_millis(800));
    let file = cli.file("allowlist.toml", &office(8));
    let mut session =
        pty(cli.command(&["apply", "-f", &file, "--yes", "--concurrency", "4"], true));
    // The list is created (one slow answer), then four addresses go in flight, answered
    // 800 ms later; two Ctrl-C do not wait for them.
    session.exp_string("1/10").unwrap();
    let started = Instant::now();
    std::thread::sleep(Duration::from_millis(150));
    session.send_control('c').unwrap();
    session.exp_string("Press Ctrl-C again").unwrap();
    session.send_control('c').unwrap();
    let (rest, exit) = finish(session);
    assert_eq!(exit, 130, "{rest}");
    assert!(
        started.elapsed() < Duration::from_millis(700),
        "did not wait for the writes in flight ({:?}): {rest}",
        started.elapsed()
    );
    assert!(
        rest.contains("unknown outcome: + 10.1.0.") && rest.contains("interrupted while in flight"),
        "{rest}"
    );
    assert!(rest.contains("not attempted: + 10.1.0.8/32"), "{rest}");
    // Give the emulator time to finish what it had been sent, then converge.
    std::thread::sleep(Duration::from_millis(1_000));
    converges(&cli, &file, 8);
}

#[test]
fn sigterm_reports_and_exits_143_and_the_json_report_says_so() {
    let cli = Cli::slow("sigterm", Duration::from_millis(100));
    let file = cli.file("allowlist.toml", &office(40));
    let child = cli
        .command(
            &[
                "apply",
                "-f",
                &file,
                "--yes",
                "--json",
                "--concurrency",
                "2",
            ],
            true,
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Without a terminal, one line per change on stderr; stop after a few.
    let (out, log) = terminate_after(child, "[6/42] done");
    assert_eq!(code(&out), 143, "{log}");
    assert!(
        log.contains("Terminated (SIGTERM): no new write starts"),
        "{log}"
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", stdout(&out));
    });
    assert_eq!(doc["error"]["exit_code"], 143, "{doc}");
    let outcomes = doc["report"]["outcomes"].as_array().unwrap();
    let done = outcomes.iter().filter(|o| o["status"] == "done").count();
    let not_attempted = outcomes
        .iter()
        .filter(|o| o["status"] == "not_attempted")
        .count();
    assert_eq!(done + not_attempted, 42, "{doc}");
    assert!(done >= 6 && not_attempted > 0, "{doc}");
    assert_eq!(cli.lists()["office"].addresses.len(), done - 1);
    converges(&cli, &file, 40);
}
