//! Reading the live state: the account's lists and its trunks and SIP domains, then the reads
//! of every kind kept under the lists ([`ListKind::reads`](super::kinds::ListKind::reads):
//! the addresses of the lists wanted, which lists each trunk and domain uses), and with
//! `[byoc]` the reads of the `[byoc]` kinds.
//!
//! The cost is fixed by the account's shape, never by its addresses: one request for the lists,
//! one per page of addresses of each wanted list that exists (a list holds at most 100, a page
//! 1000), one per kind of target (trunks, SIP domains), and one per trunk and per SIP domain
//! (their lists), each with a page size of 1000 (one more request per further 1000 items).
//! Reads after the first ones run [`ReadOptions::concurrency`] at a time. With `[byoc]`, one
//! request for the IP Records and one for the Source IP Mappings join the first ones.

use std::{collections::BTreeMap, net::Ipv4Addr};

use futures_util::{StreamExt, TryStreamExt, future, stream};

use super::{
    document::{ByocState, ListState},
    target::TargetKind,
};
use crate::{
    Client,
    error::{Error, Result},
    sid::{AccountSid, IpAccessControlListSid},
};

/// The page size of every read: Twilio's largest.
pub(crate) const PAGE_SIZE: u32 = 1000;
/// The default of [`ReadOptions::concurrency`]: 32 reads in flight.
///
/// Planning reads one request per trunk and per SIP domain, so on a large account the reads'
/// latency, not their number, sets the time: 1,000 trunks and 1,000 SIP domains at 50 ms per
/// request wait 2,000 × 50 ms / 32 ≈ 3.1 s at 32 (26 s at the former 4, 100 s one at a time).
/// Each request also costs some time of its own (about 7 ms on the emulator in a debug
/// build), which at 20 in flight already took the whole plan to 8 s: 32 keeps it under the
/// 7 s target (`benches/allowlist.rs` measures it). Twilio limits requests per account by
/// concurrency, not by rate, and publishes no number for these APIs; these are cheap GETs
/// during a plan only, and a 429 (error 20429) is retried by the client's
/// [`RetryPolicy`](crate::RetryPolicy) after `Retry-After` like any other request. Lower it
/// with [`ReadOptions::concurrency`] (`--read-concurrency`) on an account that is often at its
/// limit.
pub const DEFAULT_READ_CONCURRENCY: usize = 32;

/// How the live state is read (by [`plan_with`](super::plan_with), a saved plan's
/// verification and [`export`](super::export)).
///
/// ```
/// use twilio_ip_access::allowlist::{DEFAULT_READ_CONCURRENCY, ReadOptions};
///
/// assert_eq!(ReadOptions::default().get_concurrency(), DEFAULT_READ_CONCURRENCY);
/// assert_eq!(ReadOptions::default().concurrency(0).get_concurrency(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    concurrency: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            concurrency: DEFAULT_READ_CONCURRENCY,
        }
    }
}

impl ReadOptions {
    /// How many of the per-list and per-target reads are in flight at once (default
    /// [`DEFAULT_READ_CONCURRENCY`], at least 1).
    #[must_use]
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// The read concurrency.
    pub fn get_concurrency(&self) -> usize {
        self.concurrency
    }
}

/// A list of the account.
#[derive(Debug, Clone)]
pub(crate) struct LiveList {
    pub(crate) sid: IpAccessControlListSid,
    pub(crate) name: String,
}

/// A trunk or SIP domain: its kind, SID and name (`FriendlyName`, domain name).
#[derive(Debug, Clone)]
pub(crate) struct LiveTarget {
    pub(crate) kind: TargetKind,
    pub(crate) sid: String,
    pub(crate) name: Option<String>,
}

/// What was read.
#[derive(Debug, Clone)]
pub(crate) struct Live {
    pub(crate) account_sid: AccountSid,
    pub(crate) lists: Vec<LiveList>,
    pub(crate) targets: Vec<LiveTarget>,
    /// What the lists hold, of every kind kept under them, by list (a list's addresses are
    /// read only when it is wanted).
    pub(crate) held: BTreeMap<IpAccessControlListSid, ListState>,
    /// Every IP Record and Source IP Mapping, when they were read.
    pub(crate) byoc: Option<ByocState>,
}

impl Live {
    /// The lists with this `FriendlyName`.
    pub(crate) fn lists_named(&self, name: &str) -> Vec<&LiveList> {
        self.lists.iter().filter(|l| l.name == name).collect()
    }

