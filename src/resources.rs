//! The resources, generated from `spec/` at build time (`codegen/facade.rs`): one collection
//! handle per spec file with a builder per operation it declares, one instance handle
//! (`…Context`) per parent named in a path, and the accessors on [`Client`](crate::Client).
//!
//! Everything here is re-exported at the crate root. To read the generated source, open
//! `target/debug/build/twilio-ip-access-*/out/facade.rs`; `cargo doc --open` shows the same API
//! with the docs taken from the spec's summaries, descriptions and constraints.
//!
//! | spec file | handle | builders |
//! |---|---|---|
//! | `ip_record.yaml` | `client.ip_records()` → [`IpRecords`] | [`CreateIpRecord`], [`FetchIpRecord`], [`UpdateIpRecord`], [`DeleteIpRecord`], `list()` |
//! | `source_ip_mapping.yaml` | `client.source_ip_mappings()` → [`SourceIpMappings`] | create, fetch, update, delete, list |
//! | `trunk.yaml` | `client.trunks()` → [`Trunks`]; `client.trunk(sid)` → [`TrunkContext`] | fetch, list |
//! | `trunk_ip_access_control_list.yaml` | `client.trunk(sid).ip_access_control_lists()` → [`TrunkIpAccessControlLists`] | create, fetch, delete, list |
//! | `sip_ip_access_control_list.yaml` | `client.sip_ip_access_control_lists()` → [`SipIpAccessControlLists`]; `client.sip_ip_access_control_list(sid)` → [`SipIpAccessControlListContext`] | create, fetch, update, delete, list |
//! | `sip_ip_address.yaml` | `client.sip_ip_access_control_list(sid).ip_addresses()` → [`SipIpAddresses`] | create, fetch, update, delete, list |
//! | `sip_domain.yaml` | `client.sip_domains()` → [`SipDomains`]; `client.sip_domain(sid)` → [`SipDomainContext`] | fetch, list |
//! | `auth_calls_ip_access_control_list_mapping.yaml` | `client.sip_domain(sid).auth_calls_ip_access_control_list_mappings()` → [`AuthCallsIpAccessControlListMappings`] | create, fetch, delete, list |

include!(concat!(env!("OUT_DIR"), "/facade.rs"));
