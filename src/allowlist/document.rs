//! The plan document: a [`Plan`] with the starting state it was computed from, saved as
//! versioned JSON and read back as untrusted input; and the check that the live state still
//! equals a saved plan's starting state.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub use super::kinds::{
    AddressState, AttachedState, ByocState, IpRecordState, ListState, SourceIpMappingState,
};
use super::{
    Error, Result,
    change::{Change, Summary},
    live::Live,
};
use crate::sid::{AccountSid, IpAccessControlListSid};

pub(crate) mod verify;

/// The version of the plan document this crate writes.
///
/// 2 added `delete_list` (an emptied part of a split list) and the optional `set` of
/// `add_address` and `rename_address` (and then their optional `source`, where the address came
/// from: shown, never needed to apply, so a reader that does not know it loses nothing); 3 added the `[byoc]` kinds (`create_ip_record`,
/// `rename_ip_record`, `remove_ip_record`, `create_source_ip_mapping`,
/// `update_source_ip_mapping`, `remove_source_ip_mapping`) and `starting_state.byoc`; 4 added
/// `pruned` to `delete_list` (a list deleted because its name starts with the file's
/// `prune_prefix` and the file does not name it: a saved plan's deletion of a list that is not
/// an emptied part is accepted only with it). Documents of versions 1 to 3 are read as well
/// (what they can say means the same in version 4), and refused when they hold what their
/// version could not say; any other version is refused.
pub const FORMAT_VERSION: u32 = 4;

/// A list the plan covers: its name, and its SID when it exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct PlannedList {
    /// The list's `FriendlyName`.
    pub name: String,
    /// Its SID; `None` when the plan creates it.
    pub sid: Option<IpAccessControlListSid>,
}

/// What applying a saved plan must find unchanged: the account, for every list the plan names
/// its SID (or that it does not exist), addresses and attachments, and with `[byoc]` every IP
/// Record and Source IP Mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct StartingState {
    /// The account the plan was made for.
    pub account_sid: AccountSid,
    /// The lists, in the desired state's order.
    pub lists: Vec<ListState>,
    /// The IP Records and Source IP Mappings, when the desired state has `[byoc]` (absent
    /// otherwise: the plan neither read nor writes them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byoc: Option<ByocState>,
}

impl StartingState {
    /// The state of the lists named `names` in `live`, or the name that is ambiguous (several
    /// lists with it) and their SIDs.
    pub(crate) fn of(
        live: &Live,
        names: &[&str],
    ) -> std::result::Result<Self, (String, Vec<IpAccessControlListSid>)> {
        let mut lists = Vec::with_capacity(names.len());
        for name in names {
            let matches = live.lists_named(name);
            if matches.len() > 1 {
                return Err((
                    (*name).to_owned(),
                    matches.iter().map(|l| l.sid.clone()).collect(),
                ));
            }
            let state = match matches.first() {
                Some(list) => live.held(list),
                None => ListState {
                    name: (*name).to_owned(),
                    ..ListState::default()
                },
            };
            lists.push(state);
        }
        Ok(StartingState {
            account_sid: live.account_sid.clone(),
            lists,
            byoc: live.byoc.clone(),
        })
    }

    /// Every SID it holds: the lists', their addresses', trunks' and SIP domains', and the
    /// IP Records' and Source IP Mappings' (with the records and domains those map). A saved
    /// plan's [`Change::sids`] must all be among them.
    pub fn sids(&self) -> BTreeSet<String> {
        let mut sids = BTreeSet::new();
        for list in &self.lists {
            sids.extend(list.sid.iter().map(ToString::to_string));
            sids.extend(list.held_sids());
        }
        if let Some(byoc) = &self.byoc {
            sids.extend(byoc.sids());
        }
        sids
    }

    /// The first difference between this (the plan's) and `now`, in words.
    pub(crate) fn difference(&self, now: &StartingState) -> Option<String> {
        if self.account_sid != now.account_sid {
            return Some(format!(
                "the plan was made for account {}, the client acts on {}",
                self.account_sid, now.account_sid
            ));
        }
        for (then, now) in self.lists.iter().zip(&now.lists) {
            let name = &then.name;
            match (&then.sid, &now.sid) {
                (None, Some(sid)) => {
                    return Some(format!(
                        "list {name:?} did not exist when the plan was made; it does now ({sid})"
                    ));
                }
                (Some(sid), None) => {
                    return Some(format!("list {name:?} ({sid}) no longer exists"));
                }
                (Some(a), Some(b)) if a != b => {
                    return Some(format!("list {name:?} was {a} and is now {b}"));
                }
                _ => {}
            }
            if let Some(difference) = then.held_difference(now) {
                return Some(difference);
            }
        }
        match (&self.byoc, &now.byoc) {
            (Some(then), Some(now)) => then.difference(now),
            _ => None,
        }
    }
}

