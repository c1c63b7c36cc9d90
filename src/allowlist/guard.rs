//! The guards [`Plan::apply`] checks before writing anything, like octoDNS's update and delete
//! thresholds: how many removals in all, what share of one list's entries (or of the `[byoc]`
//! group's: the account's IP Records and Source IP Mappings, as one group), and an attached
//! list left with no addresses. Every change whose kind is a removal counts (addresses,
//! detaches, unmaps, deleted parts, IP Records, Source IP Mappings, and any kind added later),
//! so no kind slips past them; a pruned list's deletion counts once for the list and once for
//! each address it takes with it.

use std::{collections::BTreeMap, fmt};

use super::{
    Error, Result,
    apply::ApplyOptions,
    change::{Change, Existing, Step},
    document::Plan,
    split,
};

/// The default of [`ApplyOptions::max_removal_percent`].
pub const DEFAULT_MAX_REMOVAL_PERCENT: u8 = 30;

/// The percentage guard applies to lists that hold at least this many entries (addresses and
/// attachments) before the plan, and to the `[byoc]` group when it holds as many (IP Records
/// and Source IP Mappings): removing 3 of 4 is not the sign of a mistake that removing 75 of
/// 100 is.
pub const MIN_ENTRIES_FOR_PERCENT: usize = 10;

/// The option of [`ApplyOptions`] that allows what a guard refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GuardOption {
    /// [`ApplyOptions::max_removals`] (`--max-removals` on the command line).
    MaxRemovals,
    /// [`ApplyOptions::max_removal_percent`] (`--max-removal-percent`).
    MaxRemovalPercent,
    /// [`ApplyOptions::allow_empty`] (`--allow-empty`).
    AllowEmpty,
}

/// One guard that refused a plan. `Display` says what it found and the option of
/// [`ApplyOptions`] that allows it; [`reason`](Self::reason) and [`allowed_by`](Self::allowed_by)
/// give the parts, for a front end that names its options otherwise (the command line says
/// `--max-removals 30`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// More removals than [`ApplyOptions::max_removals`].
    MaxRemovals {
        /// The removals the plan holds.
        removals: usize,
        /// The limit.
        limit: usize,
        /// How many of each action (`remove_address`, `detach`, `delete_list`…), by action;
        /// the addresses pruned lists take with them as `pruned_address`.
        by_action: BTreeMap<String, usize>,
    },
    /// A larger share of a list's entries removed than [`ApplyOptions::max_removal_percent`].
    MaxRemovalPercent {
        /// The list (a split list's parts count together, under its name).
        list: String,
        /// The removals in it.
        removals: usize,
        /// Its entries before the plan: addresses and attachments.
        entries: usize,
        /// The limit, in percent.
        limit: u8,
    },
    /// A larger share of the `[byoc]` group's entries (the account's IP Records and Source IP
    /// Mappings, counted together as one group) removed than
    /// [`ApplyOptions::max_removal_percent`].
    MaxByocRemovalPercent {
        /// The IP Records and Source IP Mappings removed.
        removals: usize,
        /// The IP Records and Source IP Mappings before the plan.
        entries: usize,
        /// The limit, in percent.
        limit: u8,
    },
    /// A list attached to trunks or SIP domains would hold no addresses (it lets no one in).
    EmptyAttached {
        /// The list.
        list: String,
        /// How many trunks and SIP domains it would be attached to.
        attached: usize,
    },
}

impl Refusal {
    /// What the guard found, without naming an option.
    pub fn reason(&self) -> String {
        match self {
            Refusal::MaxRemovals {
                removals,
                limit,
                by_action,
            } => {
                let parts: Vec<String> = by_action
                    .iter()
                    .map(|(action, n)| format!("{n} {action}"))
                    .collect();
                format!(
                    "the plan removes {removals} ({}), more than the limit of {limit}",
                    parts.join(", ")
                )
            }
            Refusal::MaxRemovalPercent {
                list,
                removals,
                entries,
                limit,
            } => share_removed(
                *removals,
                *entries,
                &format!("list {list:?}"),
                "a list",
                *limit,
            ),
            Refusal::MaxByocRemovalPercent {
                removals,
                entries,
                limit,
            } => share_removed(
                *removals,
                *entries,
                "[byoc] (the account's IP Records and Source IP Mappings)",
                "a group",
                *limit,
            ),
            Refusal::EmptyAttached { list, attached } => format!(
                "list {list:?} would be attached to {attached} trunk(s) or SIP domain(s) with no addresses, which lets no one in"
            ),
        }
    }

