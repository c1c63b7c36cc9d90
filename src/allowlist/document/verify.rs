//! A saved plan is untrusted input: before any request, each change is held to the rules a
//! desired-state file is held to (addresses, names, limits), and everything it names by SID
//! must be in the plan's own starting state, under the list the change names. The checks go
//! through what a [`Change`] says about itself ([`Change::values`], [`Change::sids`],
//! [`Change::existing`], [`Change::made`]), so a new kind of change is covered when it answers
//! those: what it names by SID must be in the starting state (under its list, for a list's
//! kind), and `existing`/`made` add the finer checks (the entry as the change shows it, not
//! made twice).
//!
//! The trunks and SIP domains a change attaches to are not in the starting state (it holds
//! only what the lists are attached to); once the live state is read, [`targets`] checks that
//! each exists under the name the plan shows, so that a swapped SID cannot attach a list to
//! something the operator never saw.

use super::{ListState, PlanDocument};
use crate::allowlist::{
    DeleteList, Error, MAX_ADDRESSES_PER_LIST, Result,
    change::{Change, Existing, Made, Value},
    desired::{check_cidr, check_name, check_prune_prefix},
    live::Live,
    split,
    target::TargetKind,
};

/// Checks every change of `doc` against the rules and its starting state; the first one that
/// fails is named by its index and action.
pub(super) fn changes(doc: &PlanDocument) -> Result<()> {
    for (index, change) in doc.changes.iter().enumerate() {
        check(doc, index, change).map_err(|reason| Error::PlanChange {
            index,
            action: change.action_name(),
            reason: format!("{change}: {reason}"),
        })?;
    }
    Ok(())
}

fn check(doc: &PlanDocument, index: usize, change: &Change) -> std::result::Result<(), String> {
    for value in change.values() {
        match value {
            Value::Name { what, name } => check_name(name, what)?,
            Value::Cidr(ip, prefix) => check_cidr(ip, prefix)?,
        }
    }
    if let Some(j) = doc.changes[..index].iter().position(|c| c == change) {
        return Err(format!("the same change as changes[{j}]"));
    }
    let Some(list) = change.list() else {
        // An account-wide change (`[byoc]`): what it names by SID must be in the starting state.
        let held = doc.starting_state.sids();
        return match change.sids().into_iter().find(|sid| !held.contains(sid)) {
            Some(sid) => Err(format!("{sid} is not in the plan's starting state")),
            None => Ok(()),
        };
    };
    // `lists` and `starting_state.lists` name the same lists (checked before).
    let Some(state) = doc.starting_state.lists.iter().find(|l| l.name == list) else {
        return Err(format!("list {list:?} is not among the plan's `lists`"));
    };
    let created = |c: &Change| c.list() == Some(list) && c.made() == Some(Made::List);
    if state.sid.is_none() && !doc.changes.iter().any(created) {
        return Err(format!(
            "list {list:?} neither exists in the plan's starting state nor is created by the plan"
        ));
    }
    if let Change::DeleteList(DeleteList {
        pruned: Some(prefix),
        ..
    }) = change
    {
        pruned(doc, state, prefix)?;
    } else if let Some(existing) = change.existing() {
        held(doc, state, existing)?;
    }
    if let Some(made) = change.made() {
        not_held(doc, index, state, made)?;
    }
    // And, for every kind (one added later too), what it names by SID must be under its list.
    let held = state.held_sids();
    match change.sids().into_iter().find(|sid| !held.contains(sid)) {
        Some(sid) => Err(format!(
            "{sid} is not in list {list:?} in the plan's starting state"
        )),
        None => Ok(()),
    }
}

/// What a change acts on must be in the starting state, under its list, as the change shows it.
fn held(doc: &PlanDocument, state: &ListState, existing: Existing<'_>) -> Result<(), String> {
    let list = &state.name;
    match existing {
        Existing::Address { sid, cidr, name } => {
            let Some(address) = state.addresses.iter().find(|a| a.sid == *sid) else {
                return Err(format!(
                    "address {sid} is not in list {list:?} in the plan's starting state"
                ));
            };
            if (address.ip, address.prefix) != cidr || address.name != name {
                return Err(format!(
                    "address {sid} of list {list:?} is {}/{} {:?} in the plan's starting state, not what the change shows",
                    address.ip, address.prefix, address.name
                ));
            }
        }
        Existing::Attachment(target) => {
            if !state.attachments.of(target.kind).contains(&target.sid) {
                return Err(format!(
                    "list {list:?} is not attached to {} {} in the plan's starting state",
                    target.kind.what(),
                    target.sid
                ));
            }
        }
        Existing::List => {
            if state.sid.is_none() {
                return Err(format!(
                    "list {list:?} does not exist in the plan's starting state"
                ));
            }
            // Only an emptied part of a split list is deleted, or a pruned list (`pruned`).
            let part = doc
                .lists
                .iter()
                .any(|l| split::part_number(&l.name, list).is_some_and(|n| n >= 2));
            if !part {
                return Err(format!(
                    "list {list:?} is not a part of a split list the plan covers, nor pruned; no other list is ever deleted"
                ));
            }
            // Its removals (each checked on its own against the starting state).
            let removals = || {
                doc.changes
                    .iter()
                    .filter(|c| c.list() == Some(list.as_str()) && c.is_removal())
                    .filter_map(Change::existing)
            };
            let kept_addresses = state
                .addresses
                .iter()
                .filter(|a| {
                    !removals().any(|e| matches!(e, Existing::Address { sid, .. } if *sid == a.sid))
                })
                .count();
            let attachments = state.attachments.len();
            let detached = removals()
                .filter(|e| matches!(e, Existing::Attachment(_)))
                .count();
            if kept_addresses > 0 || detached < attachments {
                return Err(format!(
                    "list {list:?} would still hold {kept_addresses} address(es) and {} attachment(s); only an emptied part is deleted",
                    attachments - detached.min(attachments)
                ));
            }
        }
    }
    Ok(())
}

