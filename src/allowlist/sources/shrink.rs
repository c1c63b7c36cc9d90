//! `max_shrink_percent`: a source may not stop giving a live list more than that share of what
//! it gave it in one plan (an answer cut short, a feed emptied by mistake), whatever the cause.
//!
//! What a source gave before is known by name: the live addresses of the list (all its parts)
//! whose `FriendlyName` is the one name the source gives its addresses (its `name`, or else the
//! source itself: a DNS source's host name, a file as written, a feed's host and path), so
//! every source is guarded.

use super::SourceRef;
use crate::allowlist::{Desired, Error, Plan, Result, split};

/// One source's guard: its addresses' name and its limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShrinkGuard {
    pub(crate) source: SourceRef,
    pub(crate) name: String,
    pub(crate) max_percent: u8,
}

/// Refuses a plan in which a source gives a list fewer addresses than its guard allows.
pub(crate) fn check_shrink(desired: &Desired, plan: &Plan) -> Result<()> {
    for list in desired.lists() {
        let live: Vec<&str> = (plan.starting_state().lists.iter())
            .filter(|l| {
                l.name == list.name()
                    || (list.split() && split::part_number(list.name(), &l.name).is_some())
            })
            .flat_map(|l| l.addresses.iter().map(|a| a.name.as_str()))
            .collect();
        for guard in &desired.shrink_guards {
            let now = (list.addresses().iter())
                .filter(|a| a.source() == Some(&guard.source) && a.name() == guard.name)
                .count();
            let before = live.iter().filter(|n| **n == guard.name).count();
            // Not in this list (or new in it): nothing to shrink.
            if now == 0 || before <= now {
                continue;
            }
            let lost = before - now;
            if lost * 100 > usize::from(guard.max_percent) * before {
                return Err(Error::Refused {
                    reason: format!(
                        "{} would give list {:?} {now} address(es) named {:?} where it has {before}: {}% fewer, more than its max_shrink_percent ({}%); nothing was written. Check the source; if the drop is meant, raise `max_shrink_percent` on its entry (100: no limit) for this run",
                        guard.source,
                        list.name(),
                        guard.name,
                        lost * 100 / before,
                        guard.max_percent,
                    ),
                });
            }
        }
    }
    Ok(())
}
