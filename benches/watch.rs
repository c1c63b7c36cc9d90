//! An idle `twilio-allowlist watch` cycle (nothing to change) against the emulator with 50 ms
//! before every answer: it must cost only the plan's reads. Measured against `plan` on the same
//! file in the same run, as the baseline: the requests of each (asserted equal, no write), the
//! time of `watch --once` and of `plan` (both a process each, interleaved, medians), and the
//! requests per cycle of a long-running `watch` over several cycles.
//!
//! `cargo bench --features cli,mock --bench watch` runs 4 lists of 25 addresses (half from a
//! `{ file = … }` source), each attached to a trunk and a SIP domain, 7 rounds at 50 ms per
//! request; `cargo test --benches` one round at 5 ms.

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use twilio_ip_access::mock::{MockConfig, MockTwilio};

mod support;

const BIN: &str = env!("CARGO_BIN_EXE_twilio-allowlist");

fn command(twilio: &MockTwilio, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(["--base-url", twilio.base_url()])
        .args(args)
        .env_clear()
        .env("TWILIO_ACCOUNT_SID", twilio.account_sid().as_str())
        .env("TWILIO_AUTH_TOKEN", twilio.auth_token())
        .stdin(Stdio::null());
    command
}

/// Runs the binary to its end, expecting `code`: its time, its standard output, and the
/// requests the emulator received meanwhile (none of them a write).
fn timed(twilio: &MockTwilio, args: &[&str], code: i32) -> (Duration, String, usize) {
    twilio.clear_requests();
    let started = Instant::now();
    let out = command(twilio, args).output().unwrap();
    let elapsed = started.elapsed();
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let requests = twilio.requests();
    assert!(
        requests.iter().all(|r| r.method == "GET"),
        "an idle run only reads"
    );
    (
        elapsed,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        requests.len(),
    )
}

fn main() {
    let (lists, addresses, latency, rounds) = if support::quick() {
        (2, 4, Duration::from_millis(5), 1)
    } else {
        (4, 25, Duration::from_millis(50), 7)
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let twilio = runtime
        .block_on(MockTwilio::start_with(MockConfig {
            latency,
            ..MockConfig::default()
        }))
        .unwrap();
    twilio.create_trunk_named("edge", "edge.pstn.twilio.com");
    twilio.create_sip_domain_named("acme.sip.twilio.com", "acme");
    let dir = std::env::temp_dir().join(format!(
        "twilio-allowlist-bench-watch-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let mut text = String::new();
    for l in 0..lists {
        let carrier: String = (addresses / 2..addresses)
            .map(|a| format!("10.{l}.1.{a}\n"))
            .collect();
        std::fs::write(dir.join(format!("carrier{l}.txt")), carrier).unwrap();
        let typed: Vec<String> = (0..addresses / 2)
            .map(|a| format!("\"10.{l}.0.{a}\""))
            .collect();
        text.push_str(&format!(
            "[lists.\"list {l}\"]\naddresses = [{}, {{ file = \"carrier{l}.txt\" }}]\ntrunks = [\"edge\"]\nsip_domains = [\"acme.sip.twilio.com\"]\n\n",
            typed.join(", ")
        ));
    }
    let file = dir.join("allowlist.toml");
    std::fs::write(&file, text).unwrap();
    let file = file.display().to_string();
    converge(&twilio, &file);

    println!(
        "idle watch cycle: {lists} lists × {addresses} addresses, each attached to a trunk and a domain, {} ms per request",
        latency.as_millis()
    );
    let (mut plans, mut cycles) = (Vec::new(), Vec::new());
    let (mut plan_requests, mut cycle_requests) = (0, 0);
    for _ in 0..rounds {
        let (elapsed, _, requests) = timed(&twilio, &["plan", "-f", &file, "-q"], 0);
        plans.push(elapsed);
        plan_requests = requests;
        let (elapsed, out, requests) =
            timed(&twilio, &["watch", "-f", &file, "--yes", "--once"], 0);
        assert!(out.contains("\"status\":\"unchanged\""), "{out}");
        cycles.push(elapsed);
        cycle_requests = requests;
    }
    assert_eq!(
        cycle_requests, plan_requests,
        "an idle cycle costs exactly the plan's reads"
    );
    let (plan, cycle) = (support::median(plans), support::median(cycles));
    println!(
        "  plan (baseline):  {:>7.3} s, {plan_requests} requests (median of {rounds}, one process each)",
        plan.as_secs_f64()
    );
    println!(
        "  watch --once:     {:>7.3} s, {cycle_requests} requests",
        cycle.as_secs_f64()
    );
    println!(
        "  ratio watch cycle / plan: time {:.2}, requests {:.2}",
        cycle.as_secs_f64() / plan.as_secs_f64(),
        cycle_requests as f64 / plan_requests as f64
    );

    // A long-running watch: requests per cycle over three idle cycles.
    twilio.clear_requests();
    let mut child = command(
        &twilio,
        &["watch", "-f", &file, "--yes", "--interval", "1s"],
    )
    .stdout(Stdio::piped())
    .spawn()
    .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let count = 3;
    for _ in 0..count {
        let line = lines.next().unwrap().unwrap();
        assert!(line.contains("\"status\":\"unchanged\""), "{line}");
    }
    let requests = twilio.requests().len();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        requests >= count * plan_requests && requests < (count + 1) * plan_requests,
        "{requests} requests in {count} cycles of {plan_requests} reads"
    );
    println!(
        "  long-running watch: {} requests per idle cycle over {count} cycles (the plan: {plan_requests})",
        requests / count
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Brings the account to the file, so that the cycles measured have nothing to do.
fn converge(twilio: &MockTwilio, file: &str) {
    let out = command(twilio, &["apply", "-f", file, "--yes", "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
