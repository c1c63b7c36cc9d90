//! The difference between the desired and the live state: resolving the file's trunk and SIP
//! domain references, the Twilio lists the desired lists are kept as, and the [`Plan`]'s
//! changes, which every kind kept under a list ([`ListKind`](super::kinds::ListKind)) and the
//! `[byoc]` group give.

use std::{collections::BTreeMap, net::Ipv4Addr};

use super::{
    Error, Result,
    change::{Step, Summary, Target},
    desired::{Desired, DesiredAddress, DesiredError, DesiredList, Reference},
    document::{FORMAT_VERSION, Plan, PlannedList, StartingState},
    kinds::{
        ListWant,
        list::{CreateList, DeleteList},
    },
    live::Live,
    split,
    target::TargetKind,
};

/// The most IP access control lists Twilio keeps in one account.
pub(crate) const MAX_LISTS: usize = 1000;

/// The trunk or SIP domain a reference names, or why none: it names none, or several.
/// `fail` makes the error at the reference.
pub(crate) fn resolve(
    reference: &Reference,
    live: &Live,
    fail: impl Fn(String) -> DesiredError,
) -> std::result::Result<Target, DesiredError> {
    let kind = reference.kind;
    let what = kind.what();
    let text = reference.text.as_str();
    let by_sid = kind.is_sid(text);
    let matches: Vec<_> = live
        .targets(kind)
        .filter(|t| {
            if by_sid {
                t.sid == text
            } else {
                t.name.as_deref() == Some(text)
            }
        })
        .collect();
    match matches.as_slice() {
        [] if by_sid => Err(fail(format!("there is no {what} {text} in the account"))),
        [] => Err(fail(format!(
            "there is no {what} named {text:?} in the account ({what}s are matched by SID or {})",
            kind.named_by()
        ))),
        [found] => Ok(Target {
            kind,
            sid: found.sid.clone(),
            name: found.name.clone().unwrap_or_else(|| found.sid.clone()),
        }),
        several => {
            let sids: Vec<&str> = several.iter().map(|t| t.sid.as_str()).collect();
            Err(fail(format!(
                "{} {what}s are named {text:?} ({}); use the SID of the one you mean",
                several.len(),
                sids.join(", ")
            )))
        }
    }
}

/// Resolves a list's references (trunks, then SIP domains) to targets, refusing a reference
/// that names none, or several, or the same one as another.
fn resolve_list(
    desired: &Desired,
    list: &DesiredList,
    live: &Live,
) -> std::result::Result<Vec<Target>, DesiredError> {
    let mut resolved: Vec<(Target, &str)> = Vec::new();
    for kind in TargetKind::ALL {
        for reference in list.references(kind) {
            let fail = |reason: String| {
                DesiredError::new(
                    desired.file_name(),
                    reference.origin.as_ref(),
                    Some(list.name()),
                    Some(format!("{:?}", reference.text)),
                    reason,
                )
            };
            let found = resolve(reference, live, fail)?;
            if let Some((target, earlier)) = resolved.iter().find(|(t, _)| *t == found) {
                return Err(fail(format!(
                    "the same {} twice: {earlier:?} and {:?} both name {}",
                    kind.what(),
                    reference.text,
                    target.sid
                )));
            }
            resolved.push((found, &reference.text));
        }
    }
    Ok(resolved.into_iter().map(|(t, _)| t).collect())
}

/// The Twilio lists a desired list is kept as, each with the addresses it should hold: the
/// list itself, or the parts of a split one (empty for a part to delete).
fn parts(list: &DesiredList, live: &Live) -> Vec<(String, Vec<DesiredAddress>)> {
    if !list.split() {
        return vec![(list.name().to_owned(), list.addresses().to_vec())];
    }
    let mut held: BTreeMap<usize, Vec<(Ipv4Addr, u8)>> = BTreeMap::new();
    for l in &live.lists {
        if let Some(n) = split::part_number(list.name(), &l.name) {
            let identities = live.held.get(&l.sid).into_iter().flat_map(|s| &s.addresses);
            held.entry(n)
                .or_default()
                .extend(identities.map(|a| (a.ip, a.prefix)));
        }
    }
    split::assign(list.addresses(), &held)
        .into_iter()
        .map(|(n, addresses)| (split::part_name(list.name(), n), addresses))
        .collect()
}

/// The lists of `live` that pruning under `prefix` deletes: named with the prefix, and not
/// among the lists the desired state covers (`covered`: its lists and their split parts), by
/// name, each name once.
fn strays<'a>(live: &'a Live, prefix: &str, covered: &[&str]) -> Vec<&'a str> {
    let mut strays: Vec<&str> = live
        .lists
        .iter()
        .map(|l| l.name.as_str())
        .filter(|name| name.starts_with(prefix) && !covered.contains(name))
        .collect();
    strays.sort_unstable();
    strays.dedup();
    strays
}

