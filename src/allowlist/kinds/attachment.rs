//! A list's association with a trunk, or its mapping to a SIP domain's calls: one kind, the
//! [`Target`] of a list. Its identity is the target (kind and SID) under its list; it has
//! nothing to update in place. What differs between trunks and domains is in
//! [`TargetKind`](crate::allowlist::TargetKind).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Action, Change, Parents, Position, Reconcile, Sent, list};
use crate::allowlist::change::{Existing, Made};
use crate::{
    Client,
    allowlist::{change::Target, target::TargetKind},
    error::Result,
};

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
