//! The change vocabulary: the [`Step`]s of apply in their order, the [`Change`]s a plan holds
//! (one request each), what a list is attached to ([`Target`]), and the plan's [`Summary`].
//!
//! [`Step`] is the one order of the module: apply runs the steps in it, the plan shows a list's
//! changes in it, and the plan document lists its changes in it. A new kind of change is one
//! new `Step` and one new `Change` variant here, and its request in `apply`.

use std::{fmt, net::Ipv4Addr};

use serde::{Deserialize, Serialize};

use super::target::TargetKind;
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
        /// The set it comes from (`[sets.NAME]`), when it is not written in the list itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        set: Option<String>,
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
        /// The set the new name comes from (`[sets.NAME]`), when it is not written in the list
        /// itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        set: Option<String>,
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
                set,
                ..
            } => format!(
                "  + {:<18} {name:?}{}",
                format!("{ip}/{prefix}"),
                from_set(set)
            ),
            Change::RenameAddress {
                ip,
                prefix,
                from,
                to,
                set,
                ..
            } => format!(
                "  ~ {:<18} {from:?} -> {to:?}{}",
                format!("{ip}/{prefix}"),
                from_set(set)
            ),
            Change::RemoveAddress {
                ip, prefix, name, ..
            } => format!("  - {:<18} {name:?}", format!("{ip}/{prefix}")),
            Change::Attach { target, .. } => format!("  + attach {target}"),
            Change::Detach { target, .. } => format!("  - detach {target}"),
        }
    }
}

/// ` (set "carrier-a")` for an address that comes from a set, else nothing.
fn from_set(set: &Option<String>) -> String {
    set.as_ref()
        .map(|s| format!(" (set {s:?})"))
        .unwrap_or_default()
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
                set,
            } => write!(
                f,
                "+ {ip}/{prefix} {name:?}{} in list {list:?}",
                from_set(set)
            ),
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

/// A value a change carries that a desired-state file is held to the same rules for (a saved
/// plan is checked with them before anything is sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Value<'a> {
    /// A `FriendlyName`: not empty, at most [`MAX_NAME_CHARS`](super::MAX_NAME_CHARS).
    Name {
        /// What it names, in an error's words (`list name`, `address's name`).
        what: &'static str,
        /// The name.
        name: &'a str,
    },
    /// An address or range: a prefix of 1 to 32, no host bits.
    Cidr(Ipv4Addr, u8),
}

/// What a change acts on that exists before it, by SID: a saved plan's starting state must
/// hold it, under the change's list, as the change shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Existing<'a> {
    /// An address of the list.
    Address {
        /// Its SID.
        sid: &'a IpAddressSid,
        /// `IpAddress` and `CidrPrefixLength`, as the change shows them.
        cidr: (Ipv4Addr, u8),
        /// Its `FriendlyName` before the change.
        name: &'a str,
    },
    /// The list's attachment to a trunk or SIP domain.
    Attachment(&'a Target),
    /// The list itself.
    List,
}

/// What a change makes that must not exist before it (nor be made twice by one plan).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Made<'a> {
    /// An address of the list, by identity.
    Address(Ipv4Addr, u8),
    /// The list's attachment to a trunk or SIP domain.
    Attachment(&'a Target),
    /// The list itself.
    List,
}

/// What a change says about itself, for the checks of a saved plan and the removal guards:
/// each new kind of change answers these, and those checks cover it with no other edit.
impl Change {
    /// Whether it removes something (counted by `max_removals` and the percentage guard).
    pub(crate) fn is_removal(&self) -> bool {
        self.kind() == ChangeKind::Remove
    }

    /// Its `action` in the plan document (`add_address`, `detach`…).
    pub(crate) fn action_name(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("action")?.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The values it would send that a file's rules apply to. (What a change finds in place,
    /// such as the address a removal names, is held to the starting state instead: it may have
    /// been made by other means, under other rules.)
    pub(crate) fn values(&self) -> Vec<Value<'_>> {
        let list = Value::Name {
            what: "list name",
            name: self.list(),
        };
        let address = |name| Value::Name {
            what: "address's name",
            name,
        };
        match self {
            Change::AddAddress {
                ip, prefix, name, ..
            } => vec![list, Value::Cidr(*ip, *prefix), address(name)],
            Change::RenameAddress { to, .. } => vec![list, address(to)],
            Change::CreateList { .. }
            | Change::RemoveAddress { .. }
            | Change::DeleteList { .. }
            | Change::Attach { .. }
            | Change::Detach { .. } => vec![list],
        }
    }

    /// What it acts on that must exist before it.
    pub(crate) fn existing(&self) -> Option<Existing<'_>> {
        match self {
            Change::RenameAddress {
                sid,
                ip,
                prefix,
                from,
                ..
            } => Some(Existing::Address {
                sid,
                cidr: (*ip, *prefix),
                name: from,
            }),
            Change::RemoveAddress {
                sid,
                ip,
                prefix,
                name,
                ..
            } => Some(Existing::Address {
                sid,
                cidr: (*ip, *prefix),
                name,
            }),
            Change::Detach { target, .. } => Some(Existing::Attachment(target)),
            Change::DeleteList { .. } => Some(Existing::List),
            Change::CreateList { .. } | Change::AddAddress { .. } | Change::Attach { .. } => None,
        }
    }

    /// What it makes, which must not exist before it.
    pub(crate) fn made(&self) -> Option<Made<'_>> {
        match self {
            Change::AddAddress { ip, prefix, .. } => Some(Made::Address(*ip, *prefix)),
            Change::Attach { target, .. } => Some(Made::Attachment(target)),
            Change::CreateList { .. } => Some(Made::List),
            Change::RenameAddress { .. }
            | Change::RemoveAddress { .. }
            | Change::Detach { .. }
            | Change::DeleteList { .. } => None,
        }
    }
}
