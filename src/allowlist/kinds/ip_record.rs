//! An IP Record (BYOC, Voice `/v1/IpRecords`): identity (IpAddress, CidrPrefixLength) in the
//! account, `FriendlyName` updated in place. A prefix change is another identity: a new record,
//! created before the old one is removed. The records a file's `[byoc]` does not name are
//! removed; without `[byoc]` none is read or written.

use std::{fmt, net::Ipv4Addr};

use serde::{Deserialize, Serialize};

use futures_util::{FutureExt, future::BoxFuture};

use super::{
    Action, ByocState, Change, Parents, Reconcile, Sent,
    byoc::{ByocKind, refused_at},
    entry_line, entry_position, reconcile,
};
use crate::allowlist::change::Value;
use crate::{
    Client,
    allowlist::{
        desired::{Desired, DesiredIpRecord},
        live::{Live, PAGE_SIZE, ipv4},
    },
    error::Result,
    sid::IpRecordSid,
};

/// The key of an IP Record among the [`Parents`] (for the mappings of a record this apply
/// creates): its identity.
pub(crate) fn key(ip: Ipv4Addr, prefix: u8) -> String {
    format!("ip_record {ip}/{prefix}")
}

/// An IP Record as it was when the plan was made.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct IpRecordState {
    /// `IpAddress`.
    pub ip: Ipv4Addr,
    /// `CidrPrefixLength`.
    pub prefix: u8,
    /// The record's SID.
    pub sid: IpRecordSid,
    /// `FriendlyName`.
    pub name: String,
}

/// Create an IP Record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CreateIpRecord {
    /// `IpAddress`.
    pub ip: Ipv4Addr,
    /// `CidrPrefixLength`.
    pub prefix: u8,
    /// `FriendlyName`.
    pub name: String,
}

/// Rename an IP Record in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RenameIpRecord {
    /// The record's SID.
    pub sid: IpRecordSid,
    /// `IpAddress`.
    pub ip: Ipv4Addr,
    /// `CidrPrefixLength`.
    pub prefix: u8,
    /// The name it has.
    pub from: String,
    /// The name it gets.
    pub to: String,
}

/// Remove an IP Record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RemoveIpRecord {
    /// The record's SID.
    pub sid: IpRecordSid,
    /// `IpAddress`.
    pub ip: Ipv4Addr,
    /// `CidrPrefixLength`.
    pub prefix: u8,
    /// Its `FriendlyName`.
    pub name: String,
}

impl Action for CreateIpRecord {
    entry_position!();

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Cidr(self.ip, self.prefix),
            Value::Name {
                what: "IP Record's name",
                name: &self.name,
            },
        ]
    }

    fn plan_line(&self) -> String {
        entry_line('+', self.ip, self.prefix, &format!("{:?}", self.name))
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { ip, prefix, name } = self;
        write!(f, "+ IP Record {ip}/{prefix} {name:?}")
    }
}

impl Action for RenameIpRecord {
    entry_position!();

    fn values(&self) -> Vec<Value<'_>> {
        vec![Value::Name {
            what: "IP Record's name",
            name: &self.to,
        }]
    }

    fn plan_line(&self) -> String {
        let (from, to) = (&self.from, &self.to);
        entry_line('~', self.ip, self.prefix, &format!("{from:?} -> {to:?}"))
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (ip, prefix, from, to) = (self.ip, self.prefix, &self.from, &self.to);
        write!(f, "~ IP Record {ip}/{prefix} {from:?} -> {to:?}")
    }

    fn sids(&self) -> Vec<String> {
        vec![self.sid.to_string()]
    }
}

impl Action for RemoveIpRecord {
    entry_position!();

    fn plan_line(&self) -> String {
        entry_line('-', self.ip, self.prefix, &format!("{:?}", self.name))
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (ip, prefix, name) = (self.ip, self.prefix, &self.name);
        write!(f, "- IP Record {ip}/{prefix} {name:?}")
    }

    fn sids(&self) -> Vec<String> {
        vec![self.sid.to_string()]
    }
}

impl CreateIpRecord {
    pub(crate) async fn send(&self, client: &Client, _: &Parents) -> Result<Sent> {
        let (created, request_id) = client
            .ip_records()
            .create(self.ip)
            .cidr_prefix_length(self.prefix)
            .friendly_name(&self.name)
            .send_with_request_id()
            .await?;
        Ok(Sent::created(
            Some(key(self.ip, self.prefix)),
            created.sid,
            request_id,
        ))
    }
}

