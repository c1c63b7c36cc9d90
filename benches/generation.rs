//! Code generation: how long build.rs takes to turn the four specs into Rust, against the time
//! to merely parse them (YAML into an OpenAPI document), measured in the same run.
//!
//! `cargo bench --bench generation`

#[allow(dead_code)]
#[path = "../build.rs"]
mod build_script;

use std::time::{Duration, Instant};

const SPECS: [&str; 4] = [
    "spec/ip_record.yaml",
    "spec/source_ip_mapping.yaml",
    "spec/trunk_ip_access_control_list.yaml",
    "spec/sip_ip_address.yaml",
];

fn main() {
    let rounds = if std::env::args().any(|a| a == "--bench") {
        15
    } else {
        2
    };
    let mut generate = Vec::new();
    let mut parse = Vec::new();
    let mut lines = 0;
    for _ in 0..rounds {
        let started = Instant::now();
        for spec in SPECS {
            let text = std::fs::read_to_string(spec).unwrap();
            let doc: openapiv3::OpenAPI = serde_yaml::from_str(&text).unwrap();
            std::hint::black_box(doc);
        }
        parse.push(started.elapsed());
        let started = Instant::now();
        lines = 0;
        for spec in SPECS {
            let code = build_script::generate(spec).unwrap_or_else(|e| panic!("{spec}: {e:?}"));
            lines += code.lines().count();
        }
        generate.push(started.elapsed());
    }
    let (g, p) = (median(generate), median(parse));
    println!("generation: the four specs, median of {rounds} rounds");
    println!("  parse only (YAML -> OpenAPI)      {:>8.2} ms", ms(p));
    println!("  build.rs generate (-> {lines} lines) {:>8.2} ms", ms(g));
    println!(
        "  ratio generate/parse = {:.1}",
        g.as_secs_f64() / p.as_secs_f64()
    );
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
