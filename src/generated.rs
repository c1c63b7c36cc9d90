//! The bindings progenitor generates from `spec/` at build time, one module per spec file
//! (see `codegen/src/bindings.rs`).
//!
//! Nothing here is written by hand: change the spec and rebuild. To read the code, open
//! `target/debug/build/twilio-ip-access-*/out/<module>.rs`. The module is private: users reach
//! the resource types and enums through [`crate::resources`] (re-exported at the crate root),
//! and every operation through the facade. progenitor's clients and builders stay inside; what
//! is re-exported is held to `missing_docs` like the rest of the crate.

#![allow(clippy::all, rustdoc::all, unused_imports, dead_code, unreachable_pub)]

include!(concat!(env!("OUT_DIR"), "/generated.rs"));
