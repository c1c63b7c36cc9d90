//! Writing the live lists, and the account's IP Records, as a desired state.

use std::{collections::BTreeMap, net::Ipv4Addr};

use super::{
    Error, Result,
    desired::{Desired, DesiredAddress, DesiredIpRecord, DesiredList, MAX_NAME_CHARS, parse_cidr},
    document::ByocState,
    live::{self, ReadOptions},
    split,
    target::TargetKind,
};
use crate::Client;

/// Which lists [`export`] writes.
///
/// ```
/// use twilio_ip_access::allowlist::ExportOptions;
///
/// let only = ExportOptions::default().list("office allowlist").list("branch");
/// assert_eq!(only.lists(), ["office allowlist", "branch"]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    lists: Vec<String>,
    read: ReadOptions,
}

impl ExportOptions {
    /// Exports this list (by name) instead of every list; call it once per list.
    pub fn list(mut self, name: impl Into<String>) -> Self {
        self.lists.push(name.into());
        self
    }

    /// Reads as `read` says (how many reads are in flight).
    pub fn read_options(mut self, read: ReadOptions) -> Self {
        self.read = read;
        self
    }

    /// The lists asked for; empty for all.
    pub fn lists(&self) -> &[String] {
        &self.lists
    }
}

/// Reads the live lists (all of them, or those `options` names, in the account's order) as a
/// desired state, so that a plan of the result shows no changes. Addresses come in (address,
/// prefix) order. Trunks are written by `FriendlyName` and SIP domains by
/// domain name when that names exactly one, else by SID.
///
/// What a desired-state file cannot say exactly is written as near as it can be and explained
/// in [`Desired::notes`] (comments atop [`Desired::to_toml`]): a range with host bits set (as
/// its network), an empty address name (as the address), the same address twice (once), and,
/// when exporting every list, lists whose name is empty or shared by several lists (left out).
/// A plan of such a file shows those entries as changes.
///
/// When every list is exported (no [`ExportOptions::list`]), the account's IP Records are
/// written as `[byoc]` (when it has any), each with the SIP domain of its Source IP Mapping, so
/// that the file keeps them; a record with several mappings is written with the first (noted).
///
/// The reads are those of a plan: one for the lists, one per exported list, one for the trunks,
/// one for the SIP domains and one per trunk and per domain; when every list is exported, one
/// for the IP Records and one for the Source IP Mappings.
///
/// # Errors
///
/// A request's error, or [`Error::Export`] when a list asked for does not exist or its name is
/// shared by several lists.
pub async fn export(client: &Client, options: ExportOptions) -> Result<Desired> {
    let wanted = (!options.lists.is_empty()).then_some(options.lists.as_slice());
    // The lists asked for, and the parts of a split list.
    let asked = |name: &str| {
        options
            .lists
            .iter()
            .any(|l| split::part_number(l, name).is_some())
    };
    // `[byoc]` is the whole account's: exported with every list, not with chosen ones.
    let live = live::read(
        client,
        wanted
            .is_some()
            .then_some(&asked as &(dyn Fn(&str) -> bool + Sync)),
        wanted.is_none(),
        options.read,
    )
    .await?;
    let mut notes = Vec::new();
    let mut names: Vec<String> = match wanted {
        Some(names) => {
            for name in names {
                match live.lists_named(name).len() {
                    0 => {
                        return Err(Error::Export {
                            reason: format!("there is no list named {name:?} in the account"),
                        });
                    }
                    1 => {}
                    n => {
                        return Err(Error::Export {
                            reason: format!(
                                "{n} lists are named {name:?}; a desired-state file names lists by FriendlyName, so rename all but one first"
                            ),
                        });
                    }
                }
            }
            let mut unique = Vec::new();
            for name in names {
                if !unique.contains(name) {
                    unique.push(name.clone());
                }
            }
            unique
        }
        None => live.lists.iter().map(|l| l.name.clone()).collect(),
    };
    // Every list once, in the account's order; the unnamable ones left out with a note.
    let mut seen = Vec::new();
    names.retain(|name| {
        if seen.contains(name) {
            return false;
        }
        seen.push(name.clone());
        let count = live.lists_named(name).len();
        if count > 1 {
            notes.push(format!(
                "{count} lists are named {name:?}; they are left out (a file names lists by FriendlyName)"
            ));
            return false;
        }
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            notes.push(format!(
                "list {} has no usable name; it is left out",
                live.lists_named(name)[0].sid
            ));
            return false;
        }
        true
    });
    // A trunk or domain is written by name when that names exactly one, else by SID.
    let reference = |kind: TargetKind, sid: &str| -> String {
        let name = live
            .targets(kind)
            .find(|t| t.sid == sid)
            .and_then(|t| t.name.clone());
        name.filter(|n| {
            !n.is_empty()
                && !kind.is_sid(n)
                && live
                    .targets(kind)
                    .filter(|t| t.name.as_ref() == Some(n))
                    .count()
                    == 1
        })
        .unwrap_or_else(|| sid.to_owned())
    };
    // The parts `NAME (2)`… of a list `NAME` are exported with it, as one split list.
    names.retain(|name| {
        !live
            .lists
            .iter()
            .any(|l| split::part_number(&l.name, name).is_some_and(|n| n >= 2))
    });
    let mut lists = Vec::with_capacity(names.len());
    for name in names {
        let sid = live.lists_named(&name)[0].sid.clone();
        let parts: Vec<_> = live
            .lists
            .iter()
            .filter(|l| split::part_number(&name, &l.name).is_some())
            .map(|l| l.sid.clone())
            .collect();
        let mut addresses: Vec<DesiredAddress> = Vec::new();
        let mut by_key: BTreeMap<(Ipv4Addr, u8), ()> = BTreeMap::new();
        for a in parts
            .iter()
            .flat_map(|part| live.held.get(part).into_iter().flat_map(|s| &s.addresses))
        {
            let who = format!("list {name:?}: address {}", a.sid);
            let (network, prefix) = exportable(a.ip, a.prefix, &who, &mut notes);
            if by_key.insert((network, prefix), ()).is_some() {
                notes.push(format!("{who} repeats an earlier entry; written once"));
                continue;
            }
            let address_name = usable_name(&a.name, network, prefix, &who, &mut notes);
            addresses.push(DesiredAddress::exported(network, prefix, address_name));
        }
        addresses.sort_by_key(|a| (a.ip(), a.prefix()));
        let targets = TargetKind::ALL
            .into_iter()
            .flat_map(|kind| {
                live.attached(&sid, kind)
                    .into_iter()
                    .map(move |t| (kind, t))
            })
            .map(|(kind, t)| (kind, reference(kind, &t)))
            .collect();
        lists.push(DesiredList::exported(
            name,
            addresses,
            targets,
            parts.len() > 1,
        ));
    }
    let byoc = live
        .byoc
        .as_ref()
        .filter(|byoc| !byoc.ip_records.is_empty())
        .map(|byoc| ip_records(byoc, &reference, &mut notes));
    Ok(Desired::exported(lists, byoc, notes))
}