/// The changes that make the live state equal to the desired state, for the lists the desired
/// state names (and, when pruning, the lists named with its `prune_prefix` that it does not
/// name, which go). Made by [`plan`](super::plan); applied by [`Plan::apply`](Plan::apply).
///
/// `Display` shows it like `terraform plan`, each list's changes in the order apply makes
/// them:
///
/// ```text
/// list "office allowlist" (ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)
///   + 198.51.100.0/24    "198.51.100.0/24"
///   ~ 203.0.113.10/32    "old name" -> "sbc-frankfurt"
///   + attach trunk "my trunk" (TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)
///   - detach sip domain "acme.sip.twilio.com" (SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)
///   - 192.0.2.9/32       "gone"
///
/// Plan: 2 to add, 1 to change, 2 to remove.
/// ```
///
/// Serialized (serde, or [`to_json`](Self::to_json)), it is the plan document
/// `{"format_version": 4, "lists": […], "changes": […], "summary": {…}, "starting_state": {…}}`.
/// A plan read back from it ([`from_json`](Self::from_json), or any serde deserializer) is a
/// saved plan: [`apply`](Self::apply) first checks that the live state still equals its
/// `starting_state`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "PlanDocument")]
pub struct Plan {
    pub(crate) format_version: u32,
    pub(crate) lists: Vec<PlannedList>,
    pub(crate) changes: Vec<Change>,
    pub(crate) summary: Summary,
    pub(crate) starting_state: StartingState,
    /// Made by [`plan`](super::plan) in this process (not read back from a document): applied
    /// without checking the starting state again.
    #[serde(skip)]
    pub(crate) fresh: bool,
}

/// A `twilio-allowlist` plan document: what `plan --json` and `plan -o PLAN.json` write and
/// `apply PLAN.json` reads. Applying it first checks that the live state still equals
/// `starting_state`.
#[derive(Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schemars",
    schemars(title = "twilio-allowlist plan document")
)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlanDocument {
    /// The version of this format: 4 (1 to 3 are read too: 3 is version 4 without `pruned`
    /// in `delete_list`, 2 is version 3 without the `[byoc]` kinds and `starting_state.byoc`,
    /// 1 is version 2 without `delete_list` and `set`).
    #[cfg_attr(feature = "schemars", schemars(extend("enum" = [1, 2, 3, 4])))]
    format_version: u32,
    /// Every list the desired state names (and the parts of its split lists), with its SID
    /// when it exists; then the lists it prunes.
    lists: Vec<PlannedList>,
    /// The writes, one request each, in the order apply runs them (by step: create lists, add
    /// addresses, create IP Records, rename, map records, attach, detach, unmap records, remove
    /// addresses and records, delete emptied parts).
    changes: Vec<Change>,
    /// How many changes add, change and remove.
    summary: Summary,
    /// What applying this plan must find unchanged.
    starting_state: StartingState,
}

impl TryFrom<PlanDocument> for Plan {
    type Error = String;

    fn try_from(doc: PlanDocument) -> std::result::Result<Self, String> {
        Plan::from_document(doc).map_err(|e| e.to_string())
    }
}

impl Plan {
    /// A plan from its document, once the document is consistent and every change passes the
    /// checks of a saved plan ([`verify`]).
    fn from_document(doc: PlanDocument) -> Result<Plan> {
        consistent(&doc).map_err(|reason| Error::PlanDocument { reason })?;
        verify::changes(&doc)?;
        Ok(Plan {
            format_version: doc.format_version,
            lists: doc.lists,
            changes: doc.changes,
            summary: doc.summary,
            starting_state: doc.starting_state,
            fresh: false,
        })
    }
}

