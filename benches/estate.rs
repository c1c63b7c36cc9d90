//! Planning an estate of 10 accounts at once, under one [`RequestLimit`] for the process,
//! against planning them one at a time, on emulators answering 50 ms late.
//!
//! Each account is an emulator of its own (as a region would be), holding 10 trunks, 10 SIP
//! domains and the 20 lists its desired state names, each list attached to a trunk and a
//! domain; the desired state adds one address to every list, so each plan reads every list,
//! trunk and domain and finds 20 changes. Every account has a client of its own, all of them
//! sharing one [`RequestLimit`] of `DEFAULT_ESTATE_REQUESTS_IN_FLIGHT`. The baselines, in the
//! same run: each account planned alone, one after the other (their sum, and the slowest); the
//! measure: all ten planned at once. Rounds alternate the two; medians are reported.
//!
//! `cargo bench --features allowlist,mock --bench estate` runs 5 rounds at 50 ms per request
//! and asserts the estate takes at most 1.5× its slowest account; `cargo test --benches` one
//! round at 5 ms, without the assertion.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use twilio_ip_access::{
    RequestLimit,
    allowlist::{
        self, ApplyOptions, DEFAULT_READ_CONCURRENCY, Desired, ListBuilder, Plan, PlanOptions,
        estate::{self, EstateAccount, EstatePlan},
    },
    mock::{Fault, MockTwilio},
};

mod support;

const ACCOUNTS: usize = 10;
const TRUNKS: usize = 10;
const SIP_DOMAINS: usize = 10;
const LISTS: usize = 20;
/// Addresses of each list already live; the desired state adds one more.
const LIVE_ADDRESSES: usize = 2;

/// One account of the estate: its emulator, and what `estate::plan` takes (its `Account`, its
/// client sharing the estate's limit, its desired state).
struct Account {
    twilio: MockTwilio,
    estate: EstateAccount,
}

/// The lists of one account, each with `addresses` addresses, list `l` attached to trunk
/// `l % TRUNKS` and SIP domain `l % SIP_DOMAINS`.
fn desired(addresses: usize) -> Desired {
    let mut builder = Desired::builder();
    for l in 0..LISTS {
        let mut list = ListBuilder::new(format!("list {l}"))
            .trunk(format!("trunk {}", l % TRUNKS))
            .sip_domain(format!("d{}.sip.twilio.com", l % SIP_DOMAINS));
        for a in 0..addresses {
            list = list.address(format!("10.{l}.0.{}", a + 1));
        }
        builder = builder.list(list);
    }
    builder.build().expect("a valid desired state")
}

/// An account on `twilio`, an emulator of its own, holding the lists with [`LIVE_ADDRESSES`] each; every
/// request answered `latency` late from then on.
async fn account(n: usize, twilio: MockTwilio, limit: &RequestLimit, latency: Duration) -> Account {
    for t in 0..TRUNKS {
        twilio.create_trunk_named(&format!("trunk {t}"), &format!("t{t}.pstn.twilio.com"));
    }
    for d in 0..SIP_DOMAINS {
        twilio.create_sip_domain_named(&format!("d{d}.sip.twilio.com"), &format!("d{d}"));
    }
    let client = twilio
        .client_builder()
        .request_limit(limit.clone())
        .build()
        .expect("a client");
    let live = desired(LIVE_ADDRESSES);
    let report = allowlist::plan(&client, &live)
        .await
        .expect("a plan")
        .apply(&client, ApplyOptions::default())
        .await
        .expect("applied");
    assert!(report.is_complete(), "{report}");
    twilio.inject(Fault::on("*", "/").delay(latency).times(u32::MAX));
    twilio.clear_requests();
    let account =
        allowlist::Account::placeholder(format!("account-{n}"), twilio.account_sid().clone())
            .with_base_url(twilio.base_url());
    Account {
        twilio,
        estate: EstateAccount::new(account, client, desired(LIVE_ADDRESSES + 1)),
    }
}

