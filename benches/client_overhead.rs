//! Client overhead: fetching one IpRecord through the facade vs the same request made with plain
//! reqwest against the same local server, interleaved in the same run. Target: at most 5% more.
//!
//! `cargo bench --features mock --bench client_overhead`

mod support;

use std::time::{Duration, Instant};

use axum::{Router, routing::get};
use support::{AC, TOKEN, median, micros};
use twilio_ip_access::{Client, IpRecord, reqwest};

const SID: &str = "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const BODY: &str = r#"{"account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "sid": "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
"friendly_name": "friendly_name", "ip_address": "10.2.3.4", "cidr_prefix_length": 30,
"date_created": "2020-03-18T23:31:36Z", "date_updated": "2020-03-18T23:31:37Z",
"url": "https://voice.twilio.com/v1/IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#;

fn main() {
    let quick = support::quick();
    let (rounds, per_round) = if quick { (3, 20) } else { (41, 250) };
    let addr = support::serve(Router::new().route(
        "/v1/IpRecords/{sid}",
        get(|| async { ([("content-type", "application/json")], BODY) }),
    ));
    let base = format!("http://{addr}");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    let facade = Client::builder()
        .account_sid(AC)
        .auth_token(TOKEN)
        .base_url(&base)
        .build()
        .unwrap();
    let raw = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let url = format!("{base}/v1/IpRecords/{SID}");

    let facade_once = || async {
        let record = facade.ip_records().fetch(SID).await.unwrap();
        assert!(record.sid.as_str().starts_with("IL"));
    };
    let raw_once = || async {
        let record: IpRecord = raw
            .get(&url)
            .basic_auth(AC, Some(TOKEN))
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(record.sid.as_str().starts_with("IL"));
    };

    rt.block_on(async {
        for _ in 0..per_round {
            facade_once().await;
            raw_once().await;
        }
        let (mut f, mut r) = (Vec::new(), Vec::new());
        for round in 0..rounds {
            // Alternate which goes first so that neither always gets the warmer cache.
            for which in if round % 2 == 0 { [0, 1] } else { [1, 0] } {
                let started = Instant::now();
                for _ in 0..per_round {
                    if which == 0 {
                        facade_once().await
                    } else {
                        raw_once().await
                    }
                }
                let per_request = started.elapsed() / per_round;
                if which == 0 {
                    f.push(per_request)
                } else {
                    r.push(per_request)
                }
            }
        }
        report(median(f), median(r), rounds, per_round);
    });
}

fn report(facade: Duration, raw: Duration, rounds: usize, per_round: u32) {
    let ratio = facade.as_secs_f64() / raw.as_secs_f64();
    println!(
        "client overhead: fetch one IpRecord, {rounds} interleaved rounds of {per_round} sequential requests"
    );
    println!(
        "  facade        {:>8.1} µs/request (median of rounds)",
        micros(facade)
    );
    println!("  plain reqwest {:>8.1} µs/request", micros(raw));
    println!("  ratio facade/reqwest = {ratio:.3} (target <= 1.05)");
}
