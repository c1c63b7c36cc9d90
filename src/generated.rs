//! The bindings progenitor generates from `spec/` at build time, one module per spec file
//! (see `codegen/bindings.rs`).
//!
//! Nothing here is written by hand: change the spec and rebuild. To read the code, open
//! `target/debug/build/twilio-ip-access-*/out/<module>.rs`, or run `cargo doc --open` and look
//! at this module. The facade ([`crate::Client`] and [`crate::resources`]) is the supported way
//! in; these modules are public for callers who need an operation exactly as the spec states it,
//! and for the forward-compatible enums each module's `enums` holds.

#![allow(missing_docs, clippy::all, rustdoc::all, unused_imports, dead_code)]

include!(concat!(env!("OUT_DIR"), "/generated.rs"));
