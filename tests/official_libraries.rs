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
    process::{Command, Stdio},
    time::Duration,
};

use common::process::TwilioMock;

/// Starts `twilio-mock --listen 127.0.0.1:0 --seed` and checks what it printed.
fn start_server() -> TwilioMock {
    let server = TwilioMock::start(&["--seed"]);
    assert!(
        server.base_url.starts_with("http://127.0.0.1:")
            && server.account_sid.starts_with("AC")
            && !server.auth_token.is_empty(),
        "{:#?}",
        server.printed
    );
    assert!(
        server.printed.iter().any(|l| l.contains("seed trunk")),
        "--seed seeds: {:#?}",
        server.printed
    );
    server
}

/// Runs `interpreter script BASE_URL ACCOUNT_SID AUTH_TOKEN` against a seeded `twilio-mock` and
/// asserts that it succeeds and prints `ok`.
fn drive(interpreter: &str, script: &str, ok: &str) {
    let server = start_server();
    let mut run = Command::new(interpreter)
        .arg(script)
        .args([&server.base_url, &server.account_sid, &server.auth_token])
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
