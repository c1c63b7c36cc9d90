//! The emulator under concurrent load on this machine: fetches and lists per second, against a
//! bare axum handler that answers the same bytes without auth, state or validation (the upper
//! bound on this machine), measured in the same run. Target: at least 20,000 fetches/s.
//!
//! `cargo bench --features mock --bench emulator`

mod support;

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{Router, routing::get};
use twilio_ip_access::{mock::MockTwilio, reqwest};

const CONCURRENCY: usize = 32;

/// Keeps `CONCURRENCY` requests in flight against `url` for `period`; returns requests/s.
async fn load(client: &reqwest::Client, url: &str, auth: (&str, &str), period: Duration) -> f64 {
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let (client, url, stop, done) =
            (client.clone(), url.to_owned(), stop.clone(), done.clone());
        let (user, password) = (auth.0.to_owned(), auth.1.to_owned());
        workers.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let response = client
                    .get(&url)
                    .basic_auth(&user, Some(&password))
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success(), "{}", response.status());
                response.bytes().await.unwrap();
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(period).await;
    stop.store(true, Ordering::Relaxed);
    let count = done.load(Ordering::Relaxed);
    let elapsed = started.elapsed();
    for worker in workers {
        worker.await.unwrap();
    }
    count as f64 / elapsed.as_secs_f64()
}

fn main() {
    let period = if support::quick() {
        Duration::from_millis(300)
    } else {
        Duration::from_secs(4)
    };
    // The emulator on a runtime and thread of its own, like the load generator's counterpart.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let twilio = MockTwilio::start().await;
            tx.send((
                twilio.base_url().to_owned(),
                twilio.account_sid().to_string(),
                twilio.auth_token().to_owned(),
                twilio.create_ip_access_control_list("bench"),
            ))
            .unwrap();
            // Keep the emulator (and this runtime) alive for the rest of the process.
            std::future::pending::<()>().await;
            drop(twilio);
        });
    });
    let (base, account, token, acl) = rx.recv().unwrap();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let client = twilio_ip_access::Client::builder().account_sid(&account).auth_token(&token).base_url(&base).build().unwrap();
        let record = client.ip_records().create("203.0.113.10").friendly_name("bench").await.unwrap();
        let addresses = client.sip_ip_access_control_list(acl.as_str()).ip_addresses();
        for n in 0..50 {
            addresses.create(format!("a{n}"), format!("198.51.100.{n}")).await.unwrap();
        }
        let record_sid = record.sid;
        let fetch_url = format!("{base}/v1/IpRecords/{record_sid}");
        let list_url = format!("{base}/2010-04-01/Accounts/{account}/SIP/IpAccessControlLists/{acl}/IpAddresses.json?PageSize=20");

        // The bare baseline answers the emulator's own fetch body.
        let raw = reqwest::Client::new();
        let fetch_body = raw.get(&fetch_url).basic_auth(&account, Some(&token)).send().await.unwrap().text().await.unwrap();
        let list_body = raw.get(&list_url).basic_auth(&account, Some(&token)).send().await.unwrap().text().await.unwrap();
        let bare = support::serve(
            Router::new()
                .route("/fetch", get(move || { let b = fetch_body.clone(); async move { ([("content-type", "application/json")], b) } }))
                .route("/list", get(move || { let b = list_body.clone(); async move { ([("content-type", "application/json")], b) } })),
        );

        let auth = (account.as_str(), token.as_str());
        let fetches = load(&raw, &fetch_url, auth, period).await;
        let bare_fetches = load(&raw, &format!("http://{bare}/fetch"), auth, period).await;
        let lists = load(&raw, &list_url, auth, period).await;
        let bare_lists = load(&raw, &format!("http://{bare}/list"), auth, period).await;
        println!("emulator: {CONCURRENCY} concurrent requests, {period:?} each, plain reqwest as the load generator on the same 2 cores");
        println!(
            "  fetch IpRecord            {fetches:>9.0} req/s; bare axum {bare_fetches:>9.0} req/s; ratio {:.2} (target >= 20000 req/s)",
            fetches / bare_fetches
        );
        println!(
            "  list 20 SIP IP addresses  {lists:>9.0} req/s; bare axum {bare_lists:>9.0} req/s; ratio {:.2}",
            lists / bare_lists
        );
    });
}
