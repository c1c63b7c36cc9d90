//! An address in a list (a SIP IP Address): identity (IpAddress, CidrPrefixLength) within its
//! list, `FriendlyName` updated in place, read one page of up to 1000 per list wanted. A list's
//! starting state holds its addresses ([`AddressState`]); a pruned list's go with it.

use std::{collections::BTreeSet, fmt, net::Ipv4Addr};

use serde::{Deserialize, Serialize};

use super::{
    Action, Change, ListKind, ListRead, ListWant, Parents, Reconcile, Sent, entry_line,
    entry_position, list, list_name, reconcile,
};
use crate::allowlist::{
    change::{Existing, Made, Value},
    sources::AddressOrigin,
};
use crate::{
    Client, SipIpAddress,
    allowlist::{
        desired::DesiredAddress,
        live::{Live, LiveList, LiveTarget, PAGE_SIZE, ipv4},
    },
    error::Result,
    sid::{IpAccessControlListSid, IpAddressSid},
};
use futures_util::FutureExt;

/// An address as it was when the plan was made.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AddressState {
    /// `IpAddress`.
    pub ip: Ipv4Addr,
    /// `CidrPrefixLength`.
    pub prefix: u8,
    /// The address's SID.
    pub sid: IpAddressSid,
    /// `FriendlyName`.
    pub name: String,
}

/// Add an address to the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AddAddress {
    /// The list's name.
    pub list: String,
    /// `IpAddress`.
    pub ip: Ipv4Addr,
    /// `CidrPrefixLength`.
    pub prefix: u8,
    /// `FriendlyName`.
    pub name: String,
    /// Where it comes from (its `set` and `source`), when it is not written in the list
    /// itself.
    #[serde(flatten)]
    pub origin: AddressOrigin,
}

/// Rename an address in place (same identity, new `FriendlyName`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RenameAddress {
    /// The list's name.
    pub list: String,
    /// The address's SID.
    pub sid: IpAddressSid,
    /// `IpAddress`.
    pub ip: Ipv4Addr,
    /// `CidrPrefixLength`.
    pub prefix: u8,
    /// The name it has.
    pub from: String,
    /// The name it gets.
    pub to: String,
    /// Where the new name comes from (its `set` and `source`), when it is not written in the
    /// list itself.
    #[serde(flatten)]
    pub origin: AddressOrigin,
}

/// Remove an address from the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RemoveAddress {
    /// The list's name.
    pub list: String,
    /// The address's SID.
    pub sid: IpAddressSid,
    /// `IpAddress`.
    pub ip: Ipv4Addr,
    /// `CidrPrefixLength`.
    pub prefix: u8,
    /// Its `FriendlyName`.
    pub name: String,
}

impl Action for AddAddress {
    entry_position!(in_list);

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            list_name(&self.list),
            Value::Cidr(self.ip, self.prefix),
            Value::Name {
                what: "address's name",
                name: &self.name,
            },
        ]
    }

    fn made(&self) -> Option<Made<'_>> {
        Some(Made::Address(self.ip, self.prefix))
    }

    fn plan_line(&self) -> String {
        let rest = format!("{:?}{}", self.name, self.origin);
        entry_line('+', self.ip, self.prefix, &rest)
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (ip, prefix, origin) = (self.ip, self.prefix, &self.origin);
        write!(
            f,
            "+ {ip}/{prefix} {:?}{origin} in list {:?}",
            self.name, self.list
        )
    }
}

impl Action for RenameAddress {
    entry_position!(in_list);

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            list_name(&self.list),
            Value::Name {
                what: "address's name",
                name: &self.to,
            },
        ]
    }

    fn existing(&self) -> Option<Existing<'_>> {
        Some(Existing::Address {
            sid: &self.sid,
            cidr: (self.ip, self.prefix),
            name: &self.from,
        })
    }

    fn plan_line(&self) -> String {
        let (from, to) = (&self.from, &self.to);
        let rest = format!("{from:?} -> {to:?}{}", self.origin);
        entry_line('~', self.ip, self.prefix, &rest)
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (ip, prefix, from, to) = (self.ip, self.prefix, &self.from, &self.to);
        write!(
            f,
            "~ {ip}/{prefix} {from:?} -> {to:?} in list {:?}",
            self.list
        )
    }

    fn sids(&self) -> Vec<String> {
        vec![self.sid.to_string()]
    }
}

impl Action for RemoveAddress {
    entry_position!(in_list);

    fn existing(&self) -> Option<Existing<'_>> {
        Some(Existing::Address {
            sid: &self.sid,
            cidr: (self.ip, self.prefix),
            name: &self.name,
        })
    }

    fn plan_line(&self) -> String {
        entry_line('-', self.ip, self.prefix, &format!("{:?}", self.name))
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (ip, prefix) = (self.ip, self.prefix);
        write!(
            f,
            "- {ip}/{prefix} {:?} from list {:?}",
            self.name, self.list
        )
    }

    fn sids(&self) -> Vec<String> {
        vec![self.sid.to_string()]
    }
}

