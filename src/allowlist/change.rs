//! The change vocabulary: the [`Change`]s a plan holds (one request each) and what they have in
//! common, what a list is attached to ([`Target`]), and the plan's [`Summary`].
//!
//! [`Step`] is the one order of the module: apply runs the steps in it, the plan shows a block's
//! changes in it, and the plan document lists its changes in it. `Step` and `Change` are made
//! from one table in `kinds/`, where each kind describes its changes.

use std::{fmt, net::Ipv4Addr};

use serde::{Deserialize, Serialize};

use super::kinds::Position;
pub use super::kinds::{Change, Step};
use super::target::TargetKind;
use crate::sid::IpAddressSid;

/// Whether a change adds, changes or removes (the three counts of the plan's summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Creating a list or IP Record, adding an address, attaching a list, mapping a record.
    Add,
    /// Renaming an address or IP Record, pointing a record's mapping at another domain.
    Change,
    /// Removing an address, IP Record or mapping, detaching a list, deleting an emptied part.
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

impl Change {
    /// The name of the list it acts on; `None` for the account-wide kinds (`[byoc]`: IP
    /// Records and Source IP Mappings).
    pub fn list(&self) -> Option<&str> {
        self.action().list()
    }

    /// Add, change or remove.
    pub fn kind(&self) -> ChangeKind {
        self.step().kind()
    }

    /// Whether it removes something (an address, an IP Record, a mapping, an attachment, a
    /// list): what the removal guards count.
    pub fn is_removal(&self) -> bool {
        self.kind() == ChangeKind::Remove
    }

    /// The SIDs of the live resources it names that the plan's starting state must hold
    /// ([`StartingState::sids`](super::StartingState::sids)): the address, IP Record or Source
    /// IP Mapping it updates or removes, the record a mapping is created for, the trunk or SIP
    /// domain it detaches a list from or a mapping leaves. Not the list it acts under (see
    /// [`Plan::lists`](super::Plan::lists)) nor a trunk or domain it attaches or maps to
    /// (resolved from the account, not part of the starting state).
    pub fn sids(&self) -> Vec<String> {
        self.action().sids()
    }

    /// The order of changes within a step: by list, then by address or record, then by
    /// target.
    pub(crate) fn order_key(&self) -> (Step, Option<&str>, Position<'_>) {
        (self.step(), self.list(), self.action().order_key())
    }

    /// The line of the plan's display, within its block.
    pub(crate) fn plan_line(&self) -> String {
        self.action().plan_line()
    }
}

/// One line, with the list: `+ 198.51.100.0/24 "office" in list "office allowlist"`.
impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.action().describe(f)
    }
}

/// How many changes add, change and remove.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Summary {
    /// Lists and IP Records created, addresses added, lists attached, records mapped.
    pub add: usize,
    /// Addresses and IP Records renamed, mappings pointed at another domain.
    pub change: usize,
    /// Addresses, IP Records and mappings removed, lists detached, emptied parts deleted.
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

/// What a change says about itself, for the checks of a saved plan: each kind answers these in
/// its file ([`Action`](super::kinds::Action)), and those checks cover it with no other edit.
impl Change {
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
        self.action().values()
    }

    /// What it acts on in its list that must exist before it.
    pub(crate) fn existing(&self) -> Option<Existing<'_>> {
        self.action().existing()
    }

    /// What it makes in its list, which must not exist before it.
    pub(crate) fn made(&self) -> Option<Made<'_>> {
        self.action().made()
    }
}
