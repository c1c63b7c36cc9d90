//! `watch`: plan and apply at an interval, unattended, one JSON line per cycle and per change.

use std::{path::PathBuf, sync::Arc, time::Duration};

use futures_util::future::{Either, select};
use serde_json::{Map, Value, json};
use twilio_ip_access::{
    Client,
    allowlist::{self, ApplyOptions, Error, Interrupt, Plan, Policy, ReadOptions, Summary},
};

use crate::{
    Connection, FAILED, Fail, OK,
    args::SourceArgs,
    audit::{Log, Recorder},
    output::Ui,
    signals::Signals,
};

/// What `watch` was asked to do.
pub(crate) struct Request {
    pub(crate) file: PathBuf,
    pub(crate) interval: Duration,
    pub(crate) yes: bool,
    pub(crate) policy: Policy,
    pub(crate) once: bool,
    pub(crate) log: Option<PathBuf>,
    pub(crate) sources: SourceArgs,
    pub(crate) reads: ReadOptions,
    pub(crate) options: ApplyOptions,
}

/// The most a run of failed cycles stretches the interval by.
const MAX_BACKOFF: u32 = 8;

/// The wait after a cycle, when `failures` cycles in a row have failed: the interval, then
/// doubled for every further failure, up to [`MAX_BACKOFF`] times it.
fn wait(interval: Duration, failures: u32) -> Duration {
    let factor = 1u32 << failures.saturating_sub(1).min(MAX_BACKOFF.ilog2());
    interval.saturating_mul(factor)
}

/// Runs `watch` until a signal (exit 0), or one cycle with `--once`.
pub(crate) async fn command(
    ui: &Ui,
    connection: Connection<'_>,
    request: Request,
) -> Result<u8, Fail> {
    if !request.yes {
        return Err(Fail(
            FAILED,
            "watch applies every cycle's plan without asking: pass --yes (see `plan` for what it would do now, and --policy upsert-only to never remove)".into(),
        ));
    }
    // A file that cannot be read or is refused is left to each cycle, which says why.
    if crate::estate::accounts_of(&request.file).is_ok_and(|accounts| !accounts.is_empty()) {
        return Err(Fail(
            FAILED,
            format!(
                "{} has [accounts]: watch acts on the one account of the environment and does not take several accounts yet; run `apply -f {0} --yes` (with --account NAME for some) from cron instead",
                request.file.display()
            ),
        ));
    }
    let client = connection.client()?;
    let account = client.account_sid().as_str();
    let log = Arc::new(match &request.log {
        Some(path) => Log::append(path, account)?,
        None => Log::stdout(account),
    });
    let interrupt = Interrupt::new();
    let signals = Signals::listen(interrupt.clone(), None)
        .map_err(|e| Fail(FAILED, format!("cannot handle SIGTERM and Ctrl-C: {e}")))?;
    let mut failures = 0;
    for number in 1u64.. {
        // A signal during the reads lets them finish (nothing is written after it).
        let cycle = cycle(ui, &client, &request, &log, &interrupt, number).await;
        failures = if cycle.succeeded() { 0 } else { failures + 1 };
        let stopping = request.once || signals.received().is_some();
        let next = wait(request.interval, failures);
        let mut fields = cycle.fields(request.policy);
        fields.insert("cycle".into(), json!(number));
        fields.insert(
            "next_cycle_in_secs".into(),
            json!((!stopping).then_some(next.as_secs())),
        );
        log.event("cycle", fields, &[]).map_err(|e| {
            Fail(
                FAILED,
                format!("cannot write the log {}: {e}", log.describe()),
            )
        })?;
        if let Some(error) = &cycle.error {
            ui.note(&format!("cycle {number} {}: {error}", cycle.status));
        }
        if request.once {
            return Ok(if cycle.succeeded() { OK } else { FAILED });
        }
        if stopping {
            return Ok(OK);
        }
        let sleep = std::pin::pin!(tokio::time::sleep(next));
        let signal = std::pin::pin!(signals.first());
        if let Either::Right(_) = select(sleep, signal).await {
            return Ok(OK);
        }
    }
    Ok(OK)
}

