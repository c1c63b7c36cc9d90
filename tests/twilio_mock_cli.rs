//! The `twilio-mock` binary as another language's test suite runs it: `--latency`, `--fault`
//! and `--state` (loaded at start, written on Ctrl-C or SIGTERM), driven through the crate's
//! client on 127.0.0.1 and stopped with real signals (sent with `kill`).

#![cfg(all(feature = "mock", unix))]

use std::{
    io::Read,
    path::{Path, PathBuf},
    process::{Command, ExitStatus, Stdio},
    time::{Duration, Instant},
};

mod common;

use common::process::{PATIENCE, TwilioMock as Server, field};
use serde_json::Value;
use twilio_ip_access::{Client, RetryPolicy};

impl Server {
    /// A client of the server's main account that does not retry.
    fn client(&self) -> Client {
        Client::builder()
            .account_sid(&self.account_sid)
            .auth_token(&self.auth_token)
            .base_url(&self.base_url)
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap()
    }

    /// Sends `signal` (`INT`, `TERM`) and waits for the exit; the status and what it printed
    /// meanwhile.
    fn stop(mut self, signal: &str) -> (ExitStatus, Vec<String>) {
        let sent = Command::new("kill")
            .args(["-s", signal, &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "kill -s {signal}");
        let status = common::process::wait_for_exit(
            &mut self.child,
            PATIENCE,
            &format!("twilio-mock after SIG{signal}"),
        );
        let mut after = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            after.push(line);
        }
        (status, after)
    }
}

/// A fresh directory for one test's state file.
fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("twilio-mock-cli-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Runs `twilio-mock ARGS…` expecting it to stop by itself: exit status and stderr.
fn run_failing(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_twilio-mock"))
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status =
        common::process::wait_for_exit(&mut child, PATIENCE, &format!("twilio-mock with {args:?}"));
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status.code(), stderr)
}

