//! Twilio's official libraries, unchanged, against the standalone `twilio-mock` binary: the
//! scripts `tests/python/new_operations.py` (twilio-python) and `tests/node/new_operations.js`
//! (twilio-node) drive the 13 operations of the SIP IP access control lists, SIP domains, domain
//! mappings and trunks, and check what the library makes of the answers.
//!
//! `.ci/run` installs pinned versions of both libraries (a virtual environment from PyPI, a
//! package from npm); without one its test fails under `CI=true` and reports a skip elsewhere
//! (`common::tools`). Everything here talks to 127.0.0.1 only.

#![cfg(feature = "mock")]

mod common;

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

/// The server, killed and reaped when the test ends (passing or not).
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What `twilio-mock` printed on start.
#[derive(Debug, Default)]
struct Started {
    base_url: String,
    account_sid: String,
    auth_token: String,
}

/// Starts `twilio-mock --listen 127.0.0.1:0 --seed` and reads its address and credentials.
fn start_server() -> (Server, Started) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_twilio-mock"))
        .args(["--listen", "127.0.0.1:0", "--seed"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("twilio-mock starts");
    let stdout = child.stdout.take().expect("a stdout pipe");
    let server = Server(child);
    // Lines are read on a thread of their own, so that a server that never prints cannot hang
    // the test; the thread drains the pipe until the server exits.
    let (lines_tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines_tx.send(line).is_err() {
                // Nobody listens any more: keep draining so the server never blocks on a write.
                continue;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut started = Started::default();
    let mut printed = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = match lines.recv_timeout(left) {
            Ok(line) => line,
            Err(e) => {
                panic!("twilio-mock did not finish starting ({e}); it printed:\n{printed:#?}")
            }
        };
        let field = |label: &str| {
            line.trim().strip_prefix(label).map(|rest| {
                rest.split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
        };
        if let Some(url) = field("Twilio emulator listening on") {
            started.base_url = url;
        } else if let Some(sid) = field("account SID:") {
            started.account_sid = sid;
        } else if let Some(token) = field("auth token:") {
            started.auth_token = token;
        }
        let ready = line.starts_with("Press Ctrl-C");
        printed.push(line);
        if ready {
            break;
        }
    }
    assert!(
        started.base_url.starts_with("http://127.0.0.1:")
            && started.account_sid.starts_with("AC")
            && !started.auth_token.is_empty(),
        "{started:?} from:\n{printed:#?}"
    );
    assert!(
        printed.iter().any(|l| l.contains("seed trunk")),
        "--seed seeds: {printed:#?}"
    );
    (server, started)
}

/// Runs `interpreter script BASE_URL ACCOUNT_SID AUTH_TOKEN` against a seeded `twilio-mock` and
/// asserts that it succeeds and prints `ok`.
fn drive(interpreter: &str, script: &str, ok: &str) {
    let (_server, started) = start_server();
    let mut run = Command::new(interpreter)
        .arg(script)
        .args([&started.base_url, &started.account_sid, &started.auth_token])
        // Loopback only: no proxy, no region or edge rewriting by the library.
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost")
        .env_remove("TWILIO_REGION")
        .env_remove("TWILIO_EDGE")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the script starts");
    // The pipes are drained on threads of their own while the script runs.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let stdout = drain(
        run.stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    );
    let stderr = drain(
        run.stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn std::io::Read + Send>),
    );
    let status = common::process::wait_for_exit(
        &mut run,
        Duration::from_secs(120),
        &format!("{script} (it should have finished)"),
    );
    let stdout = stdout.join().expect("stdout is read");
    let stderr = stderr.join().expect("stderr is read");
    println!("{stdout}");
    assert!(
        status.success(),
        "{script} failed ({status}):\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(ok), "{stdout}\n{stderr}");
}

#[test]
fn twilio_python_library_drives_the_new_operations_against_twilio_mock() {
    let Some(python) = common::tools::python_with(
        "twilio_python_library_drives_the_new_operations_against_twilio_mock",
        &["twilio"],
        "twilio",
    ) else {
        return;
    };
    drive(
        &python,
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/python/new_operations.py"
        ),
        "OK: twilio-python drove 13 operations",
    );
}

#[test]
fn twilio_node_library_drives_the_new_operations_against_twilio_mock() {
    let Some(node) = common::tools::node_with(
        "twilio_node_library_drives_the_new_operations_against_twilio_mock",
        "twilio",
    ) else {
        return;
    };
    drive(
        &node,
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/node/new_operations.js"),
        "OK: twilio-node drove 13 operations",
    );
}