/// The account's IP Records as `[byoc]` entries, each with the SIP domain of its mapping; what
/// a file cannot say exactly is written as near as it can be, with a note.
fn ip_records(
    byoc: &ByocState,
    reference: &dyn Fn(TargetKind, &str) -> String,
    notes: &mut Vec<String>,
) -> Vec<DesiredIpRecord> {
    let mut records: Vec<DesiredIpRecord> = Vec::new();
    for r in &byoc.ip_records {
        let who = format!("IP Record {}", r.sid);
        let (ip, prefix) = exportable(r.ip, r.prefix, &who, notes);
        if records.iter().any(|e| e.key() == (ip, prefix)) {
            notes.push(format!(
                "{who} repeats an earlier one; written once (a plan of this file refuses until all but one are deleted)"
            ));
            continue;
        }
        let mut mapped = byoc
            .source_ip_mappings
            .iter()
            .filter(|m| m.ip_record_sid == r.sid);
        let domain = mapped
            .next()
            .map(|m| reference(TargetKind::SipDomain, m.sip_domain_sid.as_str()));
        if mapped.next().is_some() {
            notes.push(format!(
                "{who} has several Source IP Mappings; the first is written (a plan of this file removes the others)"
            ));
        }
        let name = usable_name(&r.name, ip, prefix, &who, notes);
        records.push(DesiredIpRecord::exported(ip, prefix, name, domain));
    }
    records.sort_by_key(DesiredIpRecord::key);
    records
}

/// The identity a file can say for a live (address, prefix): a /0 as the /32 Twilio stores,
/// and a range with host bits set as its network, with a note.
fn exportable(ip: Ipv4Addr, prefix: u8, who: &str, notes: &mut Vec<String>) -> (Ipv4Addr, u8) {
    let prefix = if prefix == 0 { 32 } else { prefix.min(32) };
    let mask = u32::MAX << (32 - u32::from(prefix));
    let network = Ipv4Addr::from(u32::from(ip) & mask);
    if network != ip {
        notes.push(format!(
            "{who} has host bits set; written as its network {network}/{prefix}"
        ));
    }
    (network, prefix)
}

/// A live name a file can say, else the entry's own text (with a note).
fn usable_name(name: &str, ip: Ipv4Addr, prefix: u8, who: &str, notes: &mut Vec<String>) -> String {
    let text = if prefix == 32 {
        ip.to_string()
    } else {
        format!("{ip}/{prefix}")
    };
    debug_assert_eq!(parse_cidr(&text), Ok((ip, prefix)));
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        notes.push(format!("{who} has no usable name; named by its address"));
        text
    } else {
        name.to_owned()
    }
}
