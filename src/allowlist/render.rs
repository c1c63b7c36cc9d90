//! Showing a plan like `terraform plan`: one block per list, then one for the `[byoc]` IP
//! Records and Source IP Mappings, each with its changes in apply order
//! ([`Step`](super::Step)), then the summary.

use std::fmt;

use super::{change::Change, document::Plan};

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changes.is_empty() {
            return writeln!(f, "No changes. The allowlist matches the file.");
        }
        let blocks = self
            .lists
            .iter()
            .map(|list| {
                let header = list
                    .sid
                    .as_ref()
                    .map(|sid| format!("list {:?} ({sid})", list.name));
                (Some(list.name.as_str()), header)
            })
            .chain([(
                None,
                Some("byoc: IP Records and Source IP Mappings".to_owned()),
            )]);
        for (list, header) in blocks {
            let mut changes: Vec<&Change> =
                self.changes.iter().filter(|c| c.list() == list).collect();
            if changes.is_empty() {
                continue;
            }
            // A saved plan may list its changes in another order; show them in the one order.
            changes.sort_by_key(|c| c.step());
            if let Some(header) = header {
                writeln!(f, "{header}")?;
            }
            for change in changes {
                writeln!(f, "{}", change.plan_line())?;
            }
            writeln!(f)?;
        }
        writeln!(f, "{}", self.summary)
    }
}
