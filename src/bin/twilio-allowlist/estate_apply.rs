//! `apply` over an estate (a file with `[accounts]`, or a saved plan of several accounts): one
//! plan shown for every account, one question, then every account applied on its own, with
//! one progress display, one Ctrl-C for all, and the report grouped by account.

use std::{collections::BTreeMap, sync::Arc};

use serde_json::json;
use twilio_ip_access::allowlist::{Account, Error, EstatePlan, EstateReport};

use crate::{
    Connection, FAILED, Fail, OK, STALE,
    apply::{Request, Writing, ending, only_with_file, show_plan},
    audit::{Log, Recorder},
    confirm,
    estate::{self, Estate},
    output::{Stream, Ui},
    progress::Spinner,
};

/// Whether the request is for an estate: its file names accounts (read as `plan` reads them),
/// or its saved plan is of several accounts. A file that cannot be read or is refused is an
/// error here (before any request); a saved plan that cannot be read is left to the single
/// account's path, which says why.
pub(crate) fn wanted(request: &Request) -> Result<bool, Fail> {
    match (&request.file, &request.saved) {
        (Some(file), _) => Ok(!estate::accounts_of(file)?.is_empty()),
        (None, Some(plan)) => {
            Ok(std::fs::read_to_string(plan).is_ok_and(|text| estate::is_estate_plan(&text)))
        }
        (None, None) => Ok(false),
    }
}

/// Runs `apply` on an estate; `plan` and `report` keep what there was for `--json`.
pub(crate) async fn run(
    ui: &Ui,
    connection: Connection<'_>,
    request: &Request,
    plan: &mut Option<EstatePlan>,
    report: &mut Option<EstateReport>,
) -> Result<u8, Fail> {
    only_with_file(request)?;
    let (estate, made) = match (&request.file, &request.saved) {
        (Some(file), _) => {
            let desired = crate::desired(ui, file, &request.lists, &request.sources).await?;
            let from = file.display().to_string();
            let estate = Estate::new(
                desired.accounts().to_vec(),
                &request.accounts,
                &from,
                connection,
            )?;
            (estate, Some(desired))
        }
        (None, Some(path)) => {
            let mut saved = EstatePlan::from_json(&crate::read(path, "plan")?)?;
            // Each account is reached as the plan says (its credentials from the environment).
            let all: Vec<Account> = saved
                .accounts()
                .iter()
                .map(|a| a.account().clone())
                .collect();
            let from = format!("the plan {}", path.display());
            let estate = Estate::new(all, &request.accounts, &from, connection)?;
            if !request.accounts.is_empty() {
                saved.retain_accounts(&request.accounts)?;
            }
            *plan = Some(saved);
            (estate, None)
        }
        (None, None) => return Err(Fail(FAILED, "give -f FILE or PLAN.json".into())),
    };
    // Opened first, so that a log that cannot be written refuses the apply before any request.
    let logs = match &request.log {
        Some(path) => estate
            .accounts()
            .iter()
            .map(|a| {
                let log = Log::append(path, a.account_sid().as_str())?;
                Ok((a.name().to_owned(), Arc::new(log)))
            })
            .collect::<Result<BTreeMap<_, _>, Fail>>()?,
        None => BTreeMap::new(),
    };
    if let Some(desired) = made {
        let options = request.sources.plan_options(request.reads);
        *plan = Some(estate.plan(ui, &desired, options).await);
    }
    let Some(plan) = plan.as_ref() else {
        unreachable!("made or read above")
    };
    show_plan(ui, request, &plan.to_string());
    if let Some(failures) = estate::failures(plan) {
        return Err(Fail(FAILED, failures));
    }
    if plan.is_empty() {
        *report = Some(plan.apply(&estate.clients, request.options.clone()).await?);
        return Ok(OK);
    }
    for (account, plan) in plan.plans() {
        plan.check(&request.options)
            .map_err(|e| in_account(account, e))?;
    }
    if !request.yes {
        confirm::ask()?;
    }
    if !plan.is_saved() {
        // As for one account: the plan shown was read before the question; every account is
        // read again, and a change in any of them writes nothing to any.
        let _spinner = Spinner::start(ui, "Reading the live state of every account again:");
        plan.verify(&estate.clients, request.reads)
            .await
            .map_err(|e| match e {
                Error::Account { account, error } => match *error {
                    Error::Stale { reason } => Fail(
                        STALE,
                        format!(
                            "account {account:?}: the live state changed since the plan was made ({reason}); nothing was written to any account: run apply again to see the new plan"
                        ),
                    ),
                    error => Fail::of(&Error::Account { account, error: Box::new(error) }),
                },
                e => e.into(),
            })?;
    }
    let total = plan.plans().map(|(_, plan)| plan.changes().len()).sum();
    let writing = Writing::start(ui, total);
    let recorders: BTreeMap<&str, Arc<Recorder>> = logs
        .iter()
        .map(|(name, log)| {
            let extra = vec![("account_name", json!(name))];
            let recorder = Recorder::with(log.clone(), writing.interrupt.clone(), extra);
            (name.as_str(), Arc::new(recorder))
        })
        .collect();
    let applied = plan
        .apply_each(&estate.clients, |account| {
            let show = writing.show(&format!("{}: ", account.name()));
            let record = recorders.get(account.name()).cloned();
            (request.options.clone())
                .interrupt(writing.interrupt.clone())
                .on_progress(move |outcome, _, _| {
                    if let Some(record) = &record {
                        record.outcome(outcome);
                    }
                    show(outcome);
                })
        })
        .await;
    let received = writing.finish();
    let done = &*report.insert(applied?);
    for account in &done.accounts {
        if let Some(recorder) = recorders.get(account.account.name()) {
            recorder.rest(&account.report);
        }
    }
    if let Some(error) = recorders.values().find_map(|r| r.error()) {
        return Err(Fail(FAILED, error));
    }
    if !request.json && (!ui.quiet || !done.is_complete()) {
        ui.print(Stream::Stdout, "\n");
        ui.print_changes(Stream::Stdout, &done.to_string());
    }
    ending(done.is_complete(), received, || {
        let accounts: Vec<String> = done
            .incomplete()
            .map(|a| {
                format!(
                    "account {:?}: {} failed, {} with an unknown outcome, {} not attempted",
                    a.account.name(),
                    a.report.failed().count(),
                    a.report.unknown().count(),
                    a.report.not_attempted().count()
                )
            })
            .collect();
        format!(
            "the apply is incomplete in {} of {} account(s) (each account's changes are independent: the others' are as the report shows):\n  {}",
            accounts.len(),
            done.accounts.len(),
            accounts.join("\n  ")
        )
    })
}

/// `error`, named after the account it happened in.
fn in_account(account: &Account, error: Error) -> Fail {
    Fail::of(&Error::Account {
        account: account.name().to_owned(),
        error: Box::new(error),
    })
}
