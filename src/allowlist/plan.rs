//! The difference between the desired and the live state: a [`Plan`] of [`Change`]s, shown
//! like `terraform plan` and saved as a versioned JSON document with the starting state it was
//! computed from.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt,
    net::Ipv4Addr,
};

use serde::{Deserialize, Serialize};

use super::{
    Error, Result,
    desired::{Desired, DesiredError, DesiredList, Reference},
    live::{Live, LiveAddress},
};
use crate::sid::{AccountSid, IpAccessControlListSid, IpAddressSid, SipDomainSid, TrunkSid};

/// The version of the plan document this crate writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// What a list is attached to: a trunk (its IP access control lists) or a SIP domain (its
/// call mappings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Target {
    /// A trunk: `client.trunk(sid).ip_access_control_lists()`.
    Trunk {
        /// The trunk's SID.
        sid: TrunkSid,
        /// Its `FriendlyName` (or SID), for display.
        name: String,
    },
    /// A SIP domain: `client.sip_domain(sid).auth_calls_ip_access_control_list_mappings()`.
    SipDomain {
        /// The domain's SID.
        sid: SipDomainSid,
        /// Its domain name (or SID), for display.
        name: String,
    },
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Trunk { sid, name } => write!(f, "trunk {name:?} ({sid})"),
            Target::SipDomain { sid, name } => write!(f, "sip domain {name:?} ({sid})"),
        }
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
}

impl Change {
    /// The name of the list it acts on.
    pub fn list(&self) -> &str {
        match self {
            Change::CreateList { list }
            | Change::AddAddress { list, .. }
            | Change::RenameAddress { list, .. }
            | Change::Attach { list, .. }
            | Change::Detach { list, .. }
            | Change::RemoveAddress { list, .. } => list,
        }
    }

    /// Add, change or remove.
    pub fn kind(&self) -> ChangeKind {
        match self {
            Change::CreateList { .. } | Change::AddAddress { .. } | Change::Attach { .. } => {
                ChangeKind::Add
            }
            Change::RenameAddress { .. } => ChangeKind::Change,
            Change::Detach { .. } | Change::RemoveAddress { .. } => ChangeKind::Remove,
        }
    }

    /// The step of apply it belongs to, from 0: create lists, add addresses, rename, attach,
    /// detach, remove.
    pub fn step(&self) -> usize {
        match self {
            Change::CreateList { .. } => 0,
            Change::AddAddress { .. } => 1,
            Change::RenameAddress { .. } => 2,
            Change::Attach { .. } => 3,
            Change::Detach { .. } => 4,
            Change::RemoveAddress { .. } => 5,
        }
    }

    /// The order of the plan's display within a list: create, add, rename, remove, attach,
    /// detach.
    fn display_rank(&self) -> usize {
        match self {
            Change::CreateList { .. } => 0,
            Change::AddAddress { .. } => 1,
            Change::RenameAddress { .. } => 2,
            Change::RemoveAddress { .. } => 3,
            Change::Attach { .. } => 4,
            Change::Detach { .. } => 5,
        }
    }

