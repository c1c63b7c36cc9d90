//! The change vocabulary: the [`Step`]s of apply in their order, the [`Change`]s a plan holds
//! (one request each), what a list is attached to ([`Target`]), and the plan's [`Summary`].
//!
//! [`Step`] is the one order of the module: apply runs the steps in it, the plan shows a list's
//! changes in it, and the plan document lists its changes in it. A new kind of change is one
//! new `Step` and one new `Change` variant here, and its request in `apply`.

use std::{fmt, net::Ipv4Addr};

use serde::{Deserialize, Serialize};

use super::{sources::AddressOrigin, target::TargetKind};
use crate::sid::IpAddressSid;

/// The steps of apply, in the order they run (and the order a plan shows and saves its
/// changes in). Adding comes before removing, so that no desired address is ever missing along
/// the way: lists are created and addresses added before anything is attached, and detaching
/// and removing come last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    /// Create lists.
    CreateList,
    /// Add addresses.
    AddAddress,
    /// Rename addresses in place.
    RenameAddress,
    /// Attach lists to trunks and SIP domains.
    Attach,
    /// Detach lists from trunks and SIP domains.
    Detach,
    /// Remove addresses.
    RemoveAddress,
    /// Delete the parts of split lists that are left empty (the only lists ever deleted),
    /// once detached and emptied.
    DeleteList,
}

impl Step {
    /// Every step, in apply order.
    pub const ALL: [Step; 7] = [
        Step::CreateList,
        Step::AddAddress,
        Step::RenameAddress,
        Step::Attach,
        Step::Detach,
        Step::RemoveAddress,
        Step::DeleteList,
    ];

    /// Whether a change of this step adds, changes or removes (the summary's three counts).
    pub fn kind(self) -> ChangeKind {
        match self {
            Step::CreateList | Step::AddAddress | Step::Attach => ChangeKind::Add,
            Step::RenameAddress => ChangeKind::Change,
            Step::Detach | Step::RemoveAddress | Step::DeleteList => ChangeKind::Remove,
        }
    }

    /// The position in apply order, from 0.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Whether a change adds, changes or removes (the three counts of the plan's summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Creating a list, adding an address, attaching a list.
    Add,
    /// Renaming an address.
    Change,
    /// Removing an address, detaching a list.
    Remove,
}

/// What a list is attached to: a trunk (its IP access control lists) or a SIP domain (its
/// call mappings), by SID, with a name to show.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "TargetFields")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Target {
    /// A trunk or a SIP domain.
    pub kind: TargetKind,
    /// Its SID (`TK…` or `SD…`, as `kind` says).
    pub sid: String,
    /// Its `FriendlyName` or domain name (or SID), for display.
    pub name: String,
}

/// A [`Target`] as a document gives it, before its SID is checked against its kind.
/// (The plan document's schema is this type's: serde reads a `Target` through it.)
#[derive(Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
struct TargetFields {
    /// A trunk or a SIP domain.
    kind: TargetKind,
    /// Its SID (`TK…` or `SD…`, as `kind` says).
    #[cfg_attr(
        feature = "schemars",
        schemars(regex(pattern = r"^(TK|SD)[0-9a-fA-F]{32}$"))
    )]
    sid: String,
    /// Its `FriendlyName` or domain name (or SID), for display.
    name: String,
}

impl TryFrom<TargetFields> for Target {
    type Error = String;

    fn try_from(t: TargetFields) -> Result<Self, String> {
        t.kind.check_sid(&t.sid)?;
        Ok(Target {
            kind: t.kind,
            sid: t.sid,
            name: t.name,
        })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?} ({})", self.kind.shown(), self.name, self.sid)
    }
}

/// One write: exactly one request to Twilio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Change {
    /// Create the list (`POST …/SIP/IpAccessControlLists.json`).
    CreateList {
        /// The list's name.
        list: String,
    },
    /// Add an address to the list.
    AddAddress {
        /// The list's name.
        list: String,
        /// `IpAddress`.
        ip: Ipv4Addr,
        /// `CidrPrefixLength`.
        prefix: u8,
        /// `FriendlyName`.
        name: String,
        /// Where it comes from (its `set` and `source`), when it is not written in the list
        /// itself.
        #[serde(flatten)]
        origin: AddressOrigin,
    },
    /// Rename an address in place (same identity, new `FriendlyName`).
    RenameAddress {
        /// The list's name.
        list: String,
        /// The address's SID.
        sid: IpAddressSid,
        /// `IpAddress`.
        ip: Ipv4Addr,
        /// `CidrPrefixLength`.
        prefix: u8,
        /// The name it has.
        from: String,
        /// The name it gets.
        to: String,
        /// Where the new name comes from (its `set` and `source`), when it is not written in
        /// the list itself.
        #[serde(flatten)]
        origin: AddressOrigin,
    },
    /// Attach the list to a trunk or map it to a SIP domain's calls.
    Attach {
        /// The list's name.
        list: String,
        /// The trunk or domain.
        target: Target,
    },
    /// Detach the list from a trunk or unmap it from a SIP domain's calls.
    Detach {
        /// The list's name.
        list: String,
        /// The trunk or domain.
        target: Target,
    },
    /// Remove an address from the list.
    RemoveAddress {
        /// The list's name.
        list: String,
        /// The address's SID.
        sid: IpAddressSid,
        /// `IpAddress`.
        ip: Ipv4Addr,
        /// `CidrPrefixLength`.
        prefix: u8,
        /// Its `FriendlyName`.
        name: String,
    },
    /// Delete a part of a split list that is left empty (`DELETE …/SIP/IpAccessControlLists/{Sid}.json`),
    /// after it is detached and emptied.
    DeleteList {
        /// The part's name (`NAME (2)`…).
        list: String,
    },
}

