//! On the emulator with injected latency:
//!
//! - applying an allowlist from empty, one write at a time and eight at a time: the speed-up,
//!   and the request count (exactly the changes plus the documented reads);
//! - planning on an account with many trunks and SIP domains (one read each), one read at a
//!   time and at the default read concurrency: the ratio, and the time against the 7 s target.
//!
//! `cargo bench --features allowlist,mock --bench allowlist` runs 10 lists × 100 addresses, and
//! 1,000 trunks + 1,000 SIP domains, with 50 ms per request (the one-at-a-time plan alone takes
//! about 100 s); `cargo test --benches` a quick 2 × 10 and 50 + 50 with 5 ms.

use std::time::{Duration, Instant};

use twilio_ip_access::{
    allowlist::{self, ApplyOptions, DEFAULT_READ_CONCURRENCY, Desired, ListBuilder, ReadOptions},
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

/// Plans one list attached to one trunk on an account of `targets` trunks and as many SIP
/// domains, reading `concurrency` at a time; the time of the plan and its request count.
async fn plan_reads(targets: usize, latency: Duration, concurrency: usize) -> (Duration, usize) {
    let twilio = MockTwilio::start().await;
    for t in 0..targets {
        twilio.create_trunk_named(&format!("trunk {t}"), &format!("t{t}.pstn.twilio.com"));
        twilio.create_sip_domain_named(&format!("d{t}.sip.twilio.com"), &format!("d{t}"));
    }
    let desired = Desired::builder()
        .list(
            ListBuilder::new("office")
                .address("198.51.100.7")
                .trunk("trunk 0"),
        )
        .build()
        .expect("a valid desired state");
    twilio.inject(Fault::on("*", "/").delay(latency).times(u32::MAX));
    let client = twilio.client();
    let started = Instant::now();
    let plan = allowlist::plan_with(
        &client,
        &desired,
        ReadOptions::default().concurrency(concurrency),
    )
    .await
    .expect("a plan");
    let elapsed = started.elapsed();
    assert_eq!(plan.summary().total(), 3, "create, add, attach");
    let requests = twilio.requests().len();
    // The lists, the trunks, the domains, and one per trunk and per domain.
    assert_eq!(requests, 3 + 2 * targets);
    (elapsed, requests)
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

    let (targets, latency) = if support::quick() {
        (50, Duration::from_millis(5))
    } else {
        (1000, Duration::from_millis(50))
    };
    println!(
        "allowlist plan: {targets} trunks + {targets} SIP domains, {} ms per request",
        latency.as_millis()
    );
    let (one, requests) = runtime.block_on(plan_reads(targets, latency, 1));
    let (default, _) = runtime.block_on(plan_reads(targets, latency, DEFAULT_READ_CONCURRENCY));
    for (concurrency, elapsed) in [(1, one), (DEFAULT_READ_CONCURRENCY, default)] {
        println!(
            "  read concurrency {concurrency:>2}: {:>8.2} s for {requests} reads",
            elapsed.as_secs_f64()
        );
    }
    let ratio = one.as_secs_f64() / default.as_secs_f64();
    println!(
        "  speed-up at the default read concurrency ({DEFAULT_READ_CONCURRENCY}): {ratio:.2}x; target: at most 7 s for 1,000 + 1,000 at 50 ms"
    );
    if !support::quick() {
        assert!(
            default <= Duration::from_secs(7),
            "the plan took {:.2} s, over 7 s",
            default.as_secs_f64()
        );
    }
}
