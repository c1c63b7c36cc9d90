//! A file with `[accounts]` (an estate): the accounts `--account` chooses, a client for each
//! (its credentials from the environment variables the file names, one `RequestLimit` shared
//! by all, `--timeout` applied), and `plan` and `export` over all of them at once. Applying an
//! estate is in `estate_apply`.

use std::{collections::BTreeMap, path::Path};

use twilio_ip_access::{
    Client, RequestLimit,
    allowlist::{
        self, Account, Desired, EstateAccount, EstatePlan, ExportOptions, PlanOptions, ReadOptions,
        estate::ESTATE_FORMAT_VERSION,
    },
};

use crate::{
    Connection, FAILED, Fail, OK, PENDING,
    args::Format,
    output::{self, Stream, Ui, quoted},
    progress::Spinner,
};

/// The accounts acted on, each with its client.
pub(crate) struct Estate {
    /// Those chosen, in the file's order.
    chosen: Vec<Account>,
    /// Each chosen account's client, by name.
    pub(crate) clients: BTreeMap<String, Client>,
}

/// Refuses `--account` where there are no accounts to choose from.
pub(crate) fn refuse_accounts_without_estate(names: &[String], what: &str) -> Result<(), Fail> {
    match names.first() {
        None => Ok(()),
        Some(name) => Err(Fail(
            FAILED,
            format!(
                "--account {name:?}: {what} has no [accounts] tables; without them it is the one account of the environment (TWILIO_ACCOUNT_SID)"
            ),
        )),
    }
}

impl Estate {
    /// The accounts of `all` that `names` chooses (every one when empty), each with a client.
    /// `from` names where the accounts were read (the file, or a saved plan) for messages.
    ///
    /// Refused before any request: `--base-url` (each account says where its requests go), a
    /// name that is not an account, and every account whose credentials' variables are unset
    /// (all of them named at once).
    pub(crate) fn new(
        all: Vec<Account>,
        names: &[String],
        from: &str,
        connection: Connection<'_>,
    ) -> Result<Estate, Fail> {
        if connection.base_url.is_some() {
            return Err(Fail(
                FAILED,
                format!(
                    "--base-url sends one account's requests to one URL, but {from} has several accounts: give each account its own `base_url = \"…\"` in its [accounts.NAME] table instead"
                ),
            ));
        }
        let unknown: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|name| !all.iter().any(|a| a.name() == *name))
            .collect();
        if !unknown.is_empty() {
            return Err(Fail(
                FAILED,
                format!(
                    "--account {}: no such account in {from} (its accounts: {})",
                    quoted(unknown),
                    quoted(all.iter().map(Account::name))
                ),
            ));
        }
        let chosen: Vec<Account> = all
            .iter()
            .filter(|a| names.is_empty() || names.iter().any(|n| n == a.name()))
            .cloned()
            .collect();
        let limit =
            RequestLimit::new(connection.max_in_flight).map_err(|e| Fail(FAILED, e.to_string()))?;
        let mut clients = BTreeMap::new();
        let mut errors = Vec::new();
        for account in &chosen {
            let client = account
                .client_builder(&all, |variable| std::env::var(variable).ok())
                .and_then(|builder| {
                    builder
                        .timeout(connection.timeout)
                        .request_limit(limit.clone())
                        .build()
                });
            match client {
                Ok(client) => {
                    clients.insert(account.name().to_owned(), client);
                }
                Err(e) => errors.push(e.to_string()),
            }
        }
        if !errors.is_empty() {
            return Err(Fail(
                FAILED,
                format!(
                    "cannot reach every account of {from}; nothing was sent:\n  {}",
                    errors.join("\n  ")
                ),
            ));
        }
        Ok(Estate { chosen, clients })
    }

    /// The accounts acted on, in the file's order.
    pub(crate) fn accounts(&self) -> &[Account] {
        &self.chosen
    }

    /// The account's client (every chosen account has one).
    fn client(&self, account: &Account) -> &Client {
        &self.clients[account.name()]
    }

    /// Plans every chosen account at once, each with its part of `desired`.
    pub(crate) async fn plan(
        &self,
        ui: &Ui,
        desired: &Desired,
        options: PlanOptions,
    ) -> EstatePlan {
        let accounts = self
            .chosen
            .iter()
            .map(|account| {
                EstateAccount::new(
                    account.clone(),
                    self.client(account).clone(),
                    desired.for_account(account.name()),
                )
            })
            .collect();
        let _spinner = Spinner::start(ui, "Reading the live state of every account:");
        allowlist::estate::plan(accounts, options).await
    }

    /// Exports every chosen account at once (the lists `lists` names, all when empty), as one
    /// desired state with the accounts section: the accounts as the file gives them.
    pub(crate) async fn export(
        &self,
        ui: &Ui,
        lists: &[String],
        reads: ReadOptions,
    ) -> Result<Desired, Fail> {
        let options = lists.iter().fold(
            ExportOptions::default().read_options(reads),
            ExportOptions::list,
        );
        let accounts = self
            .chosen
            .iter()
            .map(|account| (account.clone(), self.client(account).clone()))
            .collect();
        let _spinner = Spinner::start(ui, "Reading the live state of every account:");
        allowlist::estate::export(accounts, options)
            .await
            .map_err(|e| {
                let Fail(code, message) = Fail::from(e);
                Fail(code, format!("{message}; nothing was written"))
            })
    }
}

