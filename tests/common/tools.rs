//! Tools outside Rust that tests run (Twilio's official Python and Node libraries, the reference
//! OpenAPI 3.0 validator): which interpreter, whether it has what a test needs, and what the
//! test does when it does not.
//!
//! `.ci/run` installs pinned versions of them: a Python virtual environment named by `PYTHON`
//! (default `python3`) and Node packages found through `NODE_PATH` (interpreter `NODE`, default
//! `node`). Without them a test fails under `CI=true`; elsewhere it says that it skipped on the
//! terminal, where `cargo test` shows it without `--nocapture`, and passes.

use std::process::Command;

/// The Python interpreter: `PYTHON`, or `python3`.
pub fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// The Node interpreter: `NODE`, or `node`.
pub fn node() -> String {
    std::env::var("NODE").unwrap_or_else(|_| "node".to_owned())
}

/// Whether this is a CI run (`CI=true`, as CI services and `.ci/run` set it).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// Why `program -e|-c code` fails, if it does.
fn fails(program: &str, flag: &str, code: &str) -> Option<String> {
    match Command::new(program).args([flag, code]).output() {
        Ok(output) if output.status.success() => None,
        Ok(output) => Some(format!(
            "`{program} {flag} \"{code}\"` failed ({}): {}",
            output.status,
            why(&String::from_utf8_lossy(&output.stderr))
        )),
        Err(e) => Some(format!("`{program}` cannot be run: {e}")),
    }
}

/// The line of an interpreter's error output that says why (`ModuleNotFoundError: …`,
/// `Error: Cannot find module …`): the last one naming an error, else the last one.
fn why(stderr: &str) -> &str {
    let lines = || {
        stderr
            .lines()
            .rev()
            .map(str::trim)
            .filter(|l| !l.is_empty())
    };
    lines()
        .find(|line| line.contains("Error"))
        .or_else(|| lines().next())
        .unwrap_or_default()
}

/// The Python interpreter when it imports `modules`; otherwise see [`unavailable`].
pub fn python_with(test: &str, modules: &[&str], packages: &str) -> Option<String> {
    let python = python();
    match fails(&python, "-c", &format!("import {}", modules.join(", "))) {
        None => Some(python),
        Some(reason) => unavailable(
            test,
            &format!(
                "{reason}. `bash .ci/run` installs it; or `python3 -m venv venv && \
                 venv/bin/pip install {packages}` and run with PYTHON=venv/bin/python"
            ),
        ),
    }
}

/// The Node interpreter when it loads `package`; otherwise see [`unavailable`].
pub fn node_with(test: &str, package: &str) -> Option<String> {
    let node = node();
    match fails(&node, "-e", &format!("require('{package}')")) {
        None => Some(node),
        Some(reason) => unavailable(
            test,
            &format!(
                "{reason}. `bash .ci/run` installs it; or `npm install --prefix node {package}` \
                 and run with NODE_PATH=node/node_modules"
            ),
        ),
    }
}

/// Fails the test under `CI=true`; elsewhere tells the terminal that `test` skipped and why
/// (the harness captures `eprintln!` of passing tests, so this writes to stderr directly).
fn unavailable(test: &str, message: &str) -> Option<String> {
    if in_ci() {
        panic!("{test}: CI=true and {message}");
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "\nSKIPPED {test}: {message}");
    None
}