#[tokio::test]
async fn the_state_file_is_written_on_sigterm_and_loaded_on_restart() {
    let dir = temp_dir("restart");
    let state = dir.join("state.json");
    let state_arg = state.to_str().unwrap();

    // First run: no file yet, so --seed seeds; a CI job then creates what it needs.
    let server = Server::start(&["--state", state_arg, "--seed"]);
    assert!(
        server.printed.iter().any(|l| l.contains("seed trunk")),
        "{:#?}",
        server.printed
    );
    let trunk = field(&server.printed, "trunk:");
    let acl = field(&server.printed, "IP access control list:");
    let client = server.client();
    let record = client
        .ip_records()
        .create("203.0.113.10")
        .friendly_name("sbc-1")
        .await
        .unwrap();
    let address = client
        .sip_ip_access_control_list(acl.as_str())
        .ip_addresses()
        .create("office", "198.51.100.7")
        .await
        .unwrap();
    client
        .trunk(trunk.as_str())
        .ip_access_control_lists()
        .create(acl.as_str())
        .await
        .unwrap();
    let (account_sid, auth_token) = (server.account_sid.clone(), server.auth_token.clone());
    let (status, after) = server.stop("TERM");
    assert_eq!(status.code(), Some(0), "{after:#?}");
    assert!(
        after.iter().any(|l| l.starts_with("Saved the state file")),
        "{after:#?}"
    );

    // The file: complete JSON, the documented shape, no temporary file left beside it.
    let saved = read_json(&state);
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["account_sid"], account_sid.as_str());
    assert_eq!(saved["auth_token"], auth_token.as_str());
    let records = &saved["records"][account_sid.as_str()];
    assert_eq!(records["ip_record"][0]["sid"], record.sid.as_str());
    assert_eq!(
        records["ip_record"][0]["values"]["ip_address"],
        "203.0.113.10"
    );
    assert_eq!(records["ip_record"][0]["values"]["friendly_name"], "sbc-1");
    assert_eq!(records["sip_ip_address"][0]["sid"], address.sid.as_str());
    assert_eq!(records["sip_ip_address"][0]["parents"][0], acl.as_str());
    assert_eq!(records["trunk"][0]["sid"], trunk.as_str());
    let listing: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(listing, ["state.json"]);

    // Second run from the file: same account, same records; --seed does not seed again.
    let server = Server::start(&["--state", state_arg, "--seed"]);
    assert!(
        server
            .printed
            .iter()
            .any(|l| l.starts_with("Loaded the state file"))
            && !server.printed.iter().any(|l| l.contains("seed trunk")),
        "{:#?}",
        server.printed
    );
    assert_eq!(
        (&server.account_sid, &server.auth_token),
        (&account_sid, &auth_token)
    );
    let client = server.client();
    let fetched = client.ip_records().fetch(&record.sid).await.unwrap();
    assert_eq!(
        (
            fetched.ip_address.as_deref(),
            fetched.friendly_name.as_deref()
        ),
        (Some("203.0.113.10"), Some("sbc-1"))
    );
    let addresses = client
        .sip_ip_access_control_list(acl.as_str())
        .ip_addresses()
        .list()
        .collect()
        .await
        .unwrap();
    assert_eq!(addresses.len(), 1);
    assert_eq!(addresses[0].sid, address.sid);
    let associated = client
        .trunk(trunk.as_str())
        .ip_access_control_lists()
        .list()
        .collect()
        .await
        .unwrap();
    assert_eq!(associated.len(), 1);
    assert_eq!(associated[0].sid.as_str(), acl);
    // The rules still hold across the restart: the list is associated, so it cannot go.
    let err = client
        .sip_ip_access_control_lists()
        .delete(acl.as_str())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
    client.ip_records().delete(&record.sid).await.unwrap();
    let second = client.ip_records().create("192.0.2.1").await.unwrap();
    let (status, _) = server.stop("INT");
    assert_eq!(status.code(), Some(0));

    let saved = read_json(&state);
    let ip_records = saved["records"][account_sid.as_str()]["ip_record"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(ip_records.len(), 1, "{ip_records:#?}");
    assert_eq!(ip_records[0]["sid"], second.sid.as_str());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_hand_written_state_file_seeds_the_account() {
    let dir = temp_dir("seed");
    let state = dir.join("state.json");
    let account = format!("AC{}", "e".repeat(32));
    let acl = format!("AL{}", "1".repeat(32));
    let address = format!("IP{}", "2".repeat(32));
    // Dates may be left out; `parents` names the list.
    let text = format!(
        r#"{{"version": 1, "account_sid": "{account}", "auth_token": "ci-token",
            "records": {{"{account}": {{
              "sip_ip_access_control_list": [{{"sid": "{acl}", "values": {{"friendly_name": "office"}}}}],
              "sip_ip_address": [{{"sid": "{address}", "parents": ["{acl}"],
                "values": {{"friendly_name": "gw", "ip_address": "198.51.100.7", "cidr_prefix_length": 32}}}}]
            }}}}}}"#
    );
    std::fs::write(&state, &text).unwrap();
    let server = Server::start(&["--state", state.to_str().unwrap()]);
    assert_eq!(
        (server.account_sid.as_str(), server.auth_token.as_str()),
        (account.as_str(), "ci-token")
    );
    let listed = server
        .client()
        .sip_ip_access_control_list(acl.as_str())
        .ip_addresses()
        .list()
        .collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].sid.as_str(), address);
    assert_eq!(listed[0].ip_address.as_deref(), Some("198.51.100.7"));
    assert_eq!(listed[0].friendly_name.as_deref(), Some("gw"));
    let (status, _) = server.stop("INT");
    assert_eq!(status.code(), Some(0));
    let saved = read_json(&state);
    let saved_address = &saved["records"][account.as_str()]["sip_ip_address"][0];
    assert_eq!(saved_address["values"]["ip_address"], "198.51.100.7");
    assert!(saved_address["date_created"].is_string(), "{saved_address}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bad_state_file_is_refused_naming_the_file_and_the_entry() {
    let dir = temp_dir("bad");
    let state = dir.join("state.json");
    let state_arg = state.to_str().unwrap();
    let account = format!("AC{}", "a".repeat(32));
    let write = |text: &str| std::fs::write(&state, text).unwrap();
    // Two IP records; the second with `values` (a valid one if blank).
    let record = |sid: &str, values: &str| {
        let values = if values.is_empty() {
            r#""values": {"ip_address": "192.0.2.3"},"#
        } else {
            values
        };
        format!(
            r#"{{"version": 1, "account_sid": "{account}", "auth_token": "t",
                "records": {{"{account}": {{"ip_record": [
                  {{"sid": "IL{}", "values": {{"ip_address": "192.0.2.1"}},
                    "date_created": "2026-01-01T00:00:00Z", "date_updated": "2026-01-01T00:00:00Z"}},
                  {{"sid": "{sid}", {values}
                    "date_created": "2026-01-01T00:00:00Z", "date_updated": "2026-01-01T00:00:00Z"}}
                ]}}}}}}"#,
            "b".repeat(32)
        )
    };
    let cases = [
        (
            "{\"version\": 1,\n \"account_sid\": 7}".to_owned(),
            "not a twilio-mock state file: invalid type: integer `7`, expected a string at line 2"
                .to_owned(),
        ),
        (
            record("ILxyz", ""),
            format!(
                "records.{account}.ip_record[1].sid: `ILxyz` is not a SID of IpRecord (IL and 32 hex digits)"
            ),
        ),
        (
            record(&format!("IL{}", "b".repeat(32)), ""),
            format!(
                "records.{account}.ip_record[1].sid: `IL{}` appears twice",
                "b".repeat(32)
            ),
        ),
        (
            record(
                &format!("IL{}", "c".repeat(32)),
                r#""values": {"ip_address": "192.0.2.3", "url": "x"},"#,
            ),
            format!("records.{account}.ip_record[1].values.url: not a stored property of IpRecord"),
        ),
        (
            record(
                &format!("IL{}", "c".repeat(32)),
                r#""values": {"ip_address": "192.0.2.300"},"#,
            ),
            format!("records.{account}.ip_record[1].values.ip_address: Invalid IpAddress: "),
        ),
        (
            record(
                &format!("IL{}", "c".repeat(32)),
                r#""values": {"ip_address": "192.0.2.3", "cidr_prefix_length": "32"},"#,
            ),
            format!(
                "records.{account}.ip_record[1].values.cidr_prefix_length: \"32\" where the emulator stores 32"
            ),
        ),
        (
            record(&format!("IL{}", "c".repeat(32)), r#""values": {},"#),
            format!(
                "records.{account}.ip_record[1].values: `ip_address` is missing (IpAddress is required on create)"
            ),
        ),
        (
            r#"{"version": 2, "account_sid": "x", "auth_token": "t"}"#.to_owned(),
            "version: 2 is not a version this twilio-mock reads (it reads 1)".to_owned(),
        ),
    ];
    for (text, expected) in cases {
        write(&text);
        let (code, stderr) = run_failing(&["--state", state_arg]);
        assert_eq!(code, Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!("state file {state_arg}: {expected}")),
            "expected {expected:?} in {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(
            std::fs::read_to_string(&state).unwrap(),
            text,
            "a refused file is left as it was"
        );
    }
    // The file's account is the main account: another --account-sid is refused.
    write(&record(&format!("IL{}", "c".repeat(32)), ""));
    let other = format!("AC{}", "d".repeat(32));
    let (code, stderr) = run_failing(&["--state", state_arg, "--account-sid", &other]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("its account is {account}, not {other}")),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn faults_from_the_command_line_apply_in_order_and_run_out() {
    let server = Server::start(&[
        "--fault",
        "POST:/v1/IpRecords:429:2",
        "--fault",
        "*:/v1/IpRecords:500",
    ]);
    let client = server.client();
    for _ in 0..2 {
        let err = client.ip_records().create("192.0.2.1").await.unwrap_err();
        assert_eq!(
            (err.status(), err.code()),
            (Some(429), Some(20429)),
            "{err}"
        );
    }
    let err = client.ip_records().list().send().await.unwrap_err();
    assert_eq!(
        (err.status(), err.code()),
        (Some(500), Some(20500)),
        "{err}"
    );
    let created = client.ip_records().create("192.0.2.1").await.unwrap();
    let listed = client.ip_records().list().collect().await.unwrap();
    assert_eq!(listed.len(), 1, "the faulted creates never landed");
    assert_eq!(listed[0].sid, created.sid);
    let (status, _) = server.stop("INT");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn a_bad_fault_is_a_usage_error_naming_the_part() {
    for (fault, part) in [
        ("GET:/v1", "is not METHOD:PATH_PREFIX:STATUS[:TIMES]"),
        ("GET:v1:500", "PATH_PREFIX `v1` does not start with `/`"),
        ("GET:/v1:200", "STATUS `200` is not an HTTP error status"),
        ("GET:/v1:500:none", "TIMES `none` is not a whole number"),
    ] {
        let (code, stderr) = run_failing(&["--fault", fault]);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!("invalid value '{fault}' for '--fault"))
                && stderr.contains(part),
            "{stderr}"
        );
    }
}