    /// The line of the plan's display (within its list's block).
    fn plan_line(&self) -> String {
        match self {
            Change::CreateList { list } => format!("+ list {list:?} (new)"),
            Change::AddAddress {
                ip, prefix, name, ..
            } => format!("  + {:<18} {name:?}", format!("{ip}/{prefix}")),
            Change::RenameAddress {
                ip,
                prefix,
                from,
                to,
                ..
            } => format!("  ~ {:<18} {from:?} -> {to:?}", format!("{ip}/{prefix}")),
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
            Change::AddAddress {
                list,
                ip,
                prefix,
                name,
            } => write!(f, "+ {ip}/{prefix} {name:?} in list {list:?}"),
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

/// A list the plan covers: its name, and its SID when it exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct PlannedList {
    /// The list's `FriendlyName`.
    pub name: String,
    /// Its SID; `None` when the plan creates it.
    pub sid: Option<IpAccessControlListSid>,
}

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

/// A list as it was when the plan was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ListState {
    /// The list's `FriendlyName`.
    pub name: String,
    /// Its SID, `None` when it did not exist.
    pub sid: Option<IpAccessControlListSid>,
    /// Its addresses, in (address, prefix, SID) order.
    pub addresses: Vec<AddressState>,
    /// The trunks it was attached to, in SID order.
    pub trunks: Vec<TrunkSid>,
    /// The SIP domains it was mapped to, in SID order.
    pub sip_domains: Vec<SipDomainSid>,
}

/// What applying a saved plan must find unchanged: the account, and for every list the plan
/// names its SID (or that it does not exist), addresses and attachments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct StartingState {
    /// The account the plan was made for.
    pub account_sid: AccountSid,
    /// The lists, in the desired state's order.
    pub lists: Vec<ListState>,
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
            let sid = matches.first().map(|l| l.sid.clone());
            let state = match &sid {
                None => ListState {
                    name: (*name).to_owned(),
                    sid: None,
                    addresses: Vec::new(),
                    trunks: Vec::new(),
                    sip_domains: Vec::new(),
                },
                Some(sid) => {
                    let mut addresses: Vec<AddressState> = live
                        .addresses
                        .get(sid)
                        .into_iter()
                        .flatten()
                        .map(|a| AddressState {
                            ip: a.ip,
                            prefix: a.prefix,
                            sid: a.sid.clone(),
                            name: a.name.clone(),
                        })
                        .collect();
                    addresses.sort();
                    ListState {
                        name: (*name).to_owned(),
                        sid: Some(sid.clone()),
                        addresses,
                        trunks: live
                            .trunk_attachments
                            .get(sid)
                            .into_iter()
                            .flatten()
                            .cloned()
                            .collect(),
                        sip_domains: live
                            .domain_attachments
                            .get(sid)
                            .into_iter()
                            .flatten()
                            .cloned()
                            .collect(),
                    }
                }
            };
            lists.push(state);
        }
        Ok(StartingState {
            account_sid: live.account_sid.clone(),
            lists,
        })
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
            if then.addresses != now.addresses {
                let sids = |s: &ListState| -> BTreeSet<IpAddressSid> {
                    s.addresses.iter().map(|a| a.sid.clone()).collect()
                };
                let (a, b) = (sids(then), sids(now));
                let added = b.difference(&a).count();
                let removed = a.difference(&b).count();
                return Some(format!(
                    "the addresses of list {name:?} changed ({added} added, {removed} removed, {} edited)",
                    then.addresses
                        .iter()
                        .filter(|x| now.addresses.iter().any(|y| y.sid == x.sid && *y != **x))
                        .count()
                ));
            }
            if then.trunks != now.trunks {
                return Some(format!("the trunks of list {name:?} changed"));
            }
            if then.sip_domains != now.sip_domains {
                return Some(format!("the SIP domains of list {name:?} changed"));
            }
        }
        None
    }
}

/// The changes that make the live state equal to the desired state, for the lists the desired
/// state names. Made by [`plan`](super::plan); applied by [`Plan::apply`](Plan::apply).
///
/// `Display` shows it like `terraform plan`:
///
/// ```text
/// list "office allowlist" (ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)
///   + 198.51.100.0/24    "198.51.100.0/24"
///   ~ 203.0.113.10/32    "old name" -> "sbc-frankfurt"
///   - 192.0.2.9/32       "gone"
///   + attach trunk "my trunk" (TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)
///   - detach sip domain "acme.sip.twilio.com" (SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)
///
/// Plan: 2 to add, 1 to change, 2 to remove.
/// ```
///
/// Serialized (serde, or [`to_json`](Self::to_json)), it is the plan document
/// `{"format_version": 1, "lists": […], "changes": […], "summary": {…}, "starting_state": {…}}`.
/// A plan read back from it ([`from_json`](Self::from_json), or any serde deserializer) is a
/// saved plan: [`apply`](Self::apply) first checks that the live state still equals its
/// `starting_state`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "PlanDocument")]
pub struct Plan {
    format_version: u32,
    lists: Vec<PlannedList>,
    changes: Vec<Change>,
    summary: Summary,
    starting_state: StartingState,
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
    /// The version of this format: 1.
    #[cfg_attr(feature = "schemars", schemars(extend("const" = 1)))]
    format_version: u32,
    /// Every list the desired state names, with its SID when it exists.
    lists: Vec<PlannedList>,
    /// The writes, one request each, in the order apply runs them: create lists, add
    /// addresses, rename, attach, detach, remove.
    changes: Vec<Change>,
    /// How many changes add, change and remove.
    summary: Summary,
    /// What applying this plan must find unchanged.
    starting_state: StartingState,
}

impl TryFrom<PlanDocument> for Plan {
    type Error = String;

