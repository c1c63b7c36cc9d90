//! A Source IP Mapping (BYOC, Voice `/v1/SourceIpMappings`): the SIP domain an IP Record's
//! traffic goes to. Its identity is its record (a record has at most one desired mapping);
//! its `SipDomainSid` is updated in place. Mappings are created after their records and
//! removed before them ([`Step`](super::Step)); with `[byoc]`, every mapping of the account is
//! managed, so one whose record is gone or not named is removed.

use std::{fmt, net::Ipv4Addr};

use serde::{Deserialize, Serialize};

use futures_util::{FutureExt, future::BoxFuture};

use super::{
    Action, ByocState, Change, Parents, Position, Reconcile, Sent,
    byoc::{ByocKind, refused_at},
    ip_record, reconcile, typed,
};
use crate::{
    Client,
    allowlist::{
        change::Target,
        desired::{Desired, DesiredIpRecord},
        diff::resolve,
        live::{Live, PAGE_SIZE},
        target::TargetKind,
    },
    error::Result,
    sid::{IpRecordSid, SipDomainSid, SourceIpMappingSid},
};

/// A Source IP Mapping as it was when the plan was made.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SourceIpMappingState {
    /// The mapping's SID.
    pub sid: SourceIpMappingSid,
    /// The IP Record it maps.
    pub ip_record_sid: IpRecordSid,
    /// The SIP domain it maps the record to.
    pub sip_domain_sid: SipDomainSid,
}

/// Map an IP Record to a SIP domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CreateSourceIpMapping {
    /// The record's `IpAddress`.
    pub ip: Ipv4Addr,
    /// The record's `CidrPrefixLength`.
    pub prefix: u8,
    /// The record's SID; `None` when this plan creates the record.
    pub ip_record_sid: Option<IpRecordSid>,
    /// The SIP domain.
    pub sip_domain: Target,
}

/// Point a record's mapping at another SIP domain, in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct UpdateSourceIpMapping {
    /// The mapping's SID.
    pub sid: SourceIpMappingSid,
    /// The record's `IpAddress`.
    pub ip: Ipv4Addr,
    /// The record's `CidrPrefixLength`.
    pub prefix: u8,
    /// The SIP domain it maps to.
    pub from: Target,
    /// The SIP domain it gets.
    pub to: Target,
}

/// Remove a Source IP Mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RemoveSourceIpMapping {
    /// The mapping's SID.
    pub sid: SourceIpMappingSid,
    /// The record it maps.
    pub ip_record_sid: IpRecordSid,
    /// The record's `IpAddress`; `None` when the record no longer exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<Ipv4Addr>,
    /// The record's `CidrPrefixLength`; `None` when the record no longer exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<u8>,
    /// The SIP domain it maps to.
    pub sip_domain: Target,
}

impl RemoveSourceIpMapping {
    /// The record as shown: its CIDR, or its SID when it is gone.
    fn record(&self) -> String {
        match (self.ip, self.prefix) {
            (Some(ip), Some(prefix)) => format!("{ip}/{prefix}"),
            _ => format!("{} (no longer exists)", self.ip_record_sid),
        }
    }
}

impl Action for CreateSourceIpMapping {
    fn order_key(&self) -> Position<'_> {
        (Some((self.ip, self.prefix)), Some(&self.sip_domain))
    }

    fn plan_line(&self) -> String {
        let (ip, prefix) = (self.ip, self.prefix);
        format!("  + map {ip}/{prefix} to {}", self.sip_domain)
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (ip, prefix) = (self.ip, self.prefix);
        write!(f, "+ map IP Record {ip}/{prefix} to {}", self.sip_domain)
    }

    fn sids(&self) -> Vec<String> {
        self.ip_record_sid.iter().map(ToString::to_string).collect()
    }
}

impl Action for UpdateSourceIpMapping {
    fn order_key(&self) -> Position<'_> {
        (Some((self.ip, self.prefix)), Some(&self.to))
    }

    fn plan_line(&self) -> String {
        let (ip, prefix) = (self.ip, self.prefix);
        format!("  ~ map {ip}/{prefix} from {} to {}", self.from, self.to)
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (ip, prefix) = (self.ip, self.prefix);
        write!(
            f,
            "~ map IP Record {ip}/{prefix} from {} to {}",
            self.from, self.to
        )
    }

    fn sids(&self) -> Vec<String> {
        vec![self.sid.to_string(), self.from.sid.clone()]
    }
}

impl Action for RemoveSourceIpMapping {
    fn order_key(&self) -> Position<'_> {
        (self.ip.zip(self.prefix), Some(&self.sip_domain))
    }

    fn plan_line(&self) -> String {
        format!("  - map {} to {}", self.record(), self.sip_domain)
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "- map IP Record {} to {}",
            self.record(),
            self.sip_domain
        )
    }

    fn sids(&self) -> Vec<String> {
        vec![
            self.sid.to_string(),
            self.ip_record_sid.to_string(),
            self.sip_domain.sid.clone(),
        ]
    }
}

impl CreateSourceIpMapping {
    pub(crate) async fn send(&self, client: &Client, parents: &Parents) -> Result<Sent> {
        let record = match &self.ip_record_sid {
            Some(sid) => sid.clone(),
            None => {
                let (ip, prefix) = (self.ip, self.prefix);
                parents.get(
                    &ip_record::key(ip, prefix),
                    &format!("IP Record {ip}/{prefix}"),
                )?
            }
        };
        let domain: SipDomainSid = typed(&self.sip_domain.sid)?;
        let (created, request_id) = client
            .source_ip_mappings()
            .create(record, domain)
            .send_with_request_id()
            .await?;
        Ok(Sent::created(None, created.sid, request_id))
    }
}

