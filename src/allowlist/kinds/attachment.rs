//! A list's association with a trunk, or its mapping to a SIP domain's calls: one kind, the
//! [`Target`] of a list. Its identity is the target (kind and SID) under its list; it has
//! nothing to update in place. What differs between trunks and domains is in
//! [`TargetKind`](crate::allowlist::TargetKind). They are read one request per trunk and per
//! SIP domain (the lists each uses); a list's starting state holds the SIDs of what it is
//! attached to ([`AttachedState`]); a pruned list is detached from everything before it goes.

use std::fmt;

use serde::{Deserialize, Serialize};

use futures_util::FutureExt;

use super::{
    Action, Change, ListKind, ListRead, ListWant, Parents, Position, Reconcile, Sent, list,
    reconcile,
};
use crate::allowlist::change::{Existing, Made};
use crate::{
    Client,
    allowlist::{
        change::Target,
        live::{Live, LiveList, LiveTarget},
        target::TargetKind,
    },
    error::Result,
    sid::{SipDomainSid, TrunkSid},
};

/// The trunks and SIP domains a list was attached to when the plan was made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AttachedState {
    /// The trunks it was attached to, in SID order.
    pub trunks: Vec<TrunkSid>,
    /// The SIP domains it was mapped to, in SID order.
    pub sip_domains: Vec<SipDomainSid>,
}

impl AttachedState {
    /// The SIDs of the trunks or SIP domains it was attached to.
    pub(crate) fn of(&self, kind: TargetKind) -> Vec<String> {
        match kind {
            TargetKind::Trunk => self.trunks.iter().map(ToString::to_string).collect(),
            TargetKind::SipDomain => self.sip_domains.iter().map(ToString::to_string).collect(),
        }
    }

    /// How many trunks and SIP domains.
    pub(crate) fn len(&self) -> usize {
        self.trunks.len() + self.sip_domains.len()
    }

    /// The trunks and SIP domains, with their names in `live`.
    pub(crate) fn targets(&self, live: &Live) -> Vec<Target> {
        TargetKind::ALL
            .into_iter()
            .flat_map(|kind| self.of(kind).into_iter().map(move |sid| (kind, sid)))
            .map(|(kind, sid)| Target {
                kind,
                name: live.target_name(kind, &sid),
                sid,
            })
            .collect()
    }
}

/// Attach the list to a trunk or map it to a SIP domain's calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Attach {
    /// The list's name.
    pub list: String,
    /// The trunk or domain.
    pub target: Target,
}

/// Detach the list from a trunk or unmap it from a SIP domain's calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Detach {
    /// The list's name.
    pub list: String,
    /// The trunk or domain.
    pub target: Target,
}

impl Action for Attach {
    fn list(&self) -> Option<&str> {
        Some(&self.list)
    }

    fn order_key(&self) -> Position<'_> {
        (None, Some(&self.target))
    }

    fn made(&self) -> Option<Made<'_>> {
        Some(Made::Attachment(&self.target))
    }

    fn plan_line(&self) -> String {
        format!("  + attach {}", self.target)
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+ attach list {:?} to {}", self.list, self.target)
    }
}

impl Action for Detach {
    fn list(&self) -> Option<&str> {
        Some(&self.list)
    }

    fn order_key(&self) -> Position<'_> {
        (None, Some(&self.target))
    }

    fn existing(&self) -> Option<Existing<'_>> {
        Some(Existing::Attachment(&self.target))
    }

    fn plan_line(&self) -> String {
        format!("  - detach {}", self.target)
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "- detach list {:?} from {}", self.list, self.target)
    }

    fn sids(&self) -> Vec<String> {
        vec![self.target.sid.clone()]
    }
}

impl Attach {
    pub(crate) async fn send(&self, client: &Client, parents: &Parents) -> Result<Sent> {
        let list = list::sid(parents, &self.list)?;
        let request_id = self
            .target
            .kind
            .attach(client, &self.target.sid, &list)
            .await?;
        Ok(Sent::answered(request_id))
    }
}

impl Detach {
    pub(crate) async fn send(&self, client: &Client, parents: &Parents) -> Result<Sent> {
        let list = list::sid(parents, &self.list)?;
        let request_id = self
            .target
            .kind
            .detach(client, &self.target.sid, &list)
            .await?;
        Ok(Sent::answered(request_id))
    }
}

/// The trunks and domains of one Twilio list, for [`reconcile`](super::reconcile).
pub(crate) struct Attachments<'a> {
    /// The list's name.
    pub(crate) list: &'a str,
}

impl Reconcile for Attachments<'_> {
    type Want = Target;
    type Have = Target;
    type Key = (TargetKind, String);

    fn want_key(&self, want: &Target) -> Self::Key {
        (want.kind, want.sid.clone())
    }

    fn have_key(&self, have: &Target) -> Self::Key {
        (have.kind, have.sid.clone())
    }

    fn create(&self, want: &Target) -> Change {
        Attach {
            list: self.list.to_owned(),
            target: want.clone(),
        }
        .into()
    }

    fn update(&self, _: &Target, _: &Target) -> Option<Change> {
        // The identity is all there is.
        None
    }

    fn remove(&self, have: &Target) -> Change {
        Detach {
            list: self.list.to_owned(),
            target: have.clone(),
        }
        .into()
    }
}

impl ListKind for Attachments<'_> {
    type State = AttachedState;

    fn reads<'a>(
        client: &'a Client,
        _: &[&'a LiveList],
        targets: &'a [LiveTarget],
    ) -> Vec<ListRead<'a, AttachedState>> {
        targets
            .iter()
            .map(|t| {
                async move {
                    let lists = t.kind.read_lists(client, &t.sid).await?;
                    // The target's SID was checked when read.
                    let one = || match t.kind {
                        TargetKind::Trunk => AttachedState {
                            trunks: TrunkSid::new(&t.sid).into_iter().collect(),
                            ..AttachedState::default()
                        },
                        TargetKind::SipDomain => AttachedState {
                            sip_domains: SipDomainSid::new(&t.sid).into_iter().collect(),
                            ..AttachedState::default()
                        },
                    };
                    Ok(lists.into_iter().map(|list| (list, one())).collect())
                }
                .boxed()
            })
            .collect()
    }

    fn merge(state: &mut AttachedState, found: AttachedState) {
        state.trunks.extend(found.trunks);
        state.sip_domains.extend(found.sip_domains);
    }

    fn settle(state: &mut AttachedState) {
        state.trunks.sort();
        state.trunks.dedup();
        state.sip_domains.sort();
        state.sip_domains.dedup();
    }

    fn sids(state: &AttachedState) -> Vec<String> {
        TargetKind::ALL
            .into_iter()
            .flat_map(|k| state.of(k))
            .collect()
    }

    fn entries(state: &AttachedState) -> usize {
        state.len()
    }

    fn difference(list: &str, then: &AttachedState, now: &AttachedState) -> Option<String> {
        TargetKind::ALL
            .into_iter()
            .find(|kind| then.of(*kind) != now.of(*kind))
            .map(|kind| format!("the {}s of list {list:?} changed", kind.what()))
    }

    fn diff(
        list: &str,
        state: &AttachedState,
        want: Option<&ListWant<'_>>,
        live: &Live,
        out: &mut Vec<Change>,
    ) {
        // A pruned list is detached from everything first.
        let targets = want.map_or(&[][..], |w| w.targets);
        reconcile(&Attachments { list }, targets, &state.targets(live), out);
    }
}