/// What to say when accounts failed to plan: each account's error, in full (the plan text may
/// not have been shown: `-q`, `--json`).
pub(crate) fn failures(plan: &EstatePlan) -> Option<String> {
    let failed: Vec<String> = plan
        .failed()
        .filter_map(|a| a.error())
        .map(|e| Fail::of(e).1)
        .collect();
    if failed.is_empty() {
        return None;
    }
    Some(format!(
        "{} of {} account{} failed to plan; nothing can be applied to any account until every account plans (fix it, or leave it out with --account):\n  {}",
        failed.len(),
        plan.accounts().len(),
        if plan.accounts().len() == 1 { "" } else { "s" },
        failed.join("\n  ")
    ))
}

/// Prints an estate's plan as `format` says, saves it to `out` when every account planned,
/// and returns the exit code: 1 when an account failed (after the others are shown; with
/// `--json`, its `error` in place of its `plan`, and the failures on standard error too), else
/// 2 when something would change, else 0.
pub(crate) fn plan_command(
    ui: &Ui,
    plan: &EstatePlan,
    format: Format,
    out: Option<&Path>,
) -> Result<u8, Fail> {
    let failures = failures(plan);
    match format {
        // Each failed account with its error in place of its plan (such a document is shown,
        // never saved: `apply` refuses it).
        Format::Json => output::out(format_args!(
            "{}\n",
            serde_json::to_string_pretty(plan).map_err(|e| Fail(FAILED, e.to_string()))?
        )),
        Format::Markdown => output::out(output::estate_markdown(plan)),
        Format::Text if ui.quiet => {}
        Format::Text => ui.print_changes(Stream::Stdout, &plan.to_string()),
    }
    if let Some(failures) = failures {
        let unsaved = out.map_or(String::new(), |out| {
            format!(" (the plan was not saved to {})", out.display())
        });
        return Err(Fail(FAILED, format!("{failures}{unsaved}")));
    }
    if let Some(out) = out {
        crate::write(out, &plan.to_json()?)?;
        ui.note(&format!(
            "Saved the plan of {} account(s) to {1}; apply it with `twilio-allowlist apply {1}`.",
            plan.accounts().len(),
            out.display()
        ));
    }
    Ok(if plan.is_empty() { OK } else { PENDING })
}

/// The accounts of the desired-state file at `path` (`[accounts.NAME]`; empty for the one
/// account of the environment), read without its sources: what decides whether a command acts
/// on one account or several, and all that `export -f` needs of the file.
pub(crate) fn accounts_of(path: &Path) -> Result<Vec<Account>, Fail> {
    let text = crate::read(path, "desired-state file")?;
    Desired::accounts_from_toml(&text, path.display().to_string())
        .map_err(|e| Fail(FAILED, e.to_string()))
}

/// Whether a saved plan's text is a plan of several accounts (`format_version` 5).
pub(crate) fn is_estate_plan(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|document| document.get("format_version")?.as_u64())
        == Some(ESTATE_FORMAT_VERSION.into())
}
