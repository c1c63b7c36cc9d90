//! Generates the crate's Rust from the curated OpenAPI files in `spec/`: the progenitor
//! bindings, the facade's handles and builders, the typed SIDs and the emulator's tables, all
//! into `OUT_DIR`. Nothing generated is committed: editing a spec and running `cargo build`
//! regenerates. The generator is the `twilio-ip-access-codegen` crate (`codegen/`).

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // A directory is scanned as a whole: a new, changed or removed spec file regenerates.
    println!("cargo:rerun-if-changed=spec");
    // For the User-Agent: `rust/<version>` of the compiler that built the crate.
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|v| v.split_whitespace().nth(1).map(str::to_owned))
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=TWILIO_IP_ACCESS_RUSTC_VERSION={version}");

    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    match twilio_ip_access_codegen::generate_dir(Path::new("spec")) {
        Ok(output) => {
            if let Err(e) = output.write_to(Path::new(&out_dir)) {
                eprintln!("error: cannot write the generated code: {e}");
                std::process::exit(1);
            }
        }
        Err(problems) => {
            // Cargo shows this text without a backtrace.
            eprintln!("error: the OpenAPI spec cannot be turned into Rust:");
            for problem in &problems {
                eprintln!("  - {problem}");
            }
            std::process::exit(1);
        }
    }
}
