//! What the benchmarks share: a tiny HTTP server on its own thread and runtime (so that it does
//! not compete with the measured client's runtime), and medians.
#![allow(dead_code)]

use std::{net::SocketAddr, time::Duration};

pub const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const TOKEN: &str = "bench-token";

/// Serves `router` on 127.0.0.1 from a thread of its own; returns its address.
pub fn serve(router: axum::Router) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, router).await.unwrap();
        });
    });
    addr
}

pub fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

pub fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// `cargo bench` passes `--bench`; `cargo test --benches` passes nothing. A quick mode for the
/// latter keeps CI fast while still running every line.
pub fn quick() -> bool {
    !std::env::args().any(|a| a == "--bench")
}