/// What became of one cycle.
struct Cycle {
    /// `unchanged`, `applied`, `incomplete`, `refused`, `failed` or `interrupted`.
    status: &'static str,
    /// The plan's changes (after the policy dropped what it does not make).
    planned: Option<Summary>,
    /// Removals the policy dropped.
    dropped: usize,
    /// What was done.
    done: Option<Summary>,
    error: Option<String>,
}

impl Cycle {
    fn ended(status: &'static str, error: impl ToString) -> Self {
        Cycle {
            status,
            planned: None,
            dropped: 0,
            done: None,
            error: Some(error.to_string()),
        }
    }

    /// Nothing was left to do: the backoff starts over.
    fn succeeded(&self) -> bool {
        matches!(self.status, "unchanged" | "applied" | "interrupted")
    }

    fn fields(&self, policy: Policy) -> Map<String, Value> {
        let mut fields = Map::new();
        fields.insert("status".into(), json!(self.status));
        fields.insert("policy".into(), json!(policy.to_string()));
        fields.insert("planned".into(), json!(self.planned));
        fields.insert("removals_dropped".into(), json!(self.dropped));
        fields.insert("done".into(), json!(self.done));
        fields.insert("error".into(), json!(self.error));
        fields
    }
}

/// One cycle: the file and its sources read, the plan made and restricted to the policy,
/// checked by the guards, and applied.
async fn cycle(
    ui: &Ui,
    client: &Client,
    request: &Request,
    log: &Arc<Log>,
    interrupt: &Interrupt,
    number: u64,
) -> Cycle {
    let plan = match plan(ui, client, request).await {
        Ok(plan) => plan,
        Err(cycle) => return cycle,
    };
    let all = plan.summary().remove;
    let plan = request.policy.restrict(plan);
    let mut cycle = Cycle {
        status: "unchanged",
        planned: Some(plan.summary()),
        dropped: all - plan.summary().remove,
        done: None,
        error: None,
    };
    if plan.is_empty() {
        return cycle;
    }
    if let Err(e) = plan.check(&request.options) {
        cycle.status = "refused";
        cycle.error = Some(e.to_string());
        return cycle;
    }
    if interrupt.is_stopped() {
        cycle.status = "interrupted";
        return cycle;
    }
    let recorder = Arc::new(Recorder::with(
        log.clone(),
        interrupt.clone(),
        vec![("cycle", json!(number))],
    ));
    let record = recorder.clone();
    let options = (request.options.clone())
        .interrupt(interrupt.clone())
        .on_progress(move |outcome, _, _| record.outcome(outcome));
    let report = match plan.apply(client, options).await {
        Ok(report) => report,
        Err(e) => return Cycle::ended("refused", e),
    };
    recorder.rest(&report);
    cycle.done = Some(report.done);
    cycle.status = if report.is_complete() {
        "applied"
    } else if interrupt.is_stopped() {
        "interrupted"
    } else {
        "incomplete"
    };
    if !report.is_complete() {
        cycle.error = Some(format!(
            "{} failed, {} with an unknown outcome, {} not attempted",
            report.failed().count(),
            report.unknown().count(),
            report.not_attempted().count()
        ));
    }
    if let Some(error) = recorder.error() {
        cycle.status = "failed";
        cycle.error = Some(error);
    }
    cycle
}

/// The file and its sources read, and the plan made: nothing written either way.
async fn plan(ui: &Ui, client: &Client, request: &Request) -> Result<Plan, Cycle> {
    let desired = crate::desired(ui, &request.file, &[], &request.sources)
        .await
        .map_err(|Fail(_, message)| Cycle::ended("refused", message))?;
    allowlist::plan_with(
        client,
        &desired,
        request.sources.plan_options(request.reads),
    )
    .await
    .map_err(|e| match e {
        Error::Twilio(e) => Cycle::ended(
            "failed",
            crate::messages::request_failed(&e, crate::messages::SentTo::BaseUrlOption),
        ),
        e => Cycle::ended("refused", e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_cycles_in_a_row_double_the_wait_up_to_eight_times() {
        let minute = Duration::from_secs(60);
        let waits: Vec<u64> = (0..7).map(|f| wait(minute, f).as_secs() / 60).collect();
        assert_eq!(waits, [1, 1, 2, 4, 8, 8, 8]);
    }
}
