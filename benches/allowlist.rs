//! Applying an allowlist from empty on the emulator with injected latency, one write at a time
//! and eight at a time: the speed-up, and the request count (exactly the changes plus the
//! documented reads).
//!
//! `cargo bench --features allowlist,mock --bench allowlist` runs 10 lists × 100 addresses with
//! 50 ms per request; `cargo test --benches` a quick 2 × 10 with 5 ms.

use std::time::{Duration, Instant};

use twilio_ip_access::{
    allowlist::{self, ApplyOptions, Desired, ListBuilder},
    mock::{Fault, MockTwilio},
};

mod support;

struct Run {
    elapsed: Duration,
    changes: usize,
    requests: usize,
}

async fn run(lists: usize, addresses: usize, latency: Duration, concurrency: usize) -> Run {
    let twilio = MockTwilio::start().await;
    twilio.create_trunk_named("edge", "edge.pstn.twilio.com");
    twilio.create_sip_domain_named("acme.sip.twilio.com", "acme");
    let mut builder = Desired::builder();
    for l in 0..lists {
        let mut list = ListBuilder::new(format!("list {l}"))
            .trunk("edge")
            .sip_domain("acme.sip.twilio.com");
        for a in 0..addresses {
            list = list.address(format!("10.{l}.{}.{}", a / 250, a % 250 + 1));
        }
        builder = builder.list(list);
    }
    let desired = builder.build().expect("a valid desired state");
    // Every request, read or write, answers `latency` late.
    twilio.inject(Fault::on("*", "/").delay(latency).times(u32::MAX));
    let client = twilio.client();
    let plan = allowlist::plan(&client, &desired).await.expect("a plan");
    let reads = twilio.requests().len();
    // The documented reads from empty: the lists, the trunks, the domains, one per trunk (1)
    // and per domain (1); no named list exists yet.
    assert_eq!(reads, 1 + 1 + 1 + 1 + 1);
    let started = Instant::now();
    let report = plan
        .apply(&client, ApplyOptions::default().concurrency(concurrency))
        .await
        .expect("applied");
    let elapsed = started.elapsed();
    assert!(report.is_complete(), "{report}");
    let changes = plan.changes().len();
    // Lists, addresses, and each list attached to the trunk and the domain.
    assert_eq!(changes, lists + lists * addresses + 2 * lists);
    let requests = twilio.requests().len();
    assert_eq!(
        requests,
        changes + reads,
        "exactly the changes plus the reads"
    );
    Run {
        elapsed,
        changes,
        requests,
    }
}

fn main() {
    let (lists, addresses, latency) = if support::quick() {
        (2, 10, Duration::from_millis(5))
    } else {
        (10, 100, Duration::from_millis(50))
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    println!(
        "allowlist apply from empty: {lists} lists × {addresses} addresses, {} ms per request",
        latency.as_millis()
    );
    let one = runtime.block_on(run(lists, addresses, latency, 1));
    let eight = runtime.block_on(run(lists, addresses, latency, 8));
    for (concurrency, r) in [(1, &one), (8, &eight)] {
        println!(
            "  concurrency {concurrency}: {:>8.2} s for {} changes ({} requests with the plan's reads; {:.0} changes/s)",
            r.elapsed.as_secs_f64(),
            r.changes,
            r.requests,
            r.changes as f64 / r.elapsed.as_secs_f64()
        );
    }
    let speedup = one.elapsed.as_secs_f64() / eight.elapsed.as_secs_f64();
    println!("  speed-up at concurrency 8: {speedup:.2}x (expected >= 6x)");
    if !support::quick() {
        assert!(speedup >= 6.0, "speed-up {speedup:.2}x is below 6x");
    }
}
