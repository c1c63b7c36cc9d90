//! Applying an estate's plan: refused as a whole before any write (an account without a plan,
//! a missing client, a guard, a stale saved plan), then every account applied on its own and
//! at once, each account's report kept apart.

use std::{
    collections::BTreeMap,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

use futures_util::future;
use serde::Serialize;

use super::{
    super::{
        Account, ApplyOptions, ChangeOutcome, ChangeResult, Error, Plan, ReadOptions, Report,
        Result, Summary,
    },
    plan::{EstatePlan, check_credentials, in_account},
};
use crate::Client;

/// What applying one account's plan did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountReport {
    /// The account.
    pub account: Account,
    /// Its report: every change of its plan with its outcome.
    pub report: Report,
}

/// What [`EstatePlan::apply`] did, account by account in the plan's order.
///
/// `Display` groups by account (a header per account, then its [`Report`]) and ends with one
/// line for the estate. Serialized (serde), it is `{"accounts": [{"account": {…}, "report":
/// {…}}], "done": {…}}`, each `report` as a single account's apply reports it (`apply --json`'s
/// `report`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EstateReport {
    /// Every account applied, with its report.
    pub accounts: Vec<AccountReport>,
    /// The changes done in every account, added up.
    pub done: Summary,
}

impl EstateReport {
    /// Whether every change of every account was done (or, for a removal, found already
    /// absent).
    pub fn is_complete(&self) -> bool {
        self.accounts.iter().all(|a| a.report.is_complete())
    }

    /// The report of the account named `name`.
    pub fn account(&self, name: &str) -> Option<&AccountReport> {
        self.accounts.iter().find(|a| a.account.name() == name)
    }

    /// The accounts whose apply is not complete.
    pub fn incomplete(&self) -> impl Iterator<Item = &AccountReport> {
        self.accounts.iter().filter(|a| !a.report.is_complete())
    }
}