impl RenameIpRecord {
    pub(crate) async fn send(&self, client: &Client, _: &Parents) -> Result<Sent> {
        client
            .ip_records()
            .update(&self.sid)
            .friendly_name(&self.to)
            .send_with_request_id()
            .await
            .map(|(_, request_id)| Sent::answered(request_id))
    }
}

impl RemoveIpRecord {
    pub(crate) async fn send(&self, client: &Client, _: &Parents) -> Result<Sent> {
        client
            .ip_records()
            .delete(&self.sid)
            .send_with_request_id()
            .await
            .map(|(_, request_id)| Sent::answered(request_id))
    }
}

/// The account's IP Records, for [`reconcile`](super::reconcile).
pub(crate) struct IpRecords;

impl Reconcile for IpRecords {
    type Want = DesiredIpRecord;
    type Have = IpRecordState;
    type Key = (Ipv4Addr, u8);

    fn want_key(&self, want: &DesiredIpRecord) -> (Ipv4Addr, u8) {
        want.key()
    }

    fn have_key(&self, have: &IpRecordState) -> (Ipv4Addr, u8) {
        (have.ip, have.prefix)
    }

    fn create(&self, want: &DesiredIpRecord) -> Change {
        CreateIpRecord {
            ip: want.ip(),
            prefix: want.prefix(),
            name: want.name().to_owned(),
        }
        .into()
    }

    fn update(&self, have: &IpRecordState, want: &DesiredIpRecord) -> Option<Change> {
        (have.name != want.name()).then(|| {
            RenameIpRecord {
                sid: have.sid.clone(),
                ip: have.ip,
                prefix: have.prefix,
                from: have.name.clone(),
                to: want.name().to_owned(),
            }
            .into()
        })
    }

    fn remove(&self, have: &IpRecordState) -> Change {
        RemoveIpRecord {
            sid: have.sid.clone(),
            ip: have.ip,
            prefix: have.prefix,
            name: have.name.clone(),
        }
        .into()
    }
}

impl ByocKind for IpRecords {
    type State = Vec<IpRecordState>;
    const WHAT: &'static str = "IP Records";

    /// Every IP Record of the account (one request per page of 1000), in (address, prefix,
    /// SID) order.
    fn read(client: &Client) -> BoxFuture<'_, Result<Vec<IpRecordState>>> {
        async move {
            let mut records = client
                .ip_records()
                .list()
                .page_size(PAGE_SIZE)
                .collect()
                .await?
                .into_iter()
                .map(|r| {
                    let ip = ipv4(r.ip_address.as_deref(), || format!("IP Record {}", r.sid))?;
                    Ok(IpRecordState {
                        ip,
                        prefix: r.cidr_prefix_length.unwrap_or(32),
                        sid: r.sid,
                        name: r.friendly_name.unwrap_or_default(),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            records.sort();
            Ok(records)
        }
        .boxed()
    }

    fn sids(state: &Vec<IpRecordState>) -> Vec<String> {
        state.iter().map(|r| r.sid.to_string()).collect()
    }

    fn entries(state: &Vec<IpRecordState>) -> usize {
        state.len()
    }

    /// Refuses, at the entry, a record whose identity several live records share (the file
    /// cannot say which one it means).
    fn diff(
        desired: &Desired,
        records: &[DesiredIpRecord],
        group: &ByocState,
        _: &Live,
        out: &mut Vec<Change>,
    ) -> crate::allowlist::Result<()> {
        for record in records {
            let same: Vec<&IpRecordState> = (group.ip_records.iter())
                .filter(|r| (r.ip, r.prefix) == record.key())
                .collect();
            if same.len() > 1 {
                let sids: Vec<String> = same.iter().map(|r| r.sid.to_string()).collect();
                let reason = format!(
                    "{} IP Records in the account are {} ({}): the file cannot tell which one it means; delete all but one first",
                    same.len(),
                    record.cidr(),
                    sids.join(", ")
                );
                return Err(refused_at(desired, record, reason).into());
            }
        }
        reconcile(&IpRecords, records, &group.ip_records, out);
        Ok(())
    }
}
