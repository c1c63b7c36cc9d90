//! `allowlist::Interrupt`: stopping an apply from outside, as `twilio-allowlist` does on
//! Ctrl-C, on the embedded emulator (127.0.0.1 only).

#![cfg(all(feature = "allowlist", feature = "mock"))]

mod allowlist_support;

use std::time::{Duration, Instant};

use allowlist_support::{snapshot, writes};
use twilio_ip_access::{
    allowlist::{self, ApplyOptions, ChangeResult, Desired, Interrupt},
    mock::{MockConfig, MockTwilio},
};

/// A list of `n` addresses, 192.0.2.1…
fn desired(n: usize) -> Desired {
    let addresses: Vec<String> = (1..=n).map(|i| format!("\"192.0.2.{i}\"")).collect();
    Desired::from_toml(
        &format!(
            "[lists.office]\naddresses = [{}]\ntrunks = []\nsip_domains = []\n",
            addresses.join(", ")
        ),
        "allowlist.toml",
    )
    .unwrap()
}

#[tokio::test]
async fn stopped_before_it_starts_nothing_is_written() {
    let twilio = MockTwilio::start().await;
    let client = twilio.client();
    let plan = allowlist::plan(&client, &desired(3)).await.unwrap();
    let interrupt = Interrupt::new();
    interrupt.stop();
    twilio.clear_requests();
    let report = plan
        .apply(&client, ApplyOptions::default().interrupt(interrupt))
        .await
        .unwrap();
    assert!(writes(&twilio.requests()).is_empty());
    assert_eq!(report.not_attempted().count(), 4, "{report}");
    assert!(!report.is_complete());
}

#[tokio::test]
async fn stop_lets_the_writes_in_flight_finish_and_abort_does_not_wait() {
    let twilio = MockTwilio::start_with(MockConfig {
        latency: Duration::from_millis(300),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let client = twilio.client();
    let desired = desired(6);
    let plan = allowlist::plan(&client, &desired).await.unwrap();

    // Stop while the list is being created: it finishes, nothing after it starts.
    let interrupt = Interrupt::new();
    let options = ApplyOptions::default()
        .concurrency(2)
        .interrupt(interrupt.clone());
    let (report, ()) = tokio::join!(plan.apply(&client, options), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        interrupt.stop();
    });
    let report = report.unwrap();
    assert_eq!(report.outcomes[0].result, ChangeResult::Done, "{report}");
    let created = report.outcomes[0]
        .sid
        .clone()
        .expect("the created list's SID");
    assert!(created.starts_with("AL"), "{created}");
    assert_eq!(report.not_attempted().count(), 6, "{report}");
    let live = snapshot(&client).await;
    assert_eq!(live["office"].sid, created);
    assert!(live["office"].addresses.is_empty());

    // Abort while two addresses are in flight: apply returns at once, reporting them unknown.
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    let interrupt = Interrupt::new();
    let options = ApplyOptions::default()
        .concurrency(2)
        .interrupt(interrupt.clone());
    let started = Instant::now();
    let (report, ()) = tokio::join!(plan.apply(&client, options), async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        interrupt.abort();
    });
    let report = report.unwrap();
    // The writes in flight are answered 300 ms after they were sent.
    assert!(
        started.elapsed() < Duration::from_millis(250),
        "it waited: {:?}",
        started.elapsed()
    );
    let unknown: Vec<_> = report.unknown().collect();
    assert_eq!(unknown.len(), 2, "{report}");
    assert!(unknown.iter().all(|o| matches!(
        &o.result,
        ChangeResult::Unknown { error } if error == "interrupted while in flight"
    )));
    assert_eq!(report.not_attempted().count(), 4, "{report}");

    // Applying again converges, with every address once.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    assert!(
        plan.apply(&client, ApplyOptions::default())
            .await
            .unwrap()
            .is_complete()
    );
    let office = &snapshot(&client).await["office"];
    assert_eq!(office.addresses.len(), 6, "no duplicates: {office:?}");
}

/// Plan, apply and export are futures a caller can `tokio::spawn` (they are `Send`), so an
/// application can run an apply in a task of its own and interrupt it from another.
#[tokio::test]
async fn the_futures_are_send() {
    fn send<T: Send>(_: T) {}
    let twilio = MockTwilio::start().await;
    let client = twilio.client();
    let desired = desired(1);
    send(allowlist::plan(&client, &desired));
    send(allowlist::export(
        &client,
        allowlist::ExportOptions::default(),
    ));
    let plan = allowlist::plan(&client, &desired).await.unwrap();
    send(plan.apply(&client, ApplyOptions::default()));
    send(plan.verify(&client));
}
