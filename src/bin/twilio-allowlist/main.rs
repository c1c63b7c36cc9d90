//! `twilio-allowlist`: keeps Twilio IP access control lists equal to a desired-state file, a
//! thin command line over [`twilio_ip_access::allowlist`].
//!
//! `args` is the command line; `output` how things are printed; `progress` the spinner and
//! `-v`; `apply`, `confirm` and `signals` the writes; `estate` and `estate_apply` the same
//! commands over a file with `[accounts]`. This file runs the commands and owns the exit
//! codes.

mod apply;
mod args;
mod audit;
mod confirm;
mod estate;
mod estate_apply;
mod messages;
mod output;
mod progress;
mod signals;
mod watch;

use std::{fs, path::Path, process::ExitCode, time::Duration};

use clap::{Parser, error::ErrorKind};
use twilio_ip_access::{
    Client, ClientBuilder,
    allowlist::{self, Desired, Error, ExportOptions, ReadOptions, SourceOptions},
};

use args::{Args, Command, Format, SchemaOf, SourceArgs};
use output::{Stream, Ui, quoted};

/// Nothing to change, or done.
pub(crate) const OK: u8 = 0;
/// An error (arguments, file, credentials, a request, a refusal, a change that failed).
pub(crate) const FAILED: u8 = 1;
/// `plan`: changes are pending.
pub(crate) const PENDING: u8 = 2;
/// `apply`: the live state is no longer the one the plan was made from; nothing was written.
pub(crate) const STALE: u8 = 3;

/// A failure to report, with its exit code.
pub(crate) struct Fail(pub(crate) u8, pub(crate) String);

impl Fail {
    /// The library's error in this command's words, with its exit code; an error in one
    /// account of an estate is named after the account, with the code of the error in it.
    pub(crate) fn of(e: &Error) -> Fail {
        Fail::where_sent(e, messages::SentTo::BaseUrlOption)
    }

    /// An estate account's error as [`of`](Self::of) says it, without the account's name (a
    /// heading gives it).
    pub(crate) fn in_account(e: &Error) -> Fail {
        match e {
            Error::Account { error, .. } => Fail::where_sent(error, messages::SentTo::AccountTable),
            e => Fail::of(e),
        }
    }

    /// As [`of`](Self::of), `to` saying where the requests were sent (for the hint).
    fn where_sent(e: &Error, to: messages::SentTo) -> Fail {
        match e {
            Error::Stale { .. } => Fail(STALE, e.to_string()),
            Error::Guard { refusals } => Fail(FAILED, messages::refused(refusals)),
            Error::Twilio(e) => Fail(FAILED, messages::request_failed(e, to)),
            Error::Account { account, error } => {
                // Its requests went where the account's table says (`--base-url` is refused
                // with several accounts).
                let Fail(code, message) = Fail::where_sent(error, messages::SentTo::AccountTable);
                Fail(code, format!("account {account:?}: {message}"))
            }
            e => Fail(FAILED, e.to_string()),
        }
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::of(&e)
    }
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            // clap's own exit code for usage errors is 2, which means "changes pending" here.
            return ExitCode::from(match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => OK,
                _ => FAILED,
            });
        }
    };
    let ui = Ui::new(args.quiet, args.no_color);
    progress::install(&ui, args.verbose);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            ui.error(&format!("cannot start the async runtime: {e}"));
            return ExitCode::from(FAILED);
        }
    };
    match runtime.block_on(run(&ui, args)) {
        Ok(code) => ExitCode::from(code),
        Err(Fail(code, message)) => {
            ui.error(&message);
            ExitCode::from(code)
        }
    }
}

/// Where requests go and how long each may take (`--base-url`, `--timeout`), and how many
/// may be in flight across the accounts of an estate (`--max-in-flight`).
#[derive(Clone, Copy)]
pub(crate) struct Connection<'a> {
    pub(crate) base_url: Option<&'a str>,
    pub(crate) timeout: Duration,
    pub(crate) max_in_flight: usize,
}

impl Connection<'_> {
    /// A client with the environment's credentials and routing.
    pub(crate) fn client(&self) -> Result<Client, Fail> {
        let mut builder = ClientBuilder::from_env().timeout(self.timeout);
        if let Some(url) = self.base_url {
            builder = builder.base_url(url);
        }
        builder.build().map_err(|e| Fail(FAILED, e.to_string()))
    }
}

/// `the file F`, for messages.
fn from_file(path: &Path) -> String {
    format!("the file {}", path.display())
}

pub(crate) fn read(path: &Path, what: &str) -> Result<String, Fail> {
    fs::read_to_string(path).map_err(|e| {
        Fail(
            FAILED,
            format!("cannot read the {what} {}: {e}", path.display()),
        )
    })
}

pub(crate) fn write(path: &Path, text: &str) -> Result<(), Fail> {
    fs::write(path, text).map_err(|e| Fail(FAILED, format!("cannot write {}: {e}", path.display())))
}

