//! The difference between the desired and the live state: resolving the file's trunk and SIP
//! domain references, and computing the [`Plan`]'s changes.

use std::{
    collections::{BTreeMap, BTreeSet},
    net::Ipv4Addr,
};

use super::{
    Result,
    change::{Change, Summary, Target},
    desired::{Desired, DesiredError, DesiredList},
    document::{FORMAT_VERSION, Plan, PlannedList, StartingState},
    live::{Live, LiveAddress},
    target::TargetKind,
};

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

/// The plan that takes `live` to `desired`.
pub(crate) fn compute(desired: &Desired, live: &Live) -> Result<Plan> {
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
    let mut changes = Vec::new();
    let mut lists = Vec::with_capacity(desired.lists().len());
    for (list, state) in desired.lists().iter().zip(&starting_state.lists) {
        let name = list.name().to_owned();
        let mut targets = Vec::new();
        for kind in TargetKind::ALL {
            targets.extend(resolve(desired, list, kind, live)?);
        }
        lists.push(PlannedList {
            name: name.clone(),
            sid: state.sid.clone(),
        });
        if state.sid.is_none() {
            changes.push(Change::CreateList { list: name.clone() });
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
        let remove = |a: &LiveAddress| Change::RemoveAddress {
            list: name.clone(),
            sid: a.sid.clone(),
            ip: a.ip,
            prefix: a.prefix,
            name: a.name.clone(),
        };
        for want in list.addresses() {
            match live_by_key.remove(&want.key()) {
                None => changes.push(Change::AddAddress {
                    list: name.clone(),
                    ip: want.ip(),
                    prefix: want.prefix(),
                    name: want.name().to_owned(),
                    set: want.set().map(str::to_owned),
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
                                set: want.set().map(str::to_owned),
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
        for target in &targets {
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
    // By step, then (stable) in the desired state's list order, then by address or target.
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
