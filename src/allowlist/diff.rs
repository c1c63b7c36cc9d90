//! The difference between the desired and the live state: resolving the file's trunk and SIP
//! domain references, and computing the [`Plan`]'s changes.

use std::{
    collections::{BTreeMap, BTreeSet},
    net::Ipv4Addr,
};

use super::{
    Error, Result,
    change::{Change, Summary, Target},
    desired::{Desired, DesiredAddress, DesiredError, DesiredList},
    document::{FORMAT_VERSION, ListState, Plan, PlannedList, StartingState},
    live::{Live, LiveAddress},
    split,
    target::TargetKind,
};

/// The most IP access control lists Twilio keeps in one account.
pub(crate) const MAX_LISTS: usize = 1000;

/// Resolves a list's references of one kind (trunks or SIP domains) to targets, refusing a
/// reference that names none, or several, or the same one as another.
fn resolve(
    desired: &Desired,
    list: &DesiredList,
    kind: TargetKind,
    live: &Live,
) -> std::result::Result<Vec<Target>, DesiredError> {
    let what = kind.what();
    let mut resolved: Vec<(Target, &str)> = Vec::new();
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
        let found = match matches.as_slice() {
            [] if by_sid => {
                return Err(fail(format!("there is no {what} {text} in the account")));
            }
            [] => {
                return Err(fail(format!(
                    "there is no {what} named {text:?} in the account ({what}s are matched by SID or {})",
                    kind.named_by()
                )));
            }
            [one] => one,
            several => {
                let sids: Vec<&str> = several.iter().map(|t| t.sid.as_str()).collect();
                return Err(fail(format!(
                    "{} {what}s are named {text:?} ({}); use the SID of the one you mean",
                    several.len(),
                    sids.join(", ")
                )));
            }
        };
        if let Some((target, earlier)) = resolved.iter().find(|(t, _)| t.sid == found.sid) {
            return Err(fail(format!(
                "the same {what} twice: {earlier:?} and {:?} both name {}",
                reference.text, target.sid
            )));
        }
        resolved.push((
            Target {
                kind,
                sid: found.sid.clone(),
                name: found.name.clone().unwrap_or_else(|| found.sid.clone()),
            },
            text,
        ));
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
            let identities = live.addresses.get(&l.sid).into_iter().flatten();
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

/// The plan that takes `live` to `desired`.
pub(crate) fn compute(desired: &Desired, live: &Live) -> Result<Plan> {
    // Every Twilio list the desired state covers, with the desired list it keeps.
    let mut covered: Vec<(&DesiredList, String, Vec<DesiredAddress>)> = Vec::new();
    for list in desired.lists() {
        for (name, addresses) in parts(list, live) {
            covered.push((list, name, addresses));
        }
    }
    let names: Vec<&str> = covered.iter().map(|(_, name, _)| name.as_str()).collect();
    let starting_state = StartingState::of(live, &names).map_err(|(name, sids)| {
        let list = covered
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(l, _, _)| *l);
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
    let mut changes = Vec::new();
    let mut lists = Vec::with_capacity(covered.len());
    let mut resolved: Vec<(&str, Vec<Target>)> = Vec::new();
    for ((list, name, wanted), state) in covered.iter().zip(&starting_state.lists) {
        let targets = match resolved.iter().find(|(n, _)| *n == list.name()) {
            Some((_, targets)) => targets.clone(),
            None => {
                let mut targets = Vec::new();
                for kind in TargetKind::ALL {
                    targets.extend(resolve(desired, list, kind, live)?);
                }
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
            changes.push(Change::CreateList { list: name.clone() });
        } else if delete {
            changes.push(Change::DeleteList { list: name.clone() });
        }
        diff_list(name, state, wanted, &targets, live, &mut changes);
    }
    let created = changes
        .iter()
        .filter(|c| matches!(c, Change::CreateList { .. }))
        .count();
    let deleted = changes
        .iter()
        .filter(|c| matches!(c, Change::DeleteList { .. }))
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
    // By step, then (stable) in the order the lists are covered, then by address or target.
    let position = |list: &str| names.iter().position(|n| *n == list);
    changes.sort_by(|a, b| {
        let (sa, la, aa, ta) = a.order_key();
        let (sb, lb, ab, tb) = b.order_key();
        (sa, position(la), aa, ta).cmp(&(sb, position(lb), ab, tb))
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

/// The changes that make one Twilio list (`state`) hold `wanted` and be attached to exactly
/// `targets`.
fn diff_list(
    name: &str,
    state: &ListState,
    wanted: &[DesiredAddress],
    targets: &[Target],
    live: &Live,
    changes: &mut Vec<Change>,
) {
    let name = name.to_owned();
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
    let remove = |a: &LiveAddress| Change::RemoveAddress {
        list: name.clone(),
        sid: a.sid.clone(),
        ip: a.ip,
        prefix: a.prefix,
        name: a.name.clone(),
    };
    for want in wanted {
        match live_by_key.remove(&want.key()) {
            None => changes.push(Change::AddAddress {
                list: name.clone(),
                ip: want.ip(),
                prefix: want.prefix(),
                name: want.name().to_owned(),
                origin: want.address_origin().clone(),
            }),
            Some(group) => {
                // Keep one entry (the one already named right, if any); duplicates go.
                let keep = group
                    .iter()
                    .position(|a| a.name == want.name())
                    .unwrap_or(0);
                for (i, a) in group.iter().enumerate() {
                    if i != keep {
                        changes.push(remove(a));
                    } else if a.name != want.name() {
                        changes.push(Change::RenameAddress {
                            list: name.clone(),
                            sid: a.sid.clone(),
                            ip: a.ip,
                            prefix: a.prefix,
                            from: a.name.clone(),
                            to: want.name().to_owned(),
                            origin: want.address_origin().clone(),
                        });
                    }
                }
            }
        }
    }
    for group in live_by_key.values() {
        changes.extend(group.iter().map(remove));
    }
    // Attachments.
    let attached: BTreeSet<(TargetKind, String)> = TargetKind::ALL
        .into_iter()
        .flat_map(|kind| state.attached(kind).into_iter().map(move |s| (kind, s)))
        .collect();
    for target in targets {
        if !attached.contains(&(target.kind, target.sid.clone())) {
            changes.push(Change::Attach {
                list: name.clone(),
                target: target.clone(),
            });
        }
    }
    for (kind, sid) in &attached {
        if !targets.iter().any(|t| t.kind == *kind && t.sid == *sid) {
            changes.push(Change::Detach {
                list: name.clone(),
                target: Target {
                    kind: *kind,
                    sid: sid.clone(),
                    name: live.target_name(*kind, sid),
                },
            });
        }
    }
}