/// Reads the desired-state file and its sources, prints its warnings, and keeps only the lists
/// `only` names (all when empty), saying which it left out.
pub(crate) async fn desired(
    ui: &Ui,
    path: &Path,
    only: &[String],
    sources: &SourceArgs,
) -> Result<Desired, Fail> {
    let text = read(path, "desired-state file")?;
    let options = (sources.nameserver.iter())
        .fold(SourceOptions::default(), |o, s| o.nameserver(*s))
        .allow_fetch(sources.allow_fetch)
        .base_dir(path.parent().unwrap_or(Path::new(".")));
    let mut desired = Desired::from_toml_with_sources(&text, path.display().to_string(), &options)
        .await
        .map_err(|e| Fail(FAILED, e.to_string()))?;
    for warning in desired.warnings() {
        ui.note(&format!("warning: {}: {warning}", path.display()));
    }
    if only.is_empty() {
        return Ok(desired);
    }
    let unknown: Vec<&str> = only
        .iter()
        .map(String::as_str)
        .filter(|name| desired.list(name).is_none())
        .collect();
    if !unknown.is_empty() {
        return Err(Fail(
            FAILED,
            format!(
                "--list {}: no such list in {} (its lists: {})",
                quoted(unknown.iter().copied()),
                path.display(),
                quoted(desired.lists().iter().map(|l| l.name()))
            ),
        ));
    }
    let left_out: Vec<String> = desired
        .lists()
        .iter()
        .map(|l| l.name().to_owned())
        .filter(|name| !only.contains(name))
        .collect();
    desired.retain_lists(|l| only.iter().any(|name| name == l.name()));
    if !left_out.is_empty() {
        ui.note(&format!(
            "note: --list: leaving out {} of the file's lists, untouched: {}",
            left_out.len(),
            quoted(left_out.iter().map(String::as_str))
        ));
    }
    Ok(desired)
}

async fn run(ui: &Ui, args: Args) -> Result<u8, Fail> {
    let connection = Connection {
        base_url: args.base_url.as_deref(),
        timeout: args.timeout,
        max_in_flight: args.max_in_flight,
    };
    let reads = ReadOptions::default().concurrency(args.read_concurrency.into());
    match args.command {
        Command::Schema { of } => {
            let schema = match of {
                SchemaOf::Allowlist => allowlist::allowlist_schema(),
                SchemaOf::Plan => allowlist::plan_schema(),
                SchemaOf::EstatePlan => allowlist::estate::estate_plan_schema(),
            };
            let text = serde_json::to_string_pretty(schema.as_value())
                .map_err(|e| Fail(FAILED, e.to_string()))?;
            output::out(format_args!("{text}\n"));
            Ok(OK)
        }
        Command::Plan {
            file,
            json,
            format,
            lists,
            accounts,
            out,
            sources,
        } => {
            let desired = desired(ui, &file, &lists, &sources).await?;
            let options = sources.plan_options(reads);
            if !desired.accounts().is_empty() {
                let format = if json { Format::Json } else { format };
                let from = file.display().to_string();
                let estate =
                    estate::Estate::new(desired.accounts().to_vec(), &accounts, &from, connection)?;
                let plan = estate.plan(ui, &desired, options).await;
                return estate::plan_command(ui, &plan, format, out.as_deref());
            }
            estate::refuse_accounts_without_estate(&accounts, &from_file(&file))?;
            let client = connection.client()?;
            let plan = {
                let _spinner = progress::Spinner::start(ui, "Reading the live state:");
                allowlist::plan_with(&client, &desired, options).await?
            };
            if let Some(out) = &out {
                write(out, &plan.to_json())?;
            }
            match if json { Format::Json } else { format } {
                Format::Json => output::out(format_args!("{}\n", plan.to_json())),
                Format::Markdown => output::out(output::markdown(&plan)),
                Format::Text if ui.quiet => {}
                Format::Text => ui.print_changes(Stream::Stdout, &plan.to_string()),
            }
            if let Some(out) = &out {
                ui.note(&format!(
                    "Saved the plan to {0}; apply it with `twilio-allowlist apply {0}`.",
                    out.display()
                ));
            }
            Ok(if plan.is_empty() { OK } else { PENDING })
        }
        Command::Apply {
            file,
            plan,
            lists,
            accounts,
            yes,
            guards,
            json,
            log,
            sources,
        } => {
            let request = apply::Request {
                file,
                lists,
                accounts,
                saved: plan,
                sources,
                yes,
                json,
                reads,
                options: guards.options().read_options(reads),
                log,
            };
            Ok(apply::command(ui, connection, request).await)
        }
        Command::Watch {
            file,
            interval,
            yes,
            policy,
            once,
            log,
            guards,
            sources,
        } => {
            let request = watch::Request {
                file,
                interval,
                yes,
                policy,
                once,
                log,
                sources,
                reads,
                options: guards.options().read_options(reads),
            };
            watch::command(ui, connection, request).await
        }
        Command::Export {
            file,
            accounts: chosen,
            out,
            lists,
        } => {
            let desired = match &file {
                Some(file) => {
                    // Only its accounts are used (its lists are replaced by the live ones):
                    // its sources are not read.
                    let path = file.display().to_string();
                    let accounts = estate::accounts_of(file)?;
                    if accounts.is_empty() {
                        return Err(Fail(
                            FAILED,
                            format!(
                                "export -f {path}: the file has no [accounts] tables, and -f is for exporting the accounts it names; without -f, export reads the account of the environment"
                            ),
                        ));
                    }
                    let estate = estate::Estate::new(accounts, &chosen, &path, connection)?;
                    estate.export(ui, &lists, reads).await?
                }
                None => {
                    let client = connection.client()?;
                    let options = lists.into_iter().fold(
                        ExportOptions::default().read_options(reads),
                        ExportOptions::list,
                    );
                    let _spinner = progress::Spinner::start(ui, "Reading the live state:");
                    allowlist::export(&client, options).await?
                }
            };
            for note in desired.notes() {
                ui.note(&format!("note: {note}"));
            }
            let text = desired.to_toml();
            match out.as_deref() {
                Some(path) => {
                    write(path, &text)?;
                    let accounts = match desired.accounts().len() {
                        0 => String::new(),
                        n => format!(" of {n} account(s)"),
                    };
                    ui.note(&format!(
                        "Wrote {} list(s){accounts} to {}.",
                        desired.lists().len(),
                        path.display()
                    ));
                }
                None => output::out(&text),
            }
            Ok(OK)
        }
    }
}