impl EstatePlan {
    /// Each account's plan with the client `clients` gives for its name, or the error that
    /// refuses the apply: an account without a plan, or without a client, or whose client acts
    /// on another account.
    fn with_clients<'a>(
        &'a self,
        clients: &'a BTreeMap<String, Client>,
    ) -> Result<Vec<(&'a Account, &'a Plan, &'a Client)>> {
        let failed: Vec<&str> = self.failed().map(|a| a.account().name()).collect();
        if !failed.is_empty() {
            return Err(Error::Refused {
                reason: format!(
                    "{} failed to plan ({}): nothing is applied to any account while the plan shown is not the whole plan; fix them, or plan without them",
                    if failed.len() == 1 {
                        "an account"
                    } else {
                        "accounts"
                    },
                    failed.join(", ")
                ),
            });
        }
        self.plans()
            .map(|(account, plan)| {
                let Some(client) = clients.get(account.name()) else {
                    return Err(in_account(
                        account,
                        Error::Refused {
                            reason: "no client was given for it".into(),
                        },
                    ));
                };
                if client.account_sid() != account.account_sid() {
                    return Err(in_account(
                        account,
                        Error::Refused {
                            reason: format!(
                                "the plan is for account {}, but its client acts on {}",
                                account.account_sid(),
                                client.account_sid()
                            ),
                        },
                    ));
                }
                Ok((account, plan, client))
            })
            .collect()
    }

    /// Checks every account's live state against its plan's starting state, all accounts at
    /// once, each read as `options` say (the same reads as a plan): a saved plan's check before
    /// applying, or a fresh plan's after the user confirmed it. `clients` gives each account's
    /// client by name.
    ///
    /// # Errors
    ///
    /// [`Error::Account`] naming the first account (in the plan's order) whose state changed
    /// ([`Error::Stale`] in it) or whose reads failed; [`Error::Refused`] as
    /// [`apply`](Self::apply) refuses.
    pub async fn verify(
        &self,
        clients: &BTreeMap<String, Client>,
        options: ReadOptions,
    ) -> Result<()> {
        let accounts = self.with_clients(clients)?;
        let all: Vec<Account> = self.accounts.iter().map(|a| a.account.clone()).collect();
        verify_all(
            accounts
                .into_iter()
                .map(|(account, plan, client)| (account, plan, client, options)),
            &all,
        )
        .await
    }

    /// Applies every account's plan, each with `clients`' client of its name.
    ///
    /// Nothing is written to any account unless every account can be applied: each has a plan
    /// (none failed), a client acting on it, its plan passes the guards of [`Plan::check`] with
    /// `options`, and for a saved plan its live state still equals the plan's starting state
    /// (every account is verified before any is written: like terraform, the plan confirmed is
    /// the plan applied). Then the accounts are applied at once, each as [`Plan::apply`] applies
    /// a plan, with the same `options` (its write concurrency is per account; one
    /// [`Interrupt`](super::super::Interrupt) stops them all): a failed change in one account
    /// stops that account's later steps, never another account's. The progress callback counts
    /// the changes of every account together.
    ///
    /// # Errors
    ///
    /// Before anything is written: [`Error::Refused`] when an account failed to plan;
    /// [`Error::Account`] naming the account without a client, or whose client acts on another
    /// account, or whose guards refuse ([`Error::Guard`] in it), or whose live state changed
    /// since a saved plan ([`Error::Stale`] in it), or whose verification's reads failed. The
    /// failures of single changes are in the [`EstateReport`], not errors.
    pub async fn apply(
        &self,
        clients: &BTreeMap<String, Client>,
        options: ApplyOptions,
    ) -> Result<EstateReport> {
        let total: usize = self.plans().map(|(_, plan)| plan.changes().len()).sum();
        let finished = Arc::new(AtomicUsize::new(0));
        let progress = options.get_progress();
        self.apply_each(clients, |_| match &progress {
            Some(progress) => {
                let (progress, finished) = (progress.clone(), finished.clone());
                options.clone().on_progress(move |outcome, _, _| {
                    let n = finished.fetch_add(1, Ordering::Relaxed) + 1;
                    progress(outcome, n, total);
                })
            }
            None => options.clone(),
        })
        .await
    }

    /// [`apply`](Self::apply), each account with the options `options` gives it: its own
    /// guards' limits, or a progress callback that knows the account (an audit log per
    /// account, say), whose counts are then the account's own.
    ///
    /// # Errors
    ///
    /// As [`apply`](Self::apply).
    pub async fn apply_each(
        &self,
        clients: &BTreeMap<String, Client>,
        options: impl Fn(&Account) -> ApplyOptions,
    ) -> Result<EstateReport> {
        let accounts = self.with_clients(clients)?;
        let options: Vec<ApplyOptions> = accounts.iter().map(|(a, _, _)| options(a)).collect();
        for ((account, plan, _), options) in accounts.iter().zip(&options) {
            plan.check(options).map_err(|e| in_account(account, e))?;
        }
        let saved = accounts
            .iter()
            .zip(&options)
            .filter(|((_, plan, _), _)| plan.is_saved())
            .map(|(&(account, plan, client), options)| {
                (account, plan, client, options.get_read_options())
            });
        let all: Vec<Account> = self.accounts.iter().map(|a| a.account.clone()).collect();
        verify_all(saved, &all).await?;
        let reports = future::join_all(accounts.iter().zip(options).map(
            |(&(account, plan, client), options)| {
                // Verified above with every other account: not read again.
                let mut plan = plan.clone();
                plan.fresh = true;
                async move {
                    let report = match plan.apply(client, options).await {
                        Ok(report) => report,
                        // Checked above with the same options, and a fresh plan is not
                        // verified again: nothing else refuses before the first write.
                        Err(_) => not_attempted(&plan),
                    };
                    AccountReport {
                        account: account.clone(),
                        report,
                    }
                }
            },
        ))
        .await;
        let done = super::total(reports.iter().map(|a| a.report.done));
        Ok(EstateReport {
            accounts: reports,
            done,
        })
    }
}

/// A report of `plan` with nothing attempted.
fn not_attempted(plan: &Plan) -> Report {
    Report {
        outcomes: plan
            .changes()
            .iter()
            .map(|change| ChangeOutcome {
                change: change.clone(),
                result: ChangeResult::NotAttempted,
                sid: None,
                request_id: None,
            })
            .collect(),
        done: Summary::default(),
    }
}

/// Verifies every account's plan at once, each read as its options say; the first failure in
/// the plan's order, named.
async fn verify_all<'a>(
    accounts: impl Iterator<Item = (&'a Account, &'a Plan, &'a Client, ReadOptions)>,
    all: &[Account],
) -> Result<()> {
    let accounts: Vec<_> = accounts.collect();
    // Credentials first, as when planning: a 401 is then named with its region and causes,
    // not as the first failed read of the verification.
    let results = future::join_all(accounts.iter().map(|(account, plan, client, read)| async {
        check_credentials(&account.routed(all), client).await?;
        plan.verify_with(client, *read).await
    }))
    .await;
    for ((account, ..), result) in accounts.iter().zip(results) {
        result.map_err(|e| in_account(account, e))?;
    }
    Ok(())
}