    /// The option that allows it, and the value it needs (`None` for a switch).
    pub fn allowed_by(&self) -> (GuardOption, Option<usize>) {
        match self {
            Refusal::MaxRemovals { removals, .. } => (GuardOption::MaxRemovals, Some(*removals)),
            Refusal::MaxRemovalPercent {
                removals, entries, ..
            }
            | Refusal::MaxByocRemovalPercent {
                removals, entries, ..
            } => (
                GuardOption::MaxRemovalPercent,
                Some(percent(*removals, *entries)),
            ),
            Refusal::EmptyAttached { .. } => (GuardOption::AllowEmpty, None),
        }
    }
}

/// What the percentage guard found in `group`, `a` one (`list "office"`, a list; `[byoc] …`,
/// a group).
fn share_removed(removals: usize, entries: usize, group: &str, a: &str, limit: u8) -> String {
    format!(
        "the plan removes {removals} of the {entries} entries of {group} ({}%), more than the limit of {limit}% for {a} of {MIN_ENTRIES_FOR_PERCENT} entries or more",
        share(removals, entries)
    )
}

/// Whether removing `removals` of `entries` is more than `limit` percent, of a group large
/// enough for the guard.
fn over(removals: usize, entries: usize, limit: u8) -> bool {
    entries >= MIN_ENTRIES_FOR_PERCENT && removals * 100 > entries * usize::from(limit)
}

/// The share in whole percent, rounded up (so that the value it names allows it).
fn percent(part: usize, whole: usize) -> usize {
    (part * 100).div_ceil(whole.max(1)).min(100)
}

/// The share in percent as shown, to a tenth, rounded down: `33.3`, `100`.
fn share(part: usize, whole: usize) -> String {
    let tenths = (part * 1000) / whole.max(1);
    if tenths.is_multiple_of(10) {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// `… (allow it with ApplyOptions::max_removals(30))`.
impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let option = match self.allowed_by() {
            (GuardOption::MaxRemovals, Some(n)) => format!("max_removals({n})"),
            (GuardOption::MaxRemovalPercent, Some(n)) => format!("max_removal_percent({n})"),
            _ => "allow_empty(true)".to_owned(),
        };
        write!(
            f,
            "{} (allow it with `ApplyOptions::{option}`)",
            self.reason()
        )
    }
}

/// The addresses a change takes with it beyond what it names: those of a pruned list, which
/// go with its one DELETE (as the plan's starting state holds them).
fn taken_with(plan: &Plan, change: &Change) -> usize {
    match change {
        Change::DeleteList(delete) if delete.pruned.is_some() => (plan.starting_state().lists)
            .iter()
            .find(|l| l.name == delete.list)
            .map_or(0, |l| l.addresses.len()),
        _ => 0,
    }
}

/// Every guard `plan` fails under `options` (empty when it may be applied).
pub(crate) fn refusals(plan: &Plan, options: &ApplyOptions) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    let removals: Vec<&Change> = plan.changes().iter().filter(|c| c.is_removal()).collect();
    let taken: usize = removals.iter().map(|c| taken_with(plan, c)).sum();
    let count = removals.len() + taken;
    if count > options.get_max_removals() {
        let mut by_action = BTreeMap::new();
        for change in &removals {
            *by_action.entry(change.action_name()).or_insert(0) += 1;
        }
        if taken > 0 {
            by_action.insert("pruned_address".to_owned(), taken);
        }
        refusals.push(Refusal::MaxRemovals {
            removals: count,
            limit: options.get_max_removals(),
            by_action,
        });
    }
    let limit = options.get_max_removal_percent();
    refusals.extend(percentages(plan, &removals, limit));
    refusals.extend(byoc_percentage(plan, &removals, limit));
    if !options.get_allow_empty() {
        refusals.extend(emptied(plan));
    }
    refusals
}

/// The percentage guard, per list: a split list's parts (`NAME (2)`… beside `NAME`) count
/// together, as one list.
fn percentages(plan: &Plan, removals: &[&Change], limit: u8) -> Vec<Refusal> {
    let names: Vec<&str> = plan.lists().iter().map(|l| l.name.as_str()).collect();
    let whole = |name: &str| -> String {
        names
            .iter()
            .find(|n| split::part_number(n, name).is_some_and(|p| p >= 2))
            .copied()
            .unwrap_or(name)
            .to_owned()
    };
    let mut entries: BTreeMap<String, usize> = BTreeMap::new();
    for state in &plan.starting_state().lists {
        *entries.entry(whole(&state.name)).or_default() += state.entries();
    }
    let mut removed: BTreeMap<String, usize> = BTreeMap::new();
    for change in removals {
        // Deleting an emptied part is the end of removing its entries, not one more; deleting
        // a pruned list removes its addresses. Account-wide removals (`[byoc]`) are the
        // group's ([`byoc_percentage`]).
        if let Some(list) = change.list() {
            let n = match change.existing() {
                Some(Existing::List) => taken_with(plan, change),
                _ => 1,
            };
            *removed.entry(whole(list)).or_default() += n;
        }
    }
    // In the plan's order of lists.
    let mut order: Vec<String> = Vec::new();
    for name in &names {
        let name = whole(name);
        if !order.contains(&name) {
            order.push(name);
        }
    }
    order
        .into_iter()
        .filter_map(|list| {
            let held = entries.get(&list).copied().unwrap_or_default();
            let gone = removed.get(&list).copied().unwrap_or_default();
            over(gone, held, limit).then_some(Refusal::MaxRemovalPercent {
                list,
                removals: gone,
                entries: held,
                limit,
            })
        })
        .collect()
}