impl UpdateSourceIpMapping {
    pub(crate) async fn send(&self, client: &Client, _: &Parents) -> Result<Sent> {
        let domain: SipDomainSid = typed(&self.to.sid)?;
        client
            .source_ip_mappings()
            .update(&self.sid, domain)
            .send_with_request_id()
            .await
            .map(|(_, request_id)| Sent::answered(request_id))
    }
}

impl RemoveSourceIpMapping {
    pub(crate) async fn send(&self, client: &Client, _: &Parents) -> Result<Sent> {
        client
            .source_ip_mappings()
            .delete(&self.sid)
            .send_with_request_id()
            .await
            .map(|(_, request_id)| Sent::answered(request_id))
    }
}

/// A desired mapping: its record (identity, and SID when the record exists) and domain.
pub(crate) struct WantMapping {
    pub(crate) record: (Ipv4Addr, u8),
    pub(crate) ip_record_sid: Option<IpRecordSid>,
    pub(crate) sip_domain: Target,
}

/// A live mapping, with its record's identity (`None` when the record is gone) and domain.
pub(crate) struct HaveMapping {
    pub(crate) state: SourceIpMappingState,
    pub(crate) record: Option<(Ipv4Addr, u8)>,
    pub(crate) sip_domain: Target,
}

/// The account's Source IP Mappings, for [`reconcile`](super::reconcile).
pub(crate) struct SourceIpMappings;

impl Reconcile for SourceIpMappings {
    type Want = WantMapping;
    type Have = HaveMapping;
    type Key = Option<(Ipv4Addr, u8)>;

    fn want_key(&self, want: &WantMapping) -> Self::Key {
        Some(want.record)
    }

    fn have_key(&self, have: &HaveMapping) -> Self::Key {
        have.record
    }

    fn create(&self, want: &WantMapping) -> Change {
        let (ip, prefix) = want.record;
        CreateSourceIpMapping {
            ip,
            prefix,
            ip_record_sid: want.ip_record_sid.clone(),
            sip_domain: want.sip_domain.clone(),
        }
        .into()
    }

    fn update(&self, have: &HaveMapping, want: &WantMapping) -> Option<Change> {
        let (ip, prefix) = want.record;
        (have.sip_domain.sid != want.sip_domain.sid).then(|| {
            UpdateSourceIpMapping {
                sid: have.state.sid.clone(),
                ip,
                prefix,
                from: have.sip_domain.clone(),
                to: want.sip_domain.clone(),
            }
            .into()
        })
    }

    fn remove(&self, have: &HaveMapping) -> Change {
        RemoveSourceIpMapping {
            sid: have.state.sid.clone(),
            ip_record_sid: have.state.ip_record_sid.clone(),
            ip: have.record.map(|(ip, _)| ip),
            prefix: have.record.map(|(_, prefix)| prefix),
            sip_domain: have.sip_domain.clone(),
        }
        .into()
    }
}

impl ByocKind for SourceIpMappings {
    type State = Vec<SourceIpMappingState>;
    const WHAT: &'static str = "Source IP Mappings";

    /// Every Source IP Mapping of the account (one request per page of 1000), in SID order.
    fn read(client: &Client) -> BoxFuture<'_, Result<Vec<SourceIpMappingState>>> {
        async move {
            let mut mappings: Vec<SourceIpMappingState> = client
                .source_ip_mappings()
                .list()
                .page_size(PAGE_SIZE)
                .collect()
                .await?
                .into_iter()
                .map(|m| SourceIpMappingState {
                    sid: m.sid,
                    ip_record_sid: m.ip_record_sid,
                    sip_domain_sid: m.sip_domain_sid,
                })
                .collect();
            mappings.sort();
            Ok(mappings)
        }
        .boxed()
    }

    /// The mappings', and the records' and domains' they map.
    fn sids(state: &Vec<SourceIpMappingState>) -> Vec<String> {
        state
            .iter()
            .flat_map(|m| {
                [
                    m.sid.to_string(),
                    m.ip_record_sid.to_string(),
                    m.sip_domain_sid.to_string(),
                ]
            })
            .collect()
    }

    fn entries(state: &Vec<SourceIpMappingState>) -> usize {
        state.len()
    }

    /// Refuses, at the entry, a `sip_domain` that names no domain, or several.
    fn diff(
        desired: &Desired,
        records: &[DesiredIpRecord],
        group: &ByocState,
        live: &Live,
        out: &mut Vec<Change>,
    ) -> crate::allowlist::Result<()> {
        let mut want = Vec::new();
        for record in records {
            if let Some(reference) = &record.sip_domain {
                let fail = |reason: String| refused_at(desired, record, reason);
                want.push(WantMapping {
                    record: record.key(),
                    ip_record_sid: (group.ip_records.iter())
                        .find(|r| (r.ip, r.prefix) == record.key())
                        .map(|r| r.sid.clone()),
                    sip_domain: resolve(reference, live, fail)?,
                });
            }
        }
        let have: Vec<HaveMapping> = (group.source_ip_mappings.iter())
            .map(|m| {
                let sid = m.sip_domain_sid.to_string();
                HaveMapping {
                    record: (group.ip_records.iter())
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
        reconcile(&SourceIpMappings, &want, &have, out);
        Ok(())
    }
}