impl AddAddress {
    pub(crate) async fn send(&self, client: &Client, parents: &Parents) -> Result<Sent> {
        let (created, request_id) = client
            .sip_ip_access_control_list(list::sid(parents, &self.list)?)
            .ip_addresses()
            .create(&self.name, self.ip)
            .cidr_prefix_length(self.prefix)
            .send_with_request_id()
            .await?;
        Ok(Sent::created(None, created.sid, request_id))
    }
}

impl RenameAddress {
    pub(crate) async fn send(&self, client: &Client, parents: &Parents) -> Result<Sent> {
        client
            .sip_ip_access_control_list(list::sid(parents, &self.list)?)
            .ip_addresses()
            .update(&self.sid)
            .friendly_name(&self.to)
            .send_with_request_id()
            .await
            .map(|(_, request_id)| Sent::answered(request_id))
    }
}

impl RemoveAddress {
    pub(crate) async fn send(&self, client: &Client, parents: &Parents) -> Result<Sent> {
        client
            .sip_ip_access_control_list(list::sid(parents, &self.list)?)
            .ip_addresses()
            .delete(&self.sid)
            .send_with_request_id()
            .await
            .map(|(_, request_id)| Sent::answered(request_id))
    }
}

/// The addresses of one Twilio list, for [`reconcile`](super::reconcile).
pub(crate) struct Addresses<'a> {
    /// The list's name.
    pub(crate) list: &'a str,
}

impl Reconcile for Addresses<'_> {
    type Want = DesiredAddress;
    type Have = AddressState;
    type Key = (Ipv4Addr, u8);

    fn want_key(&self, want: &DesiredAddress) -> (Ipv4Addr, u8) {
        want.key()
    }

    fn have_key(&self, have: &AddressState) -> (Ipv4Addr, u8) {
        (have.ip, have.prefix)
    }

    fn create(&self, want: &DesiredAddress) -> Change {
        AddAddress {
            list: self.list.to_owned(),
            ip: want.ip(),
            prefix: want.prefix(),
            name: want.name().to_owned(),
            origin: want.address_origin().clone(),
        }
        .into()
    }

    fn update(&self, have: &AddressState, want: &DesiredAddress) -> Option<Change> {
        (have.name != want.name()).then(|| {
            RenameAddress {
                list: self.list.to_owned(),
                sid: have.sid.clone(),
                ip: have.ip,
                prefix: have.prefix,
                from: have.name.clone(),
                to: want.name().to_owned(),
                origin: want.address_origin().clone(),
            }
            .into()
        })
    }

    fn remove(&self, have: &AddressState) -> Change {
        RemoveAddress {
            list: self.list.to_owned(),
            sid: have.sid.clone(),
            ip: have.ip,
            prefix: have.prefix,
            name: have.name.clone(),
        }
        .into()
    }
}

impl ListKind for Addresses<'_> {
    type State = Vec<AddressState>;

    fn reads<'a>(
        client: &'a Client,
        lists: &[&'a LiveList],
        _: &'a [LiveTarget],
    ) -> Vec<ListRead<'a, Self::State>> {
        lists
            .iter()
            .copied()
            .map(|l| async move { Ok(vec![(l.sid.clone(), read(client, &l.sid).await?)]) }.boxed())
            .collect()
    }

    fn merge(state: &mut Self::State, found: Self::State) {
        state.extend(found);
    }

    fn settle(state: &mut Self::State) {
        state.sort();
    }

    fn sids(state: &Self::State) -> Vec<String> {
        state.iter().map(|a| a.sid.to_string()).collect()
    }

    fn entries(state: &Self::State) -> usize {
        state.len()
    }

    fn difference(list: &str, then: &Self::State, now: &Self::State) -> Option<String> {
        if then == now {
            return None;
        }
        let sids = |s: &Self::State| -> BTreeSet<IpAddressSid> {
            s.iter().map(|a| a.sid.clone()).collect()
        };
        let (a, b) = (sids(then), sids(now));
        let edited = then
            .iter()
            .filter(|x| now.iter().any(|y| y.sid == x.sid && *y != **x))
            .count();
        Some(format!(
            "the addresses of list {list:?} changed ({} added, {} removed, {edited} edited)",
            b.difference(&a).count(),
            a.difference(&b).count(),
        ))
    }

    fn diff(
        list: &str,
        state: &Self::State,
        want: Option<&ListWant<'_>>,
        _: &Live,
        out: &mut Vec<Change>,
    ) {
        // A pruned list's addresses go with it, in its one DELETE.
        if let Some(want) = want {
            reconcile(&Addresses { list }, want.addresses, state, out);
        }
    }
}

fn address(list: &IpAccessControlListSid, a: SipIpAddress) -> Result<AddressState> {
    let ip = ipv4(a.ip_address.as_deref(), || {
        format!("IP address {} of list {list}", a.sid)
    })?;
    Ok(AddressState {
        sid: a.sid,
        ip,
        prefix: a.cidr_prefix_length.unwrap_or(32),
        name: a.friendly_name.unwrap_or_default(),
    })
}

/// The addresses of one list (one request per page of 1000).
async fn read(client: &Client, list: &IpAccessControlListSid) -> Result<Vec<AddressState>> {
    client
        .sip_ip_access_control_list(list)
        .ip_addresses()
        .list()
        .page_size(PAGE_SIZE)
        .collect()
        .await?
        .into_iter()
        .map(|a| address(list, a))
        .collect()
}
