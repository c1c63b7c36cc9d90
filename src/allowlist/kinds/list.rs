//! A list (an IP access control list): created when the file names one that does not exist,
//! and deleted only when it is an emptied part of a split list, or when it is pruned (its
//! name starts with the file's `prune_prefix`, the file does not name it, and the plan was made
//! with pruning). Its identity is its
//! `FriendlyName`; the other kinds of a list act under it, by the key [`key`].

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Action, Parents, Sent};
use crate::Client;
use crate::allowlist::change::{Existing, Made};

/// The key of a list among the [`Parents`]: its name.
pub(crate) fn key(list: &str) -> String {
    format!("list {list}")
}

/// The SID of the list a change acts under.
pub(crate) fn sid(
    parents: &Parents,
    list: &str,
) -> crate::Result<crate::sid::IpAccessControlListSid> {
    parents.get(&key(list), &format!("list {list:?}"))
}

/// Create the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CreateList {
    /// The list's name.
    pub list: String,
}

/// Delete a list (`DELETE …/SIP/IpAccessControlLists/{Sid}.json`), after it is detached: a
/// part of a split list that is left empty (once emptied), or a list pruned (its addresses go
/// with it, in this one request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct DeleteList {
    /// The list's name (a part's is `NAME (2)`…).
    pub list: String,
    /// For a pruned list, the file's `prune_prefix`, which its name starts with (absent for an
    /// emptied part). Came in `format_version` 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schemars", schemars(length(min = 1)))]
    pub pruned: Option<String>,
}

impl Action for CreateList {
    fn list(&self) -> Option<&str> {
        Some(&self.list)
    }

    fn made(&self) -> Option<Made<'_>> {
        Some(Made::List)
    }

    fn plan_line(&self) -> String {
        format!("+ list {:?} (new)", self.list)
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+ create list {:?}", self.list)
    }
}

impl CreateList {
    pub(crate) async fn send(&self, client: &Client, _: &Parents) -> crate::Result<Sent> {
        let (created, request_id) = client
            .sip_ip_access_control_lists()
            .create(&self.list)
            .send_with_request_id()
            .await?;
        Ok(Sent::created(
            Some(key(&self.list)),
            created.sid,
            request_id,
        ))
    }
}

impl Action for DeleteList {
    fn list(&self) -> Option<&str> {
        Some(&self.list)
    }

    fn existing(&self) -> Option<Existing<'_>> {
        Some(Existing::List)
    }

    fn plan_line(&self) -> String {
        match &self.pruned {
            Some(prefix) => format!(
                "- delete list {:?} (pruned: not in the file, named with its prune_prefix {prefix:?}; its addresses go with it)",
                self.list
            ),
            None => format!("- delete list {:?} (an empty part)", self.list),
        }
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "- delete list {:?}", self.list)?;
        if self.pruned.is_some() {
            write!(f, " (pruned)")?;
        }
        Ok(())
    }
}

impl DeleteList {
    pub(crate) async fn send(&self, client: &Client, parents: &Parents) -> crate::Result<Sent> {
        client
            .sip_ip_access_control_lists()
            .delete(sid(parents, &self.list)?)
            .send_with_request_id()
            .await
            .map(|(_, request_id)| Sent::answered(request_id))
    }
}
