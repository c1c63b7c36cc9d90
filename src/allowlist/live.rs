//! Reading the live state: the account's lists, the addresses of the lists wanted, the trunks
//! and SIP domains, and which lists each trunk and domain uses.
//!
//! The cost is fixed by the account's shape, never by its addresses: one request for the lists,
//! one per page of addresses of each wanted list that exists (a list holds at most 100, a page
//! 1000), one for the trunks, one for the SIP domains, and one per trunk and per SIP domain
//! (their lists), each with a page size of 1000 (one more request per further 1000 items).
//! Reads after the first three run [`READ_CONCURRENCY`] at a time.

use std::{
    collections::{BTreeMap, BTreeSet},
    net::Ipv4Addr,
};

use futures_util::{StreamExt, TryStreamExt, future, stream};

use crate::{
    Client, SipIpAddress,
    error::{Error, Result},
    sid::{AccountSid, IpAccessControlListSid, IpAddressSid, SipDomainSid, TrunkSid},
};

/// The page size of every read: Twilio's largest.
pub(crate) const PAGE_SIZE: u32 = 1000;
/// How many reads run at once.
pub(crate) const READ_CONCURRENCY: usize = 4;

/// A list of the account.
#[derive(Debug, Clone)]
pub(crate) struct LiveList {
    pub(crate) sid: IpAccessControlListSid,
    pub(crate) name: String,
}

/// An address of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LiveAddress {
    pub(crate) sid: IpAddressSid,
    pub(crate) ip: Ipv4Addr,
    pub(crate) prefix: u8,
    pub(crate) name: String,
}

/// A trunk: its SID and `FriendlyName`.
#[derive(Debug, Clone)]
pub(crate) struct LiveTrunk {
    pub(crate) sid: TrunkSid,
    pub(crate) name: Option<String>,
}

/// A SIP domain: its SID and domain name.
#[derive(Debug, Clone)]
pub(crate) struct LiveDomain {
    pub(crate) sid: SipDomainSid,
    pub(crate) domain_name: Option<String>,
}

/// What was read.
#[derive(Debug, Clone)]
pub(crate) struct Live {
    pub(crate) account_sid: AccountSid,
    pub(crate) lists: Vec<LiveList>,
    /// The addresses of the lists that were wanted, by list.
    pub(crate) addresses: BTreeMap<IpAccessControlListSid, Vec<LiveAddress>>,
    pub(crate) trunks: Vec<LiveTrunk>,
    pub(crate) domains: Vec<LiveDomain>,
    /// The trunks each list is attached to.
    pub(crate) trunk_attachments: BTreeMap<IpAccessControlListSid, BTreeSet<TrunkSid>>,
    /// The SIP domains each list is mapped to (calls).
    pub(crate) domain_attachments: BTreeMap<IpAccessControlListSid, BTreeSet<SipDomainSid>>,
}

impl Live {
    /// The lists with this `FriendlyName`.
    pub(crate) fn lists_named(&self, name: &str) -> Vec<&LiveList> {
        self.lists.iter().filter(|l| l.name == name).collect()
    }

    pub(crate) fn trunk_name(&self, sid: &TrunkSid) -> String {
        self.trunks
            .iter()
            .find(|t| &t.sid == sid)
            .and_then(|t| t.name.clone())
            .unwrap_or_else(|| sid.to_string())
    }

    pub(crate) fn domain_name(&self, sid: &SipDomainSid) -> String {
        self.domains
            .iter()
            .find(|d| &d.sid == sid)
            .and_then(|d| d.domain_name.clone())
            .unwrap_or_else(|| sid.to_string())
    }
}

enum Job {
    Addresses(IpAccessControlListSid),
    Trunk(TrunkSid),
    Domain(SipDomainSid),
}

enum Got {
    Addresses(IpAccessControlListSid, Vec<LiveAddress>),
    Trunk(TrunkSid, Vec<IpAccessControlListSid>),
    Domain(SipDomainSid, Vec<IpAccessControlListSid>),
}

