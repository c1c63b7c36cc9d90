//! Showing a plan like `terraform plan`: one block per list, its changes in apply order
//! ([`Step`](super::Step)), then the summary.

use std::fmt;

use super::{change::Change, document::Plan};

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
            // A saved plan may list its changes in another order; show them in the one order.
            changes.sort_by_key(|c| c.step());
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