    fn try_from(doc: PlanDocument) -> std::result::Result<Self, String> {
        if doc.format_version != FORMAT_VERSION {
            return Err(format!(
                "format_version {} is not supported (this version reads {FORMAT_VERSION})",
                doc.format_version
            ));
        }
        if Summary::of(&doc.changes) != doc.summary {
            return Err("the summary does not count the changes".into());
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
        for change in &doc.changes {
            let Some(list) = doc.lists.iter().find(|l| l.name == change.list()) else {
                return Err(format!(
                    "a change names list {:?}, which `lists` does not",
                    change.list()
                ));
            };
            let created = doc
                .changes
                .iter()
                .any(|c| matches!(c, Change::CreateList { list: l } if *l == list.name));
            if list.sid.is_none() != created {
                return Err(format!(
                    "list {:?} must have a SID or be created, not both",
                    list.name
                ));
            }
        }
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

impl Plan {
    /// The changes, in the order apply runs them: create lists, add addresses, rename, attach,
    /// detach, remove (within a step, by list, then by address or SID).
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// The lists the plan covers (every list the desired state names), with their SIDs.
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
        serde_json::from_str(text).map_err(|e| Error::PlanDocument {
            reason: e.to_string(),
        })
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changes.is_empty() {
            return writeln!(f, "No changes. The allowlist matches the file.");
        }
        for list in &self.lists {
            let mut changes: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.list() == list.name)
                .collect();
            if changes.is_empty() {
                continue;
            }
            changes.sort_by_key(|c| c.display_rank());
            if let Some(sid) = &list.sid {
                writeln!(f, "list {:?} ({sid})", list.name)?;
            }
            for change in changes {
                writeln!(f, "{}", change.plan_line())?;
            }
            writeln!(f)?;
        }
        writeln!(f, "{}", self.summary)
    }
}

// ---------------------------------------------------------------------------------------------
// Computing a plan.

fn looks_like_sid(text: &str, prefix: &str) -> bool {
    text.len() == 34 && text.starts_with(prefix) && text[2..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Resolves the references of one kind (trunks or domains) of a list to SIDs and display names.
fn resolve<S: Clone + Ord + fmt::Display>(
    desired: &Desired,
    list: &DesiredList,
    references: &[Reference],
    what: &str,
    by: &str,
    prefix: &str,
    candidates: &[(S, Option<String>)],
) -> std::result::Result<Vec<(S, String)>, DesiredError> {
    let mut resolved: Vec<(S, String)> = Vec::with_capacity(references.len());
    for reference in references {
        let fail = |reason: String| {
            DesiredError::new(
                desired.file_name(),
                reference.origin.as_ref(),
                Some(list.name()),
                Some(format!("{:?}", reference.text)),
                reason,
            )
        };
        let text = reference.text.as_str();
        let matches: Vec<&(S, Option<String>)> = if looks_like_sid(text, prefix) {
            candidates
                .iter()
                .filter(|(sid, _)| sid.to_string() == text)
                .collect()
        } else {
            candidates
                .iter()
                .filter(|(_, name)| name.as_deref() == Some(text))
                .collect()
        };
        let (sid, name) = match matches.as_slice() {
            [] if looks_like_sid(text, prefix) => {
                return Err(fail(format!("there is no {what} {text} in the account")));
            }
            [] => {
                return Err(fail(format!(
                    "there is no {what} named {text:?} in the account ({what}s are matched by SID or {by})"
                )));
            }
            [one] => one,
            several => {
                let sids: Vec<String> = several.iter().map(|(s, _)| s.to_string()).collect();
                return Err(fail(format!(
                    "{} {what}s are named {text:?} ({}); use the SID of the one you mean",
                    several.len(),
                    sids.join(", ")
                )));
            }
        };
        if let Some(other) = resolved.iter().position(|(s, _)| s == sid) {
            return Err(fail(format!(
                "the same {what} twice: {:?} and {:?} both name {sid}",
                references[other].text, reference.text
            )));
        }
        resolved.push((sid.clone(), name.clone().unwrap_or_else(|| sid.to_string())));
    }
    Ok(resolved)
}

/// The plan that takes `live` to `desired`.
pub(crate) fn compute(desired: &Desired, live: &Live) -> Result<Plan> {
    let trunk_candidates: Vec<(TrunkSid, Option<String>)> = live
        .trunks
        .iter()
        .map(|t| (t.sid.clone(), t.name.clone()))
        .collect();
    let domain_candidates: Vec<(SipDomainSid, Option<String>)> = live
        .domains
        .iter()
        .map(|d| (d.sid.clone(), d.domain_name.clone()))
        .collect();
    let names: Vec<&str> = desired.lists().iter().map(|l| l.name()).collect();
    let starting_state = StartingState::of(live, &names).map_err(|(name, sids)| {
        let list = desired.list(&name);
        let sids: Vec<String> = sids.iter().map(ToString::to_string).collect();
        DesiredError::new(
            desired.file_name(),
            list.and_then(|l| l.origin.as_ref()),
            Some(&name),
            None,
            format!(
                "{} lists in the account are named {name:?} ({}): the file cannot tell which one it means; rename or delete the others first",
                sids.len(),
                sids.join(", ")
            ),
        )
    })?;
    let mut steps: [Vec<Change>; 6] = Default::default();
    let mut lists = Vec::with_capacity(desired.lists().len());
    for (list, state) in desired.lists().iter().zip(&starting_state.lists) {
        let name = list.name().to_owned();
        let trunks = resolve(
            desired,
            list,
            &list.trunks,
            "trunk",
            "FriendlyName",
            "TK",
            &trunk_candidates,
        )?;
        let domains = resolve(
            desired,
            list,
            &list.sip_domains,
            "SIP domain",
            "domain name",
            "SD",
            &domain_candidates,
        )?;
        lists.push(PlannedList {
            name: name.clone(),
            sid: state.sid.clone(),
        });
        if state.sid.is_none() {
            steps[0].push(Change::CreateList { list: name.clone() });
        }
        // Addresses, by identity.
        let mut live_by_key: BTreeMap<(Ipv4Addr, u8), Vec<LiveAddress>> = BTreeMap::new();
        for a in &state.addresses {
            live_by_key
                .entry((a.ip, a.prefix))
                .or_default()
                .push(LiveAddress {
                    sid: a.sid.clone(),
                    ip: a.ip,
                    prefix: a.prefix,
                    name: a.name.clone(),
                });
        }
        let mut adds = Vec::new();
        let mut renames = Vec::new();
        let mut removes = Vec::new();
        let remove = |a: &LiveAddress| Change::RemoveAddress {
            list: name.clone(),
            sid: a.sid.clone(),
            ip: a.ip,
            prefix: a.prefix,
            name: a.name.clone(),
        };
        for want in list.addresses() {
            match live_by_key.remove(&want.key()) {
                None => adds.push(Change::AddAddress {
                    list: name.clone(),
                    ip: want.ip(),
                    prefix: want.prefix(),
                    name: want.name().to_owned(),
                }),
                Some(group) => {
                    // Keep one entry (the one already named right, if any); duplicates go.
                    let keep = group
                        .iter()
                        .position(|a| a.name == want.name())
                        .unwrap_or(0);
                    for (i, a) in group.iter().enumerate() {
                        if i != keep {
                            removes.push(remove(a));
                        } else if a.name != want.name() {
                            renames.push(Change::RenameAddress {
                                list: name.clone(),
                                sid: a.sid.clone(),
                                ip: a.ip,
                                prefix: a.prefix,
                                from: a.name.clone(),
                                to: want.name().to_owned(),
                            });
                        }
                    }
                }
            }
        }
        for group in live_by_key.values() {
            removes.extend(group.iter().map(remove));
        }
        let order = |c: &Change| match c {
            Change::AddAddress { ip, prefix, .. }
            | Change::RenameAddress { ip, prefix, .. }
            | Change::RemoveAddress { ip, prefix, .. } => (*ip, *prefix),
            _ => (Ipv4Addr::UNSPECIFIED, 0),
        };
        adds.sort_by_key(order);
        renames.sort_by_key(order);
        removes.sort_by_key(order);
        steps[1].extend(adds);
        steps[2].extend(renames);
        steps[5].extend(removes);
        // Attachments.
        let want_trunks: BTreeMap<TrunkSid, String> = trunks.into_iter().collect();
        let want_domains: BTreeMap<SipDomainSid, String> = domains.into_iter().collect();
        for (sid, display) in &want_trunks {
            if !state.trunks.contains(sid) {
                steps[3].push(Change::Attach {
                    list: name.clone(),
                    target: Target::Trunk {
                        sid: sid.clone(),
                        name: display.clone(),
                    },
                });
            }
        }
        for (sid, display) in &want_domains {
            if !state.sip_domains.contains(sid) {
                steps[3].push(Change::Attach {
                    list: name.clone(),
                    target: Target::SipDomain {
                        sid: sid.clone(),
                        name: display.clone(),
                    },
                });
            }
        }
        for sid in &state.trunks {
            if !want_trunks.contains_key(sid) {
                steps[4].push(Change::Detach {
                    list: name.clone(),
                    target: Target::Trunk {
                        sid: sid.clone(),
                        name: live.trunk_name(sid),
                    },
                });
            }
        }
        for sid in &state.sip_domains {
            if !want_domains.contains_key(sid) {
                steps[4].push(Change::Detach {
                    list: name.clone(),
                    target: Target::SipDomain {
                        sid: sid.clone(),
                        name: live.domain_name(sid),
                    },
                });
            }
        }
    }
    let changes: Vec<Change> = steps.into_iter().flatten().collect();
    Ok(Plan {
        format_version: FORMAT_VERSION,
        lists,
        summary: Summary::of(&changes),
        changes,
        starting_state,
        fresh: true,
    })
}