/// The document agrees with itself: a version this crate reads that can say every change, a
/// summary that counts the changes, the same lists in `lists` and `starting_state`, the
/// `[byoc]` state present for `[byoc]` changes, each mapping's record existing or created (each
/// change is then checked on its own by [`verify`]).
fn consistent(doc: &PlanDocument) -> std::result::Result<(), String> {
    match doc.format_version {
        1..=FORMAT_VERSION => {
            let version = doc.format_version;
            if let Some(change) = doc.changes.iter().find(|c| since(c) > version) {
                return Err(format!(
                    "format_version {version} cannot say this change (it came in version {}): {change}",
                    since(change)
                ));
            }
            if version < 3 && doc.starting_state.byoc.is_some() {
                return Err(format!(
                    "format_version {version} has no `starting_state.byoc` (it came in version 3)"
                ));
            }
        }
        other => {
            return Err(format!(
                "format_version {other} is not supported (this version reads 1 to {FORMAT_VERSION}); make the plan again with this version"
            ));
        }
    }
    let counted = Summary::of(&doc.changes);
    if counted != doc.summary {
        return Err(format!(
            "the summary does not count the changes: it says {} to add, {} to change, {} to remove; the changes are {} to add, {} to change, {} to remove",
            doc.summary.add,
            doc.summary.change,
            doc.summary.remove,
            counted.add,
            counted.change,
            counted.remove
        ));
    }
    let names: Vec<&str> = doc.lists.iter().map(|l| l.name.as_str()).collect();
    let state_names: Vec<&str> = doc
        .starting_state
        .lists
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    if names != state_names
        || doc
            .lists
            .iter()
            .zip(&doc.starting_state.lists)
            .any(|(l, s)| l.sid != s.sid)
    {
        return Err("`lists` and `starting_state.lists` differ".into());
    }
    // A list's existence or creation is checked change by change, by `verify`.
    if doc.starting_state.byoc.is_none()
        && let Some(change) = doc.changes.iter().find(|c| c.list().is_none())
    {
        return Err(format!(
            "a change acts on IP Records or Source IP Mappings, but `starting_state` has no `byoc`: {change}"
        ));
    }
    for change in &doc.changes {
        if let Change::CreateSourceIpMapping(m) = change {
            let created = doc.changes.iter().any(
                |c| matches!(c, Change::CreateIpRecord(r) if (r.ip, r.prefix) == (m.ip, m.prefix)),
            );
            if m.ip_record_sid.is_none() != created {
                return Err(format!(
                    "the IP Record of a mapping must have a SID or be created, not both: {change}"
                ));
            }
        }
    }
    Ok(())
}

/// The first format version that can say `change`: its action's, 2 for an address from a
/// set or a source, 4 for a pruned list's deletion.
fn since(change: &Change) -> u32 {
    let field = match change {
        Change::AddAddress(a) if !a.origin.is_empty() => 2,
        Change::RenameAddress(r) if !r.origin.is_empty() => 2,
        Change::DeleteList(d) if d.pruned.is_some() => 4,
        _ => 1,
    };
    change.step().since().max(field)
}

impl Plan {
    /// The changes, in the order apply runs them (by [`Step`](super::Step); within a step, by
    /// list, then by address or record, then by target).
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// The lists the plan covers (every list the desired state names, and the parts of its
    /// split lists; then the lists it prunes), with their SIDs.
    pub fn lists(&self) -> &[PlannedList] {
        &self.lists
    }

    /// How many changes add, change and remove.
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// The live state the plan was computed from.
    pub fn starting_state(&self) -> &StartingState {
        &self.starting_state
    }

    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Whether the plan was read back from a document (and so is checked against the live state
    /// before it is applied).
    pub fn is_saved(&self) -> bool {
        !self.fresh
    }

    /// The plan document, pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| {
            // Serializing these plain types cannot fail; keep the error visible if it ever does.
            format!("{{\"error\": {:?}}}", e.to_string())
        })
    }

    /// Reads a plan document (a saved plan).
    ///
    /// # Errors
    ///
    /// [`Error::PlanDocument`] when it is not JSON, not a plan, of another `format_version`, or
    /// not consistent (a summary that does not count its changes, a change for a list it does not
    /// name).
    pub fn from_json(text: &str) -> Result<Plan> {
        let doc: PlanDocument = serde_json::from_str(text).map_err(|e| Error::PlanDocument {
            reason: super::estate::estate_refusal(text).unwrap_or_else(|| e.to_string()),
        })?;
        Plan::from_document(doc)
    }
}
