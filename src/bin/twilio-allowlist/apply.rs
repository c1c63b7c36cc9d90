//! `apply`: make or read the plan, show it, ask, read the live state again, write with a
//! progress display and signals handled, report; with `--json`, one document whatever happens.
//! A file with `[accounts]` or a saved plan of several accounts goes to `estate_apply`, which
//! shares the writes' display and signals ([`Writing`]) and the ending ([`ending`]).

use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

use indicatif::ProgressBar;
use serde::Serialize;
use twilio_ip_access::allowlist::{
    self, ApplyOptions, ChangeOutcome, ChangeResult, Error, FORMAT_VERSION, Interrupt, Plan,
    ReadOptions, Report, estate::ESTATE_FORMAT_VERSION,
};

use crate::{
    Connection, FAILED, Fail, OK, STALE,
    args::SourceArgs,
    audit, confirm, estate, estate_apply,
    output::{ApplyDocument, Failure, Stream, Ui},
    progress::{self, Spinner},
    signals::Signals,
};

/// What `apply` was asked to do.
pub(crate) struct Request {
    /// The desired-state file to plan from, and the lists of it to act on (all when empty)…
    pub(crate) file: Option<PathBuf>,
    pub(crate) lists: Vec<String>,
    /// The accounts of a file with `[accounts]` or of a saved plan of several (all when empty).
    pub(crate) accounts: Vec<String>,
    /// …or a saved plan.
    pub(crate) saved: Option<PathBuf>,
    /// How the file's sources are read.
    pub(crate) sources: SourceArgs,
    pub(crate) yes: bool,
    pub(crate) json: bool,
    pub(crate) reads: ReadOptions,
    pub(crate) options: ApplyOptions,
    /// `--log FILE`: the audit log each change attempted is appended to.
    pub(crate) log: Option<PathBuf>,
}

/// Runs `apply` and returns its exit code, having printed its error (and with `--json` its
/// one document).
pub(crate) async fn command(ui: &Ui, connection: Connection<'_>, request: Request) -> u8 {
    let estate = match estate_apply::wanted(&request) {
        Ok(estate) => estate,
        Err(fail) => {
            let none = (None::<Plan>, None::<Report>);
            return finish(ui, &request, &Err(fail), none.0, none.1, FORMAT_VERSION);
        }
    };
    if estate {
        let (mut plan, mut report) = (None, None);
        let result = estate_apply::run(ui, connection, &request, &mut plan, &mut report).await;
        // The estate plan document, each failed account with its error in place of its plan.
        finish(ui, &request, &result, plan, report, ESTATE_FORMAT_VERSION)
    } else {
        let (mut plan, mut report) = (None, None);
        let result = run(ui, connection, &request, &mut plan, &mut report).await;
        finish(ui, &request, &result, plan, report, FORMAT_VERSION)
    }
}

/// Prints the error, and with `--json` the one document; returns the exit code.
fn finish<P: Serialize, R: Serialize>(
    ui: &Ui,
    request: &Request,
    result: &Result<u8, Fail>,
    plan: Option<P>,
    report: Option<R>,
    format_version: u32,
) -> u8 {
    let code = match result {
        Ok(code) => *code,
        Err(Fail(code, message)) => {
            ui.error(message);
            *code
        }
    };
    if request.json {
        let document = ApplyDocument {
            format_version: plan.is_none().then_some(format_version),
            plan,
            report,
            error: result.as_ref().err().map(|Fail(code, message)| Failure {
                message,
                exit_code: *code,
            }),
        };
        crate::output::out(format_args!("{}\n", document.to_json()));
    }
    code
}

async fn run(
    ui: &Ui,
    connection: Connection<'_>,
    request: &Request,
    plan: &mut Option<Plan>,
    report: &mut Option<Report>,
) -> Result<u8, Fail> {
    only_with_file(request)?;
    estate::refuse_accounts_without_estate(
        &request.accounts,
        &match (&request.file, &request.saved) {
            (Some(file), _) => format!("the file {}", file.display()),
            (None, Some(plan)) => format!("the plan {} (a plan of one account)", plan.display()),
            (None, None) => "the plan".into(),
        },
    )?;
    let client = connection.client()?;
    // Opened first, so that a log that cannot be written refuses the apply before any request.
    let log = match &request.log {
        Some(path) => Some(Arc::new(audit::Log::append(
            path,
            client.account_sid().as_str(),
        )?)),
        None => None,
    };
    let plan = &*plan.insert(match (&request.file, &request.saved) {
        (Some(file), _) => {
            let desired = crate::desired(ui, file, &request.lists, &request.sources).await?;
            let _spinner = Spinner::start(ui, "Reading the live state:");
            let options = request.sources.plan_options(request.reads);
            allowlist::plan_with(&client, &desired, options).await?
        }
        (None, Some(path)) => Plan::from_json(&crate::read(path, "plan")?)?,
        (None, None) => return Err(Fail(FAILED, "give -f FILE or PLAN.json".into())),
    });
    show_plan(ui, request, &plan.to_string());
    if plan.is_empty() {
        *report = Some(plan.apply(&client, request.options.clone()).await?);
        return Ok(OK);
    }
    plan.check(&request.options)?;
    if !request.yes {
        confirm::ask()?;
    }
    if !plan.is_saved() {
        // The plan shown was computed from what was read before the question (or a moment
        // ago with --yes): another writer may have changed the lists since. A saved plan is
        // checked the same way by `Plan::apply` itself.
        let _spinner = Spinner::start(ui, "Reading the live state again:");
        plan.verify_with(&client, request.reads)
            .await
            .map_err(|e| match e {
                Error::Stale { reason } => Fail(
                    STALE,
                    format!(
                        "the live state changed since the plan was made ({reason}); nothing was written: run apply again to see the new plan"
                    ),
                ),
                e => e.into(),
            })?;
    }
    let writing = Writing::start(ui, plan.changes().len());
    let show = writing.show("");
    let recorder = log.map(|log| Arc::new(audit::Recorder::new(log, writing.interrupt.clone())));
    let record = recorder.clone();
    let options = request
        .options
        .clone()
        .interrupt(writing.interrupt.clone())
        .on_progress(move |outcome, _, _| {
            if let Some(record) = &record {
                record.outcome(outcome);
            }
            show(outcome);
        });
    let applied = plan.apply(&client, options).await;
    let received = writing.finish();
    let done = &*report.insert(applied?);
    if let Some(recorder) = &recorder {
        recorder.rest(done);
        if let Some(error) = recorder.error() {
            return Err(Fail(FAILED, error));
        }
    }
    if !request.json && (!ui.quiet || !done.is_complete()) {
        ui.print(Stream::Stdout, "\n");
        ui.print_changes(Stream::Stdout, &done.to_string());
    }
    ending(done.is_complete(), received, || {
        format!(
            "the apply is incomplete: {} failed, {} with an unknown outcome, {} not attempted",
            done.failed().count(),
            done.unknown().count(),
            done.not_attempted().count()
        )
    })
}

