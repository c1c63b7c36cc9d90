//! Code generation: how long build.rs's generator (`codegen/`) takes to turn every spec file
//! into Rust (bindings, facade, SID kinds, emulator tables), against the time to merely parse
//! them (YAML into an OpenAPI document), measured in the same run.
//!
//! `cargo bench -p twilio-ip-access-codegen --bench generation`

use twilio_ip_access_codegen as codegen;

use std::time::{Duration, Instant};

/// The crate's spec directory, beside this one in the workspace.
const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec");

fn main() {
    let rounds = if std::env::args().any(|a| a == "--bench") {
        15
    } else {
        2
    };
    let mut generate = Vec::new();
    let mut parse = Vec::new();
    let mut lines = 0;
    let mut specs: Vec<_> = std::fs::read_dir(SPEC)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    for _ in 0..rounds {
        let started = Instant::now();
        for spec in &specs {
            let text = std::fs::read_to_string(spec).unwrap();
            let doc: openapiv3::OpenAPI = yaml_serde::from_str(&text).unwrap();
            std::hint::black_box(doc);
        }
        parse.push(started.elapsed());
        let started = Instant::now();
        let out =
            codegen::generate_dir(std::path::Path::new(SPEC)).unwrap_or_else(|e| panic!("{e:?}"));
        lines = out
            .bindings
            .iter()
            .map(|(_, code)| code.lines().count())
            .sum::<usize>()
            + [&out.modules, &out.facade, &out.sid_kinds, &out.emulator]
                .iter()
                .map(|code| code.lines().count())
                .sum::<usize>();
        generate.push(started.elapsed());
    }
    let (g, p) = (median(generate), median(parse));
    println!(
        "generation: the {} spec files, median of {rounds} rounds",
        specs.len()
    );
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
