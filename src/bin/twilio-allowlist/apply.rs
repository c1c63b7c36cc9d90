//! `apply`: make or read the plan, show it, ask, read the live state again, write with a
//! progress display and signals handled, report; with `--json`, one document whatever happens.

use std::{path::PathBuf, sync::Arc};

use twilio_ip_access::allowlist::{
    self, ApplyOptions, ChangeOutcome, ChangeResult, Error, FORMAT_VERSION, Interrupt, Plan,
    ReadOptions, Report,
};

use crate::{
    Connection, FAILED, Fail, OK, STALE,
    args::SourceArgs,
    audit, confirm,
    output::{ApplyDocument, Failure, Stream, Ui},
    progress::{self, Spinner},
    signals::Signals,
};

/// What `apply` was asked to do.
pub(crate) struct Request {
    /// The desired-state file to plan from, and the lists of it to act on (all when empty)…
    pub(crate) file: Option<PathBuf>,
    pub(crate) lists: Vec<String>,
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
    let (mut plan, mut report) = (None, None);
    let result = run(ui, connection, &request, &mut plan, &mut report).await;
    let code = match &result {
        Ok(code) => *code,
        Err(Fail(code, message)) => {
            ui.error(message);
            *code
        }
    };
    if request.json {
        let document = ApplyDocument {
            format_version: plan.is_none().then_some(FORMAT_VERSION),
            plan: plan.as_ref(),
            report: report.as_ref(),
            error: result.as_ref().err().map(|Fail(code, message)| Failure {
                message,
                exit_code: *code,
            }),
        };
        println!("{}", document.to_json());
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
    // Options that only mean something with -f FILE (clap cannot say it of a positional
    // alternative): a saved plan already says which lists it covers and which it prunes.
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
    // With --json, standard output carries only the JSON document. Asking needs the plan shown.
    let stream = if request.json {
        Stream::Stderr
    } else {
        Stream::Stdout
    };
    if !ui.quiet || !request.yes {
        ui.print_changes(stream, &plan.to_string());
    }
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
    let interrupt = Interrupt::new();
    let bar = progress::write_bar(ui, plan.changes().len() as u64);
    let signals = match Signals::listen(interrupt.clone(), bar.clone()) {
        Ok(signals) => Some(signals),
        Err(e) => {
            ui.note(&format!(
                "warning: cannot handle Ctrl-C ({e}); it will end the apply at once"
            ));
            None
        }
    };
    let progress = bar.clone();
    let quiet = ui.quiet;
    let show = move |outcome: &ChangeOutcome, finished: usize, total: usize| match &progress {
        Some(bar) => {
            if outcome.result != ChangeResult::Done {
                bar.println(outcome.to_string());
            }
            bar.set_message(outcome.change.to_string());
            bar.inc(1);
        }
        None if !quiet => eprintln!("[{finished}/{total}] {outcome}"),
        None => {}
    };
    let recorder = log.map(|log| Arc::new(audit::Recorder::new(log, interrupt.clone())));
    let record = recorder.clone();
    let options = request.options.clone().interrupt(interrupt).on_progress(
        move |outcome, finished, total| {
            if let Some(record) = &record {
                record.outcome(outcome);
            }
            show(outcome, finished, total);
        },
    );
    let applied = plan.apply(&client, options).await;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let received = signals.as_ref().and_then(Signals::received);
    drop(signals);
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
    match received {
        _ if done.is_complete() => Ok(OK),
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
        None => Err(Fail(
            FAILED,
            format!(
                "the apply is incomplete: {} failed, {} with an unknown outcome, {} not attempted",
                done.failed().count(),
                done.unknown().count(),
                done.not_attempted().count()
            ),
        )),
    }
}