/// Shows the plan's text: on standard error with --json (standard output carries only the
/// JSON document), and even with -q when apply has to ask (asking needs the plan shown).
pub(crate) fn show_plan(ui: &Ui, request: &Request, text: &str) {
    let stream = if request.json {
        Stream::Stderr
    } else {
        Stream::Stdout
    };
    if !ui.quiet || !request.yes {
        ui.print_changes(stream, text);
    }
}

/// Refuses the options that only mean something with -f FILE (clap cannot say it of a
/// positional alternative): a saved plan already says which lists it covers and which it
/// prunes.
pub(crate) fn only_with_file(request: &Request) -> Result<(), Fail> {
    if request.saved.is_some() {
        let only_with_file = [
            (!request.lists.is_empty(), "--list"),
            (request.sources.prune, "--prune"),
        ];
        if let Some((_, flag)) = only_with_file.iter().find(|(given, _)| *given) {
            return Err(Fail(
                FAILED,
                format!(
                    "{flag} needs -f FILE: a saved plan already says which lists it covers and which it prunes"
                ),
            ));
        }
    }
    Ok(())
}

/// The writes under way: one progress display over every change (a bar on a terminal, else a
/// line per change on standard error), and Ctrl-C and SIGTERM turned into `interrupt`.
pub(crate) struct Writing {
    /// Stops the writes (every account's, for an estate).
    pub(crate) interrupt: Interrupt,
    bar: Option<ProgressBar>,
    signals: Option<Signals>,
    quiet: bool,
    /// The changes finished, of every account, and how many there are.
    finished: Arc<AtomicUsize>,
    total: usize,
}

impl Writing {
    /// Starts the display of `total` changes and listens for signals.
    pub(crate) fn start(ui: &Ui, total: usize) -> Writing {
        let interrupt = Interrupt::new();
        let bar = progress::write_bar(ui, total as u64);
        let signals = match Signals::listen(interrupt.clone(), bar.clone()) {
            Ok(signals) => Some(signals),
            Err(e) => {
                ui.note(&format!(
                    "warning: cannot handle Ctrl-C ({e}); it will end the apply at once"
                ));
                None
            }
        };
        Writing {
            interrupt,
            bar,
            signals,
            quiet: ui.quiet,
            finished: Arc::default(),
            total,
        }
    }

    /// A progress callback that shows each change finished, after `prefix` (an estate's
    /// account: `us: `), counted among the changes of every account.
    pub(crate) fn show(&self, prefix: &str) -> impl Fn(&ChangeOutcome) + Send + Sync + 'static {
        let (bar, quiet, prefix) = (self.bar.clone(), self.quiet, prefix.to_owned());
        let (counter, total) = (self.finished.clone(), self.total);
        move |outcome: &ChangeOutcome| match &bar {
            Some(bar) => {
                if outcome.result != ChangeResult::Done {
                    bar.println(format!("{prefix}{outcome}"));
                }
                bar.set_message(format!("{prefix}{}", outcome.change));
                bar.inc(1);
            }
            None if !quiet => {
                let finished = counter.fetch_add(1, Ordering::Relaxed) + 1;
                eprintln!("[{finished}/{total}] {prefix}{outcome}");
            }
            None => {}
        }
    }

    /// Ends the display and stops listening; the exit code of the signal received, if any.
    pub(crate) fn finish(self) -> Option<u8> {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        self.signals.as_ref().and_then(Signals::received)
    }
}

/// The exit of an apply: 0 when `complete`; else the code of the signal `received`, or 1 with
/// `incomplete`'s message.
pub(crate) fn ending(
    complete: bool,
    received: Option<u8>,
    incomplete: impl FnOnce() -> String,
) -> Result<u8, Fail> {
    match received {
        _ if complete => Ok(OK),
        Some(code) => Err(Fail(
            code,
            format!(
                "interrupted ({}): the apply stopped before its end; nothing desired was removed, and applying again converges",
                if code == crate::signals::TERMINATED {
                    "SIGTERM"
                } else {
                    "Ctrl-C"
                }
            ),
        )),
        None => Err(Fail(FAILED, incomplete())),
    }
}