/// The percentage guard for the `[byoc]` group: the account's IP Records and Source IP
/// Mappings count together, as one group (a record removed goes with its mapping; a mapping
/// removed alone reroutes a carrier's calls, a removal as much as a record's).
fn byoc_percentage(plan: &Plan, removals: &[&Change], limit: u8) -> Option<Refusal> {
    let entries = plan.starting_state().byoc.as_ref()?.entries();
    // The account-wide changes are the `[byoc]` group's.
    let removals = removals.iter().filter(|c| c.list().is_none()).count();
    over(removals, entries, limit).then_some(Refusal::MaxByocRemovalPercent {
        removals,
        entries,
        limit,
    })
}

/// The lists the plan leaves attached with no addresses, when it removes their last ones or
/// attaches them empty.
fn emptied(plan: &Plan) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    for state in &plan.starting_state().lists {
        let count = |step: Step| {
            plan.changes()
                .iter()
                .filter(|c| c.list() == Some(state.name.as_str()) && c.step() == step)
                .count()
        };
        // Saturating: a saved plan is input, and its counts are checked only when read.
        let addresses = (state.addresses.len() + count(Step::AddAddress))
            .saturating_sub(count(Step::RemoveAddress));
        let attached =
            (state.attachments.len() + count(Step::Attach)).saturating_sub(count(Step::Detach));
        let makes_it = count(Step::RemoveAddress) + count(Step::Attach) > 0;
        if addresses == 0 && attached > 0 && makes_it {
            refusals.push(Refusal::EmptyAttached {
                list: state.name.clone(),
                attached,
            });
        }
    }
    refusals
}

impl Plan {
    /// The guards [`apply`](Self::apply) checks before writing anything: every removal of any
    /// kind counts toward [`ApplyOptions::max_removals`] (a pruned list's deletion once, and
    /// once more per address it takes with it); a list (a split list's parts together), and
    /// the `[byoc]` group (the account's IP Records and Source IP Mappings together), holding
    /// at least [`MIN_ENTRIES_FOR_PERCENT`] entries may lose at most
    /// [`ApplyOptions::max_removal_percent`] of them; and, without
    /// [`ApplyOptions::allow_empty`], no list attached to a trunk or SIP domain is left with no
    /// addresses, by removing its last ones or by attaching an empty list.
    ///
    /// # Errors
    ///
    /// [`Error::Guard`] with every guard that refused.
    pub fn check(&self, options: &ApplyOptions) -> Result<()> {
        let refusals = refusals(self, options);
        if refusals.is_empty() {
            Ok(())
        } else {
            Err(Error::Guard { refusals })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_up_and_stays_within_100() {
        assert_eq!(percent(1, 3), 34);
        assert_eq!(percent(3, 10), 30);
        assert_eq!(percent(12, 10), 100);
        assert_eq!(percent(0, 0), 0);
        assert_eq!(
            [share(4, 12), share(92, 164), share(25, 25)],
            ["33.3", "56", "100"]
        );
    }

    #[test]
    fn refusals_name_what_allows_them() {
        let refusal = Refusal::MaxRemovals {
            removals: 30,
            limit: 20,
            by_action: BTreeMap::from([("detach".to_owned(), 30)]),
        };
        assert_eq!(
            refusal.to_string(),
            "the plan removes 30 (30 detach), more than the limit of 20 (allow it with `ApplyOptions::max_removals(30)`)"
        );
        let refusal = Refusal::MaxRemovalPercent {
            list: "office".into(),
            removals: 4,
            entries: 10,
            limit: 30,
        };
        assert_eq!(
            refusal.allowed_by(),
            (GuardOption::MaxRemovalPercent, Some(40))
        );
        assert!(
            refusal
                .to_string()
                .starts_with("the plan removes 4 of the 10 entries of list \"office\" (40%)"),
            "{refusal}"
        );
    }
}
