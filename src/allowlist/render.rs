//! Showing a plan like `terraform plan`: one block per list, then one for the `[byoc]` IP
//! Records and Source IP Mappings, each with its changes in apply order
//! ([`Step`](super::Step)), then the summary.

use std::fmt;

use super::{change::Change, document::Plan, kinds::entry_line};

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
                if let Change::DeleteList(delete) = change
                    && delete.pruned.is_some()
                {
                    self.pruned_addresses(f, &delete.list)?;
                }
            }
            writeln!(f)?;
        }
        writeln!(f, "{}", self.summary)
    }
}

impl Plan {
    /// The addresses a pruned list takes with it, one line each, as its starting state holds
    /// them: what goes is shown, though the one DELETE sends none of them.
    fn pruned_addresses(&self, f: &mut fmt::Formatter<'_>, list: &str) -> fmt::Result {
        let state = self.starting_state.lists.iter().find(|l| l.name == list);
        for a in state.into_iter().flat_map(|l| &l.addresses) {
            let rest = format!("{:?} (goes with the list)", a.name);
            writeln!(f, "{}", entry_line('-', a.ip, a.prefix, &rest))?;
        }
        Ok(())
    }
}