    /// The trunks or SIP domains of the account.
    pub(crate) fn targets(&self, kind: TargetKind) -> impl Iterator<Item = &LiveTarget> {
        self.targets.iter().filter(move |t| t.kind == kind)
    }

    /// A target's name for display: its name, or its SID when it has none.
    pub(crate) fn target_name(&self, kind: TargetKind, sid: &str) -> String {
        self.targets(kind)
            .find(|t| t.sid == sid)
            .and_then(|t| t.name.clone())
            .unwrap_or_else(|| sid.to_owned())
    }

    /// What a list holds, as read: its state with its name and SID (empty when nothing of it
    /// was read).
    pub(crate) fn held(&self, list: &LiveList) -> ListState {
        let mut state = self.held.get(&list.sid).cloned().unwrap_or_default();
        state.name.clone_from(&list.name);
        state.sid = Some(list.sid.clone());
        state
    }

    /// The SIDs of the trunks or SIP domains a list is attached to, in SID order.
    pub(crate) fn attached(&self, list: &IpAccessControlListSid, kind: TargetKind) -> Vec<String> {
        self.held
            .get(list)
            .map(|state| state.attachments.of(kind))
            .unwrap_or_default()
    }
}

/// A live resource's IP address, or the error that says which resource's is not IPv4 (the
/// value itself stays out of the error: IP addresses are PII for Twilio).
pub(crate) fn ipv4(text: Option<&str>, what: impl FnOnce() -> String) -> Result<Ipv4Addr> {
    text.and_then(|text| text.parse::<Ipv4Addr>().ok())
        .ok_or_else(|| Error::Decode {
            status: 200,
            url: None,
            reason: format!("{} is not an IPv4 address in dotted decimal", what()),
            request_id: None,
        })
}

/// Reads the live state; the addresses of the lists whose name `wanted` accepts (all lists
/// when `None`), with at most `options.concurrency` of the per-list and per-target reads in
/// flight; and, when `byoc`, every IP Record and Source IP Mapping.
pub(crate) async fn read(
    client: &Client,
    wanted: Option<&(dyn Fn(&str) -> bool + Sync)>,
    byoc: bool,
    options: ReadOptions,
) -> Result<Live> {
    let byoc_read = async {
        match byoc {
            true => ByocState::read(client).await.map(Some),
            false => Ok(None),
        }
    };
    let ((lists, targets), byoc) = future::try_join(
        future::try_join(
            client
                .sip_ip_access_control_lists()
                .list()
                .page_size(PAGE_SIZE)
                .collect(),
            future::try_join_all(TargetKind::ALL.map(|kind| async move {
                // Read through a parent's credentials, they would be the parent's.
                if !kind.reachable(client) {
                    return Ok(Vec::new());
                }
                let all = kind.read_all(client).await?;
                all.into_iter()
                    .map(|(sid, name)| {
                        // Checked once here, so that a plan's SIDs are always well-formed.
                        kind.check_sid(&sid).map_err(|reason| Error::Decode {
                            status: 200,
                            url: None,
                            reason,
                            request_id: None,
                        })?;
                        Ok(LiveTarget { kind, sid, name })
                    })
                    .collect::<Result<Vec<_>>>()
            })),
        ),
        byoc_read,
    )
    .await?;
    let lists: Vec<LiveList> = lists
        .into_iter()
        .map(|l| LiveList {
            sid: l.sid,
            name: l.friendly_name.unwrap_or_default(),
        })
        .collect();
    let targets: Vec<LiveTarget> = targets.into_iter().flatten().collect();
    let wanted: Vec<&LiveList> = lists
        .iter()
        .filter(|l| wanted.is_none_or(|wanted| wanted(&l.name)))
        .collect();
    let found: Vec<Vec<(IpAccessControlListSid, ListState)>> =
        stream::iter(ListState::reads(client, &wanted, &targets))
            .buffer_unordered(options.concurrency)
            .try_collect()
            .await?;
    let mut held: BTreeMap<IpAccessControlListSid, ListState> = BTreeMap::new();
    for (list, state) in found.into_iter().flatten() {
        held.entry(list).or_default().merge(state);
    }
    held.values_mut().for_each(ListState::settle);
    Ok(Live {
        account_sid: client.account_sid().clone(),
        lists,
        targets,
        held,
        byoc,
    })
}