/// The plan that takes `live` to `desired`; with `prune` (the file's `prune_prefix`), the
/// lists named with it that the desired state does not cover are detached and deleted too.
pub(crate) fn compute(desired: &Desired, live: &Live, prune: Option<&str>) -> Result<Plan> {
    // Every Twilio list the desired state covers, with the desired list it keeps.
    let mut covered: Vec<(&DesiredList, String, Vec<DesiredAddress>)> = Vec::new();
    for list in desired.lists() {
        for (name, addresses) in parts(list, live) {
            covered.push((list, name, addresses));
        }
    }
    let mut names: Vec<&str> = covered.iter().map(|(_, name, _)| name.as_str()).collect();
    // Then the lists pruned, after those the file covers.
    if let Some(prefix) = prune {
        names.extend(strays(live, prefix, &names));
    }
    let starting_state = StartingState::of(live, &names).map_err(|(name, sids)| {
        let list = covered
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(l, _, _)| *l);
        let sids: Vec<String> = sids.iter().map(ToString::to_string).collect();
        let which = if list.is_some() {
            "the file cannot tell which one it means"
        } else {
            "its name starts with the prune_prefix, and the plan cannot tell which one to prune"
        };
        DesiredError::new(
            desired.file_name(),
            list.and_then(|l| l.origin.as_ref()),
            Some(&name),
            None,
            format!(
                "{} lists in the account are named {name:?} ({}): {which}; rename or delete the others first",
                sids.len(),
                sids.join(", ")
            ),
        )
    })?;
    let mut changes = Vec::new();
    let mut lists = Vec::with_capacity(covered.len());
    let mut resolved: Vec<(&str, Vec<Target>)> = Vec::new();
    for ((list, name, wanted), state) in covered.iter().zip(&starting_state.lists) {
        let targets = match resolved.iter().find(|(n, _)| *n == list.name()) {
            Some((_, targets)) => targets.clone(),
            None => {
                let targets = resolve_list(desired, list, live)?;
                resolved.push((list.name(), targets.clone()));
                targets
            }
        };
        // A part of a split list left with nothing goes: detached, emptied, deleted.
        let delete = list.split() && wanted.is_empty() && *name != list.name();
        let targets = if delete { Vec::new() } else { targets };
        lists.push(PlannedList {
            name: name.clone(),
            sid: state.sid.clone(),
        });
        if state.sid.is_none() {
            changes.push(CreateList { list: name.clone() }.into());
        } else if delete {
            changes.push(
                DeleteList {
                    list: name.clone(),
                    pruned: None,
                }
                .into(),
            );
        }
        let want = ListWant {
            addresses: wanted,
            targets: &targets,
        };
        state.diff(Some(&want), live, &mut changes);
    }
    // A pruned list: detached from everything, then deleted with its addresses.
    if let Some(prefix) = prune {
        for state in &starting_state.lists[covered.len()..] {
            lists.push(PlannedList {
                name: state.name.clone(),
                sid: state.sid.clone(),
            });
            state.diff(None, live, &mut changes);
            let pruned = Some(prefix.to_owned());
            changes.push(
                DeleteList {
                    list: state.name.clone(),
                    pruned,
                }
                .into(),
            );
        }
    }
    let created = changes
        .iter()
        .filter(|c| c.step() == Step::CreateList)
        .count();
    let deleted = changes
        .iter()
        .filter(|c| c.step() == Step::DeleteList)
        .count();
    if created > 0
        && live.lists.len() + created - deleted.min(live.lists.len() + created) > MAX_LISTS
    {
        return Err(Error::Refused {
            reason: format!(
                "the plan creates {created} list(s), and the account would hold {} lists, more than Twilio's limit of {MAX_LISTS}; delete unused lists first",
                live.lists.len() + created - deleted
            ),
        });
    }
    if let (Some(records), Some(state)) = (desired.byoc(), &starting_state.byoc) {
        state.diff(desired, records, live, &mut changes)?;
    }
    // By step, then (stable) in the order the lists are covered (the account-wide kinds after
    // them), then by address or record, then by target.
    let position = |list: Option<&str>| {
        list.and_then(|list| names.iter().position(|n| *n == list))
            .unwrap_or(usize::MAX)
    };
    changes.sort_by(|a, b| {
        let (sa, la, pa) = a.order_key();
        let (sb, lb, pb) = b.order_key();
        (sa, position(la), pa).cmp(&(sb, position(lb), pb))
    });
    Ok(Plan {
        format_version: FORMAT_VERSION,
        lists,
        summary: Summary::of(&changes),
        changes,
        starting_state,
        fresh: true,
    })
}
