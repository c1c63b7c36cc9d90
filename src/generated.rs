//! The bindings progenitor generates from `spec/` at build time (see `build.rs`).
//!
//! Nothing here is written by hand: change the spec and rebuild. To read the code, open
//! `target/debug/build/twilio-ip-access-*/out/<module>.rs`, or run `cargo doc --open` and look
//! at this module. The facade ([`crate::Client`]) is the supported way in; these modules are
//! public for callers who need an operation exactly as the spec states it.

#![allow(missing_docs, clippy::all, rustdoc::all, unused_imports, dead_code)]

/// Voice v1 IpRecord (`spec/ip_record.yaml`).
pub mod ip_record {
    include!(concat!(env!("OUT_DIR"), "/ip_record.rs"));
}

/// Voice v1 SourceIpMapping (`spec/source_ip_mapping.yaml`).
pub mod source_ip_mapping {
    include!(concat!(env!("OUT_DIR"), "/source_ip_mapping.rs"));
}

/// Trunking v1 IpAccessControlList (`spec/trunk_ip_access_control_list.yaml`).
pub mod trunk_ip_access_control_list {
    include!(concat!(env!("OUT_DIR"), "/trunk_ip_access_control_list.rs"));
}

/// Api 2010-04-01 SIP IpAddress (`spec/sip_ip_address.yaml`).
pub mod sip_ip_address {
    include!(concat!(env!("OUT_DIR"), "/sip_ip_address.rs"));
}
