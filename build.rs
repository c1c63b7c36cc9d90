//! Generates the crate's Rust from the curated OpenAPI files in `spec/`: the progenitor
//! bindings, the facade's handles and builders, the typed SIDs and the emulator's tables, all
//! into `OUT_DIR`. Nothing generated is committed: editing a spec and running `cargo build`
//! regenerates. The generator itself lives in `codegen/`.

#[path = "codegen/mod.rs"]
mod codegen;

fn main() {
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
    codegen::run();
}