fn address(list: &IpAccessControlListSid, a: SipIpAddress) -> Result<LiveAddress> {
    // The value itself stays out of the error: IP addresses are PII for Twilio.
    let ip = a
        .ip_address
        .as_deref()
        .and_then(|text| text.parse::<Ipv4Addr>().ok())
        .ok_or_else(|| Error::Decode {
            status: 200,
            reason: format!(
                "IP address {} of list {list} is not an IPv4 address in dotted decimal",
                a.sid
            ),
            request_id: None,
        })?;
    Ok(LiveAddress {
        sid: a.sid,
        ip,
        prefix: a.cidr_prefix_length.unwrap_or(32),
        name: a.friendly_name.unwrap_or_default(),
    })
}

/// Reads the live state; the addresses of the lists named in `wanted` (all lists when `None`).
pub(crate) async fn read(client: &Client, wanted: Option<&[String]>) -> Result<Live> {
    let lists: Vec<LiveList> = client
        .sip_ip_access_control_lists()
        .list()
        .page_size(PAGE_SIZE)
        .collect()
        .await?
        .into_iter()
        .map(|l| LiveList {
            sid: l.sid,
            name: l.friendly_name.unwrap_or_default(),
        })
        .collect();
    let (trunks, domains) = future::try_join(
        client.trunks().list().page_size(PAGE_SIZE).collect(),
        client.sip_domains().list().page_size(PAGE_SIZE).collect(),
    )
    .await?;
    let trunks: Vec<LiveTrunk> = trunks
        .into_iter()
        .map(|t| LiveTrunk {
            sid: t.sid,
            name: t.friendly_name,
        })
        .collect();
    let domains: Vec<LiveDomain> = domains
        .into_iter()
        .map(|d| LiveDomain {
            sid: d.sid,
            domain_name: d.domain_name,
        })
        .collect();
    let jobs = lists
        .iter()
        .filter(|l| wanted.is_none_or(|names| names.contains(&l.name)))
        .map(|l| Job::Addresses(l.sid.clone()))
        .chain(trunks.iter().map(|t| Job::Trunk(t.sid.clone())))
        .chain(domains.iter().map(|d| Job::Domain(d.sid.clone())));
    let got: Vec<Got> = stream::iter(jobs)
        .map(|job| async move {
            Ok::<_, Error>(match job {
                Job::Addresses(list) => {
                    let page = client
                        .sip_ip_access_control_list(&list)
                        .ip_addresses()
                        .list()
                        .page_size(PAGE_SIZE)
                        .collect()
                        .await?;
                    let addresses = page
                        .into_iter()
                        .map(|a| address(&list, a))
                        .collect::<Result<_>>()?;
                    Got::Addresses(list, addresses)
                }
                Job::Trunk(trunk) => {
                    let attached = client
                        .trunk(&trunk)
                        .ip_access_control_lists()
                        .list()
                        .page_size(PAGE_SIZE)
                        .collect()
                        .await?;
                    Got::Trunk(trunk, attached.into_iter().map(|a| a.sid).collect())
                }
                Job::Domain(domain) => {
                    let mapped = client
                        .sip_domain(&domain)
                        .auth_calls_ip_access_control_list_mappings()
                        .list()
                        .page_size(PAGE_SIZE)
                        .collect()
                        .await?;
                    Got::Domain(domain, mapped.into_iter().map(|m| m.sid).collect())
                }
            })
        })
        .buffer_unordered(READ_CONCURRENCY)
        .try_collect()
        .await?;
    let mut live = Live {
        account_sid: client.account_sid().clone(),
        lists,
        addresses: BTreeMap::new(),
        trunks,
        domains,
        trunk_attachments: BTreeMap::new(),
        domain_attachments: BTreeMap::new(),
    };
    for got in got {
        match got {
            Got::Addresses(list, addresses) => {
                live.addresses.insert(list, addresses);
            }
            Got::Trunk(trunk, lists) => {
                for list in lists {
                    live.trunk_attachments
                        .entry(list)
                        .or_default()
                        .insert(trunk.clone());
                }
            }
            Got::Domain(domain, lists) => {
                for list in lists {
                    live.domain_attachments
                        .entry(list)
                        .or_default()
                        .insert(domain.clone());
                }
            }
        }
    }
    Ok(live)
}
