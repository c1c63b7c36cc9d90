//! Pagination: stream SIP IP addresses (page size 1,000) from a local server that makes up the
//! pages, through the facade's lazy stream. Reports records per second against a hand-written
//! plain-reqwest page loop in the same run, and the client's peak heap for 10,000 and 100,000
//! records: it must stay flat as the total grows.
//!
//! The timed passes of both sides run with the heap counter off (the same allocator path for
//! both); the peak is measured in a separate, untimed pass of the facade.
//!
//! `cargo bench --features mock --bench pagination`

mod support;

use std::{
    alloc::{GlobalAlloc, Layout, System},
    cell::Cell,
    sync::atomic::{AtomicIsize, Ordering},
    time::Instant,
};

use axum::{
    Router,
    extract::{Query, State},
    routing::get,
};
use futures_util::TryStreamExt;
use support::{AC, TOKEN};
use twilio_ip_access::{Client, SipIpAddress, reqwest};

/// Counts the heap of the measured (main) thread only: the server's threads allocate too.
struct Counting;

// Signed: memory allocated before counting started may be freed while it runs.
static CURRENT: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
thread_local! {
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}

fn counted() -> bool {
    COUNTED.try_with(Cell::get).unwrap_or(false)
}

// SAFETY: delegates every call to the system allocator unchanged; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if counted() {
            let size = layout.size() as isize;
            let now = CURRENT.fetch_add(size, Ordering::Relaxed) + size;
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if counted() {
            CURRENT.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const AL: &str = "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

#[derive(serde::Deserialize)]
struct PageQuery {
    #[serde(rename = "PageSize")]
    page_size: usize,
    #[serde(rename = "Page")]
    page: Option<usize>,
}

fn list_path() -> String {
    format!("/2010-04-01/Accounts/{AC}/SIP/IpAccessControlLists/{AL}/IpAddresses.json")
}

/// A 2010 page of `page_size` made-up addresses out of `total`, with a relative next link.
async fn page(
    State(total): State<usize>,
    Query(q): Query<PageQuery>,
) -> ([(&'static str, &'static str); 1], String) {
    let page = q.page.unwrap_or(0);
    let start = page * q.page_size;
    let end = (start + q.page_size).min(total);
    let mut items = String::with_capacity(q.page_size * 420);
    for n in start..end {
        if n > start {
            items.push(',');
        }
        items.push_str(&format!(
            r#"{{"account_sid":"{AC}","date_created":"Mon, 20 Jul 2015 17:27:10 +0000","date_updated":"Mon, 20 Jul 2015 17:27:10 +0000","friendly_name":"address {n}","ip_access_control_list_sid":"{AL}","ip_address":"10.{}.{}.{}","cidr_prefix_length":32,"sid":"IP{n:032x}","uri":"{}/IP{n:032x}.json"}}"#,
            (n >> 16) & 255,
            (n >> 8) & 255,
            n & 255,
            list_path().trim_end_matches(".json"),
        ));
    }
    let next = if end < total {
        format!(
            r#""{}?PageSize={}&Page={}&PageToken=PA{end:x}""#,
            list_path(),
            q.page_size,
            page + 1
        )
    } else {
        "null".into()
    };
    let body = format!(
        r#"{{"end":{},"first_page_uri":"{}?PageSize={}&Page=0","ip_addresses":[{items}],"next_page_uri":{next},"page":{page},"page_size":{},"previous_page_uri":null,"start":{start},"uri":"{}"}}"#,
        end.saturating_sub(1),
        list_path(),
        q.page_size,
        q.page_size,
        list_path()
    );
    ([("content-type", "application/json")], body)
}

#[derive(serde::Deserialize)]
struct RawPage {
    ip_addresses: Vec<SipIpAddress>,
    next_page_uri: Option<String>,
}

fn main() {
    let quick = support::quick();
    let totals: &[usize] = if quick {
        &[2_000, 5_000]
    } else {
        &[10_000, 100_000]
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "pagination: SIP IP addresses, page size 1000, 2010 envelope with relative next_page_uri"
    );
    let mut peaks = Vec::new();
    for &total in totals {
        let addr = support::serve(
            Router::new()
                .route(&list_path(), get(page))
                .with_state(total),
        );
        let base = format!("http://{addr}");
        let client = Client::builder()
            .account_sid(AC)
            .auth_token(TOKEN)
            .base_url(&base)
            .build()
            .unwrap();
        let raw = reqwest::Client::new();

        // Plain reqwest page loop: the baseline.
        let raw_run = || {
            let started = Instant::now();
            let mut count = 0;
            let mut next = Some(format!("{}?PageSize=1000", list_path()));
            rt.block_on(async {
                while let Some(uri) = next.take() {
                    let page: RawPage = raw
                        .get(format!("{base}{uri}"))
                        .basic_auth(AC, Some(TOKEN))
                        .send()
                        .await
                        .unwrap()
                        .json()
                        .await
                        .unwrap();
                    // Each record is taken, as the facade's stream hands each one over.
                    for address in page.ip_addresses {
                        std::hint::black_box(&address);
                        count += 1;
                    }
                    next = page.next_page_uri.filter(|u| !u.is_empty());
                }
            });
            assert_eq!(count, total);
            total as f64 / started.elapsed().as_secs_f64()
        };

        // The facade's stream; with `count`, the heap of this thread is counted (untimed).
        let facade_run = |count: bool| {
            CURRENT.store(0, Ordering::Relaxed);
            PEAK.store(0, Ordering::Relaxed);
            COUNTED.with(|c| c.set(count));
            let started = Instant::now();
            let streamed = rt.block_on(async {
                let addresses = client.sip_ip_access_control_list(AL).ip_addresses();
                let mut stream = std::pin::pin!(addresses.list().page_size(1000).stream());
                let mut n = 0usize;
                while let Some(address) = stream.try_next().await.unwrap() {
                    std::hint::black_box(&address);
                    n += 1;
                }
                n
            });
            let elapsed = started.elapsed();
            COUNTED.with(|c| c.set(false));
            assert_eq!(streamed, total);
            (
                total as f64 / elapsed.as_secs_f64(),
                PEAK.load(Ordering::Relaxed).max(0) as usize,
            )
        };

        // Interleaved, so that neither side gets only cold runs: the best rate of three each,
        // and the median peak (the peak depends a little on how the bodies arrive in chunks).
        let (mut raw_rate, mut rate, mut peaks_here) = (0f64, 0f64, Vec::new());
        for _ in 0..3 {
            raw_rate = raw_rate.max(raw_run());
            rate = rate.max(facade_run(false).0);
            peaks_here.push(facade_run(true).1);
        }
        peaks_here.sort();
        let peak = peaks_here[1];
        peaks.push(peak);
        println!(
            "  {total:>7} records: facade {rate:>9.0} records/s, plain reqwest {raw_rate:>9.0} records/s (ratio {:.2}), client peak heap {:.2} MiB",
            rate / raw_rate,
            peak as f64 / (1024.0 * 1024.0)
        );
    }
    let growth = peaks[1] as f64 / peaks[0] as f64;
    println!(
        "  peak heap ratio {}k/{}k records = {growth:.2} (10x the records: a client that kept them would show about 10)",
        totals[1] / 1000,
        totals[0] / 1000
    );
}