/// Plans `accounts` at once, as `twilio-allowlist` plans a file with `[accounts]` (each
/// account's credentials checked with one read first, then its plan).
async fn plan_estate(accounts: &[&Account]) -> EstatePlan {
    let plan = estate::plan(
        accounts.iter().map(|a| a.estate.clone()).collect(),
        PlanOptions::default(),
    )
    .await;
    assert_eq!(plan.failed().count(), 0, "{plan}");
    plan
}

/// Checks what a plan of one account found and what it cost: one new address per list, and the
/// same reads for every account and every run; returns how many.
fn check(account: &Account, plan: &Plan, reads: &mut Option<usize>) {
    assert_eq!(plan.summary().total(), LISTS, "one address per list");
    let requests = account.twilio.requests();
    assert!(
        requests.iter().all(|r| r.method == "GET"),
        "a plan only reads"
    );
    assert_eq!(*reads.get_or_insert(requests.len()), requests.len());
    assert!(account.twilio.peak_requests_in_flight() <= DEFAULT_READ_CONCURRENCY);
    account.twilio.clear_requests();
}

fn main() {
    let (latency, rounds) = if support::quick() {
        (Duration::from_millis(5), 1)
    } else {
        (Duration::from_millis(50), 5)
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let limit = RequestLimit::default();
    // Each emulator on a thread of its own, as a region is a server of its own.
    let emulators = (0..ACCOUNTS).map(|_| MockTwilio::start_blocking());
    let accounts: Vec<Account> = runtime.block_on(join_all(
        emulators
            .enumerate()
            .map(|(n, twilio)| account(n, twilio, &limit, latency)),
    ));
    println!(
        "estate plan: {ACCOUNTS} accounts (an emulator each) × {TRUNKS} trunks, {SIP_DOMAINS} SIP domains, {LISTS} lists; {} ms per request; one RequestLimit of {}",
        latency.as_millis(),
        limit.bound()
    );
    let mut reads = None;
    let (mut sums, mut slowest, mut estates) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        // Baseline: one account at a time.
        let mut each = Vec::new();
        for account in &accounts {
            let started = Instant::now();
            let plan = runtime.block_on(plan_estate(&[account]));
            each.push(started.elapsed());
            let (_, plan) = plan.plans().next().expect("one plan");
            check(account, plan, &mut reads);
        }
        sums.push(each.iter().sum());
        slowest.push(each.into_iter().max().unwrap_or_default());
        // Measured: all at once.
        let started = Instant::now();
        let plans = runtime.block_on(plan_estate(&accounts.iter().collect::<Vec<_>>()));
        estates.push(started.elapsed());
        for (account, (_, plan)) in accounts.iter().zip(plans.plans()) {
            check(account, plan, &mut reads);
        }
        assert_eq!(limit.available(), limit.bound(), "every permit returned");
    }
    let (sum, slowest, estate) = (
        support::median(sums),
        support::median(slowest),
        support::median(estates),
    );
    let reads = reads.unwrap_or_default();
    println!(
        "  one at a time (baseline): {:>7.3} s in all, slowest account {:.3} s ({reads} reads each; medians of {rounds})",
        sum.as_secs_f64(),
        slowest.as_secs_f64()
    );
    println!(
        "  all at once:              {:>7.3} s for {} reads",
        estate.as_secs_f64(),
        reads * ACCOUNTS
    );
    let to_slowest = estate.as_secs_f64() / slowest.as_secs_f64();
    let target = if support::quick() {
        "target <= 1.5 under `cargo bench`; a quick unoptimised run is not held to it"
    } else {
        "target <= 1.5"
    };
    println!(
        "  ratio to the slowest account: {to_slowest:.2} ({target}); to the sum: {:.2}",
        estate.as_secs_f64() / sum.as_secs_f64()
    );
    if !support::quick() {
        assert!(
            to_slowest <= 1.5,
            "the estate took {to_slowest:.2}x its slowest account, over 1.5x"
        );
    }
}