#[tokio::test]
async fn latency_delays_every_answer() {
    let slow = Server::start(&["--latency", "400"]);
    let fast = Server::start(&[]);
    let timed = |client: Client| async move {
        let start = Instant::now();
        client.ip_records().list().collect().await.unwrap();
        start.elapsed()
    };
    let (slow_time, fast_time) = (timed(slow.client()).await, timed(fast.client()).await);
    assert!(slow_time >= Duration::from_millis(400), "{slow_time:?}");
    assert!(fast_time < Duration::from_millis(400), "{fast_time:?}");
    // Refusals are late too: a wrong token's 401.
    let wrong = Client::builder()
        .account_sid(&slow.account_sid)
        .auth_token("not-the-token")
        .base_url(&slow.base_url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let start = Instant::now();
    let err = wrong.ip_records().list().send().await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert!(start.elapsed() >= Duration::from_millis(400));
    // Stopping does not wait out a pending answer's latency.
    let (status, _) = slow.stop("TERM");
    assert_eq!(status.code(), Some(0));
}

#[tokio::test]
async fn two_servers_on_two_ports_stand_for_two_regions() {
    const US: (&str, &str) = ("AC11111111111111111111111111111111", "us1-token");
    const IE: (&str, &str) = ("AC22222222222222222222222222222222", "ie1-token");
    let us = Server::start(&["--account-sid", US.0, "--auth-token", US.1]);
    let ie = Server::start(&["--account-sid", IE.0, "--auth-token", IE.1]);
    assert_ne!(us.base_url, ie.base_url);
    assert_eq!((us.account_sid.as_str(), us.auth_token.as_str()), US);
    assert_eq!((ie.account_sid.as_str(), ie.auth_token.as_str()), IE);
    // Each holds its own resources.
    us.client()
        .sip_ip_access_control_lists()
        .create("us only")
        .await
        .unwrap();
    let names = |server: &Server| {
        let client = server.client();
        async move {
            client
                .sip_ip_access_control_lists()
                .list()
                .collect()
                .await
                .unwrap()
                .into_iter()
                .filter_map(|list| list.friendly_name)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(names(&us).await, ["us only"]);
    assert!(names(&ie).await.is_empty());
    // One region's credentials are refused by the other, as Twilio refuses them.
    let crossed = Client::builder()
        .account_sid(US.0)
        .auth_token(US.1)
        .base_url(&ie.base_url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = crossed
        .sip_ip_access_control_lists()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(401), Some(20003)));
    for server in [us, ie] {
        let (status, _) = server.stop("TERM");
        assert_eq!(status.code(), Some(0));
    }
}
