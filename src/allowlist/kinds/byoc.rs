//! The `[byoc]` group: the account's IP Records ([`ip_record`](super::ip_record)) and Source
//! IP Mappings ([`source_ip_mapping`](super::source_ip_mapping)), which a file's `[byoc]`
//! table manages together: their state in a plan, how they are read, and the diff that makes
//! them what the table says.

use serde::{Deserialize, Serialize};

use super::{
    Change,
    ip_record::{IpRecordState, IpRecords},
    reconcile,
    source_ip_mapping::{HaveMapping, SourceIpMappingState, SourceIpMappings, WantMapping},
};
use crate::{
    Client,
    allowlist::{
        Result,
        change::Target,
        desired::{Desired, DesiredError, DesiredIpRecord},
        diff::resolve,
        live::Live,
        target::TargetKind,
    },
};

/// Every IP Record and Source IP Mapping of the account when the plan was made (in a plan
/// whose desired state has `[byoc]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ByocState {
    /// The IP Records, in (address, prefix, SID) order.
    pub ip_records: Vec<IpRecordState>,
    /// The Source IP Mappings, in SID order.
    pub source_ip_mappings: Vec<SourceIpMappingState>,
}

impl ByocState {
    /// Every SID it holds: the records', the mappings', and those the mappings name.
    pub(crate) fn sids(&self) -> impl Iterator<Item = String> + '_ {
        let records = self.ip_records.iter().map(|r| r.sid.to_string());
        let mappings = self.source_ip_mappings.iter().flat_map(|m| {
            [
                m.sid.to_string(),
                m.ip_record_sid.to_string(),
                m.sip_domain_sid.to_string(),
            ]
        });
        records.chain(mappings)
    }

    /// The first difference between this (a plan's) and `now`, in words.
    pub(crate) fn difference(&self, now: &ByocState) -> Option<String> {
        if self.ip_records != now.ip_records {
            return Some(format!(
                "the IP Records changed ({} then, {} now)",
                self.ip_records.len(),
                now.ip_records.len()
            ));
        }
        (self.source_ip_mappings != now.source_ip_mappings).then(|| {
            format!(
                "the Source IP Mappings changed ({} then, {} now)",
                self.source_ip_mappings.len(),
                now.source_ip_mappings.len()
            )
        })
    }
}

/// Every IP Record and Source IP Mapping of the account (a request each, run together).
pub(crate) async fn read(client: &Client) -> crate::Result<ByocState> {
    let (ip_records, source_ip_mappings) = futures_util::future::try_join(
        super::ip_record::read(client),
        super::source_ip_mapping::read(client),
    )
    .await?;
    Ok(ByocState {
        ip_records,
        source_ip_mappings,
    })
}

/// The changes that make the account's IP Records and Source IP Mappings (`state`) exactly
/// `records`: refusing, at the entry, a domain that names none or several, and a record whose
/// identity several live records share (the file cannot say which one it means).
pub(crate) fn diff(
    desired: &Desired,
    records: &[DesiredIpRecord],
    state: &ByocState,
    live: &Live,
    changes: &mut Vec<Change>,
) -> Result<()> {
    let mut mappings = Vec::new();
    for record in records {
        let fail = |reason: String| {
            DesiredError::new(
                desired.file_name(),
                record.origin.as_ref(),
                None,
                Some(format!("{:?}", record.cidr())),
                reason,
            )
            .in_byoc()
        };
        let same: Vec<&IpRecordState> = state
            .ip_records
            .iter()
            .filter(|r| (r.ip, r.prefix) == record.key())
            .collect();
        if same.len() > 1 {
            let sids: Vec<String> = same.iter().map(|r| r.sid.to_string()).collect();
            return Err(fail(format!(
                "{} IP Records in the account are {} ({}): the file cannot tell which one it means; delete all but one first",
                same.len(),
                record.cidr(),
                sids.join(", ")
            ))
            .into());
        }
        if let Some(reference) = &record.sip_domain {
            mappings.push(WantMapping {
                record: record.key(),
                ip_record_sid: same.first().map(|r| r.sid.clone()),
                sip_domain: resolve(reference, live, fail)?,
            });
        }
    }
    reconcile(&IpRecords, records, &state.ip_records, changes);
    let have: Vec<HaveMapping> = state
        .source_ip_mappings
        .iter()
        .map(|m| {
            let sid = m.sip_domain_sid.to_string();
            HaveMapping {
                record: state
                    .ip_records
                    .iter()
                    .find(|r| r.sid == m.ip_record_sid)
                    .map(|r| (r.ip, r.prefix)),
                sip_domain: Target {
                    kind: TargetKind::SipDomain,
                    name: live.target_name(TargetKind::SipDomain, &sid),
                    sid,
                },
                state: m.clone(),
            }
        })
        .collect();
    reconcile(&SourceIpMappings, &mappings, &have, changes);
    Ok(())
}
