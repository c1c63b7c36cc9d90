//! Showing an estate's plan and report: a header per account, the account's own plan or report
//! as a single account shows it (indented under the header), then one line for the estate.

use std::fmt;

use super::{
    super::{Account, Error, Summary},
    apply::EstateReport,
    plan::EstatePlan,
};

/// `Account "us" (AC…, region us1, edge ashburn)`: `region default` when the file gives none,
/// the base URL when it gives one; a subaccount reached with its parent's credentials that
/// gives none of them is routed as its parent. Written by [`AccountPlan::heading`] and
/// above each account's plan and report.
pub(super) struct Heading<'a>(pub(super) &'a Account);

impl fmt::Display for Heading<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let account = self.0;
        write!(f, "Account {:?} ({}", account.name(), account.account_sid())?;
        let routed =
            account.region().is_some() || account.edge().is_some() || account.base_url().is_some();
        match account.parent() {
            Some(parent) if !routed => {
                return write!(f, ", subaccount of {parent:?}, routed as it)");
            }
            Some(parent) => write!(f, ", subaccount of {parent:?}")?,
            None => {}
        }
        write!(f, ", region {}", account.region().unwrap_or("default"))?;
        if let Some(edge) = account.edge() {
            write!(f, ", edge {edge}")?;
        }
        if let Some(url) = account.base_url() {
            write!(f, ", at {url}")?;
        }
        write!(f, ")")
    }
}

/// `text`, each non-empty line indented by two spaces.
fn indented(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    for line in text.lines() {
        if line.is_empty() {
            writeln!(f)?;
        } else {
            writeln!(f, "  {line}")?;
        }
    }
    Ok(())
}

/// The error kept for an account, without the account's name the header already gives.
fn error_text(error: &Error) -> String {
    match error {
        Error::Account { error, .. } => format!("Error: {error}"),
        other => format!("Error: {other}"),
    }
}

fn accounts(n: usize) -> String {
    format!("{n} account{}", if n == 1 { "" } else { "s" })
}

impl fmt::Display for EstatePlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for a in self.accounts() {
            writeln!(f, "{}", Heading(a.account()))?;
            match a.plan() {
                Ok(plan) => {
                    if let Some(parent) = a.account().parent() {
                        indented(
                            f,
                            &format!(
                                "Note: reached with the credentials of {parent:?}, so its trunks are not read and its lists' trunk associations are left alone (Twilio's Trunking API acts on the account whose credentials sign)."
                            ),
                        )?;
                    }
                    indented(f, &plan.to_string())?;
                }
                Err(error) => indented(f, &error_text(error))?,
            }
            writeln!(f)?;
        }
        writeln!(f, "{}", Total(self))
    }
}

/// The estate's total line: `Plan: 3 to add, 0 to change, 1 to remove across 2 accounts.`, and
/// the accounts that failed, if any. Written by [`EstatePlan::total_line`] and last in the
/// plan's text.
pub(super) struct Total<'a>(pub(super) &'a EstatePlan);

impl fmt::Display for Total<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plan = self.0;
        let Summary {
            add,
            change,
            remove,
        } = plan.summary();
        write!(
            f,
            "Plan: {add} to add, {change} to change, {remove} to remove across {}",
            accounts(plan.plans().count())
        )?;
        let failed: Vec<&str> = plan.failed().map(|a| a.account().name()).collect();
        if !failed.is_empty() {
            write!(
                f,
                "; {} failed ({}): nothing can be applied until every account plans",
                accounts(failed.len()),
                failed.join(", ")
            )?;
        }
        write!(f, ".")
    }
}

impl fmt::Display for EstateReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for a in &self.accounts {
            writeln!(f, "{}", Heading(&a.account))?;
            indented(f, &a.report.to_string())?;
            writeln!(f)?;
        }
        let done = format!(
            "{} added, {} changed, {} removed",
            self.done.add, self.done.change, self.done.remove
        );
        let incomplete: Vec<&str> = self
            .accounts
            .iter()
            .filter(|a| !a.report.is_complete())
            .map(|a| a.account.name())
            .collect();
        if incomplete.is_empty() {
            writeln!(
                f,
                "Apply complete across {}: {done}.",
                accounts(self.accounts.len())
            )
        } else {
            writeln!(
                f,
                "Apply incomplete in {} of {} ({}): {done}.",
                incomplete.len(),
                accounts(self.accounts.len()),
                incomplete.join(", ")
            )
        }
    }
}