/// A pruned list's deletion: the list exists, its name starts with the prefix the plan says it
/// was pruned under, the plan detaches it from every trunk and SIP domain it was attached to,
/// and does nothing else to it (its addresses go with the one DELETE).
fn pruned(doc: &PlanDocument, state: &ListState, prefix: &str) -> Result<(), String> {
    let list = &state.name;
    check_prune_prefix(prefix)?;
    if state.sid.is_none() {
        return Err(format!(
            "list {list:?} does not exist in the plan's starting state"
        ));
    }
    if !list.starts_with(prefix) {
        return Err(format!(
            "list {list:?} does not start with the prune_prefix {prefix:?} it says it was pruned under; only lists named with it are ever pruned"
        ));
    }
    let changes = || {
        doc.changes
            .iter()
            .filter(|c| c.list() == Some(list.as_str()))
    };
    if let Some(other) = changes().find(|c| !matches!(c, Change::Detach(_) | Change::DeleteList(_)))
    {
        return Err(format!(
            "the plan also changes list {list:?} otherwise ({other}); a pruned list is only detached and deleted"
        ));
    }
    for kind in TargetKind::ALL {
        for sid in state.attachments.of(kind) {
            let detached = changes().any(
                |c| matches!(c, Change::Detach(d) if d.target.kind == kind && d.target.sid == sid),
            );
            if !detached {
                return Err(format!(
                    "list {list:?} is attached to {} {sid} in the plan's starting state, and the plan does not detach it first",
                    kind.what(),
                ));
            }
        }
    }
    Ok(())
}

/// What a change makes must not be in the starting state, nor made by an earlier change.
fn not_held(
    doc: &PlanDocument,
    index: usize,
    state: &ListState,
    made: Made<'_>,
) -> Result<(), String> {
    let list = &state.name;
    if let Some(j) = doc.changes[..index]
        .iter()
        .position(|c| c.list() == Some(list.as_str()) && c.made() == Some(made))
    {
        return Err(format!("changes[{j}] makes it already"));
    }
    match made {
        Made::Address(ip, prefix) => {
            if let Some(a) = state
                .addresses
                .iter()
                .find(|a| (a.ip, a.prefix) == (ip, prefix))
            {
                return Err(format!(
                    "list {list:?} already holds {ip}/{prefix} ({}) in the plan's starting state; adding it again would make a duplicate",
                    a.sid
                ));
            }
            // Apply adds before it removes: the list holds its addresses and every add at once.
            let adds = doc.changes[..=index]
                .iter()
                .filter(|c| {
                    c.list() == Some(list.as_str()) && matches!(c.made(), Some(Made::Address(..)))
                })
                .count();
            if state.addresses.len() + adds > MAX_ADDRESSES_PER_LIST {
                return Err(format!(
                    "list {list:?} would hold {} addresses, more than Twilio's limit of {MAX_ADDRESSES_PER_LIST} (apply adds before it removes)",
                    state.addresses.len() + adds
                ));
            }
        }
        Made::Attachment(target) => {
            if state.attachments.of(target.kind).contains(&target.sid) {
                return Err(format!(
                    "list {list:?} is already attached to {} {} in the plan's starting state",
                    target.kind.what(),
                    target.sid
                ));
            }
        }
        Made::List => {
            if let Some(sid) = &state.sid {
                return Err(format!(
                    "list {list:?} exists already in the plan's starting state ({sid})"
                ));
            }
        }
    }
    Ok(())
}

/// The first change naming a trunk or SIP domain that the live state does not have under the
/// name the plan shows, in words.
pub(crate) fn targets(changes: &[Change], live: &Live) -> Option<String> {
    changes.iter().enumerate().find_map(|(index, change)| {
        let target = match (change.made(), change.existing()) {
            (Some(Made::Attachment(target)), _) | (_, Some(Existing::Attachment(target))) => target,
            _ => return None,
        };
        let what = target.kind.what();
        let sid = &target.sid;
        let named = |name: &str| {
            format!(
                "changes[{index}] ({}) names {what} {sid} as {:?}, but {name}",
                change.action_name(),
                target.name
            )
        };
        match live.targets(target.kind).find(|t| t.sid == *sid) {
            None => Some(named(&format!("the account has no {what} {sid}"))),
            Some(_) if live.target_name(target.kind, sid) != target.name => Some(named(&format!(
                "the account's is named {:?}",
                live.target_name(target.kind, sid)
            ))),
            Some(_) => None,
        }
    })
}