impl Change {
    /// The name of the list it acts on.
    pub fn list(&self) -> &str {
        match self {
            Change::CreateList { list }
            | Change::DeleteList { list }
            | Change::AddAddress { list, .. }
            | Change::RenameAddress { list, .. }
            | Change::Attach { list, .. }
            | Change::Detach { list, .. }
            | Change::RemoveAddress { list, .. } => list,
        }
    }

    /// The step of apply it belongs to.
    pub fn step(&self) -> Step {
        match self {
            Change::CreateList { .. } => Step::CreateList,
            Change::AddAddress { .. } => Step::AddAddress,
            Change::RenameAddress { .. } => Step::RenameAddress,
            Change::Attach { .. } => Step::Attach,
            Change::Detach { .. } => Step::Detach,
            Change::RemoveAddress { .. } => Step::RemoveAddress,
            Change::DeleteList { .. } => Step::DeleteList,
        }
    }

    /// Add, change or remove.
    pub fn kind(&self) -> ChangeKind {
        self.step().kind()
    }

    /// The order of changes within a step: by list, then by address, then by target.
    pub(crate) fn order_key(&self) -> (Step, &str, Option<(Ipv4Addr, u8)>, Option<&Target>) {
        let address = match self {
            Change::AddAddress { ip, prefix, .. }
            | Change::RenameAddress { ip, prefix, .. }
            | Change::RemoveAddress { ip, prefix, .. } => Some((*ip, *prefix)),
            _ => None,
        };
        let target = match self {
            Change::Attach { target, .. } | Change::Detach { target, .. } => Some(target),
            _ => None,
        };
        (self.step(), self.list(), address, target)
    }

    /// The line of the plan's display, within its list's block.
    pub(crate) fn plan_line(&self) -> String {
        match self {
            Change::CreateList { list } => format!("+ list {list:?} (new)"),
            Change::DeleteList { list } => format!("- delete list {list:?} (an empty part)"),
            Change::AddAddress {
                ip,
                prefix,
                name,
                origin,
                ..
            } => format!("  + {:<18} {name:?}{origin}", format!("{ip}/{prefix}")),
            Change::RenameAddress {
                ip,
                prefix,
                from,
                to,
                origin,
                ..
            } => format!(
                "  ~ {:<18} {from:?} -> {to:?}{origin}",
                format!("{ip}/{prefix}")
            ),
            Change::RemoveAddress {
                ip, prefix, name, ..
            } => format!("  - {:<18} {name:?}", format!("{ip}/{prefix}")),
            Change::Attach { target, .. } => format!("  + attach {target}"),
            Change::Detach { target, .. } => format!("  - detach {target}"),
        }
    }
}

/// One line, with the list: `+ 198.51.100.0/24 "office" in list "office allowlist"`.
impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::CreateList { list } => write!(f, "+ create list {list:?}"),
            Change::DeleteList { list } => write!(f, "- delete list {list:?}"),
            Change::AddAddress {
                list,
                ip,
                prefix,
                name,
                origin,
            } => write!(f, "+ {ip}/{prefix} {name:?}{origin} in list {list:?}"),
            Change::RenameAddress {
                list,
                ip,
                prefix,
                from,
                to,
                ..
            } => write!(f, "~ {ip}/{prefix} {from:?} -> {to:?} in list {list:?}"),
            Change::Attach { list, target } => write!(f, "+ attach list {list:?} to {target}"),
            Change::Detach { list, target } => {
                write!(f, "- detach list {list:?} from {target}")
            }
            Change::RemoveAddress {
                list,
                ip,
                prefix,
                name,
                ..
            } => write!(f, "- {ip}/{prefix} {name:?} from list {list:?}"),
        }
    }
}

/// How many changes add, change and remove.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Summary {
    /// Lists created, addresses added, lists attached.
    pub add: usize,
    /// Addresses renamed.
    pub change: usize,
    /// Addresses removed, lists detached.
    pub remove: usize,
}

impl Summary {
    pub(crate) fn of<'a>(changes: impl IntoIterator<Item = &'a Change>) -> Self {
        let mut summary = Summary::default();
        for change in changes {
            match change.kind() {
                ChangeKind::Add => summary.add += 1,
                ChangeKind::Change => summary.change += 1,
                ChangeKind::Remove => summary.remove += 1,
            }
        }
        summary
    }

    /// All three added up.
    pub fn total(&self) -> usize {
        self.add + self.change + self.remove
    }
}

/// `Plan: 3 to add, 1 to change, 2 to remove.`
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Plan: {} to add, {} to change, {} to remove.",
            self.add, self.change, self.remove
        )
    }
}
