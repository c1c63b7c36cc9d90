//! Applying a plan: the safety checks, the steps in their order with bounded concurrency, and
//! the report of what was done.

use std::{
    fmt,
    pin::pin,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
};

use futures_util::{
    StreamExt,
    future::{self, Either},
    stream,
};
use serde::Serialize;

use super::{
    Error, Result,
    change::{Change, Step, Summary},
    document::{Plan, StartingState},
    interrupt::Interrupt,
    kinds::{Parents, list},
    live::{self, ReadOptions},
};
use crate::Client;

/// The default of [`ApplyOptions::max_removals`].
pub const DEFAULT_MAX_REMOVALS: usize = 20;
/// The default of [`ApplyOptions::concurrency`].
pub const DEFAULT_CONCURRENCY: usize = 4;

/// Called after each change with its outcome, the number of changes finished so far and the
/// total.
pub type ProgressFn = dyn Fn(&ChangeOutcome, usize, usize) + Send + Sync;

/// How [`Plan::apply`] runs.
///
/// ```
/// use twilio_ip_access::allowlist::ApplyOptions;
///
/// let options = ApplyOptions::default().max_removals(50).concurrency(8);
/// assert_eq!((options.get_max_removals(), options.get_concurrency()), (50, 8));
/// assert!(!options.get_allow_empty());
/// ```
#[derive(Clone)]
pub struct ApplyOptions {
    allow_empty: bool,
    max_removals: usize,
    concurrency: usize,
    read: ReadOptions,
    progress: Option<Arc<ProgressFn>>,
    interrupt: Option<Interrupt>,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self {
            allow_empty: false,
            max_removals: DEFAULT_MAX_REMOVALS,
            concurrency: DEFAULT_CONCURRENCY,
            read: ReadOptions::default(),
            progress: None,
            interrupt: None,
        }
    }
}

impl fmt::Debug for ApplyOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApplyOptions")
            .field("allow_empty", &self.allow_empty)
            .field("max_removals", &self.max_removals)
            .field("concurrency", &self.concurrency)
            .field("read", &self.read)
            .field("progress", &self.progress.as_ref().map(|_| "callback"))
            .field("interrupt", &self.interrupt)
            .finish()
    }
}

impl ApplyOptions {
    /// Allows leaving a list that is attached to a trunk or SIP domain with no addresses
    /// (default: refused, since such a list lets no one in).
    pub fn allow_empty(mut self, allow: bool) -> Self {
        self.allow_empty = allow;
        self
    }

    /// The most removals of addresses and IP Records a plan may hold (default 20); a plan with
    /// more is refused before anything is written.
    pub fn max_removals(mut self, n: usize) -> Self {
        self.max_removals = n;
        self
    }

    /// How many writes run at once within a step (default 4, at least 1).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// How a saved plan's verification reads the live state.
    pub fn read_options(mut self, read: ReadOptions) -> Self {
        self.read = read;
        self
    }

    /// Calls `f` after each change with its outcome, the number finished and the total.
    pub fn on_progress(
        mut self,
        f: impl Fn(&ChangeOutcome, usize, usize) + Send + Sync + 'static,
    ) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// Lets `interrupt` stop the apply from outside (on Ctrl-C, say): see [`Interrupt`].
    pub fn interrupt(mut self, interrupt: Interrupt) -> Self {
        self.interrupt = Some(interrupt);
        self
    }

    /// Whether empty attached lists are allowed.
    pub fn get_allow_empty(&self) -> bool {
        self.allow_empty
    }

    /// The removal limit.
    pub fn get_max_removals(&self) -> usize {
        self.max_removals
    }

    /// The write concurrency.
    pub fn get_concurrency(&self) -> usize {
        self.concurrency
    }
}

/// What became of one change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ChangeResult {
    /// Done (for a removal or detach, also when it was already gone: 404).
    Done,
    /// Twilio refused it or it could not be sent; nothing was changed by it.
    Failed {
        /// The error.
        error: String,
        /// The HTTP status, if a response came.
        http_status: Option<u16>,
        /// Twilio's error code, if it sent one.
        code: Option<i64>,
    },
    /// Sent, but no answer came (a timeout or a connection lost after sending): it may or may not
    /// have been made. It is not sent again; the next plan shows whether it landed.
    Unknown {
        /// The error.
        error: String,
    },
    /// Not sent, because an earlier step did not finish (see [`Plan::apply`]).
    NotAttempted,
}

/// One change and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeOutcome {
    /// The change.
    pub change: Change,
    /// What became of it.
    #[serde(flatten)]
    pub result: ChangeResult,
    /// The SID of what it created (a list, an address), when it was done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

impl fmt::Display for ChangeOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.result {
            ChangeResult::Done => write!(f, "done: {}", self.change),
            ChangeResult::Failed { error, .. } => write!(f, "failed: {}: {error}", self.change),
            ChangeResult::Unknown { error } => write!(
                f,
                "unknown outcome: {}: {error} (not sent again; the next plan shows whether it was made)",
                self.change
            ),
            ChangeResult::NotAttempted => write!(f, "not attempted: {}", self.change),
        }
    }
}

/// What [`Plan::apply`] did: every change of the plan, in the plan's order, with its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Every change with its outcome.
    pub outcomes: Vec<ChangeOutcome>,
    /// Lists, adds and attaches; renames; removals and detaches that were done.
    pub done: Summary,
}

impl Report {
    fn with(outcomes: Vec<ChangeOutcome>) -> Self {
        let done = Summary::of(
            outcomes
                .iter()
                .filter(|o| o.result == ChangeResult::Done)
                .map(|o| &o.change),
        );
        Self { outcomes, done }
    }

    /// Whether every change was done.
    pub fn is_complete(&self) -> bool {
        self.outcomes.iter().all(|o| o.result == ChangeResult::Done)
    }

    /// The changes that failed.
    pub fn failed(&self) -> impl Iterator<Item = &ChangeOutcome> {
        self.outcomes
            .iter()
            .filter(|o| matches!(o.result, ChangeResult::Failed { .. }))
    }

    /// The changes whose outcome is unknown.
    pub fn unknown(&self) -> impl Iterator<Item = &ChangeOutcome> {
        self.outcomes
            .iter()
            .filter(|o| matches!(o.result, ChangeResult::Unknown { .. }))
    }

    /// The changes not attempted.
    pub fn not_attempted(&self) -> impl Iterator<Item = &ChangeOutcome> {
        self.outcomes
            .iter()
            .filter(|o| o.result == ChangeResult::NotAttempted)
    }
}

/// `Apply complete: 3 added, 1 changed, 2 removed.`, or what is left and why.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let done = format!(
            "{} added, {} changed, {} removed",
            self.done.add, self.done.change, self.done.remove
        );
        if self.is_complete() {
            return writeln!(f, "Apply complete: {done}.");
        }
        writeln!(
            f,
            "Apply incomplete: {done}; {} failed, {} with an unknown outcome, {} not attempted.",
            self.failed().count(),
            self.unknown().count(),
            self.not_attempted().count()
        )?;
        for outcome in self
            .outcomes
            .iter()
            .filter(|o| !matches!(o.result, ChangeResult::Done))
        {
            writeln!(f, "  {outcome}")?;
        }
        writeln!(
            f,
            "Nothing desired was removed. Plan again to see what is left; applying again converges."
        )
    }
}

impl Plan {
    /// The safety checks [`apply`](Self::apply) makes before writing anything.
    ///
    /// # Errors
    ///
    /// [`Error::Refused`] when the plan removes more than `max_removals` addresses and IP
    /// Records, or (without
    /// `allow_empty`) would leave a list that is attached to a trunk or SIP domain with no
    /// addresses, by removing its last ones or by attaching an empty list.
    pub fn check(&self, options: &ApplyOptions) -> Result<()> {
        // Entries of the allowlist: addresses, and IP Records (whose mappings go with them).
        let removals = self
            .changes()
            .iter()
            .filter(|c| matches!(c.step(), Step::RemoveAddress | Step::RemoveIpRecord))
            .count();
        if removals > options.max_removals {
            let records = self
                .changes()
                .iter()
                .filter(|c| c.step() == Step::RemoveIpRecord)
                .count();
            let what = if records == 0 {
                "addresses"
            } else {
                "addresses and IP Records"
            };
            return Err(Error::Refused {
                reason: format!(
                    "the plan removes {removals} {what}, more than the limit of {} (raise it with `--max-removals {removals}` or `ApplyOptions::max_removals`)",
                    options.max_removals
                ),
            });
        }
        if options.allow_empty {
            return Ok(());
        }
        for state in &self.starting_state().lists {
            let count = |step: Step| {
                self.changes()
                    .iter()
                    .filter(|c| c.list() == Some(&state.name) && c.step() == step)
                    .count()
            };
            let addresses =
                state.addresses.len() + count(Step::AddAddress) - count(Step::RemoveAddress);
            let attached = state.trunks.len() + state.sip_domains.len() + count(Step::Attach)
                - count(Step::Detach);
            let makes_it = count(Step::RemoveAddress) + count(Step::Attach) > 0;
            if addresses == 0 && attached > 0 && makes_it {
                return Err(Error::Refused {
                    reason: format!(
                        "list {:?} would be attached to {attached} trunk(s) or SIP domain(s) with no addresses, which lets no one in; pass `--allow-empty` (`ApplyOptions::allow_empty`) if that is what you want",
                        state.name
                    ),
                });
            }
        }
        Ok(())
    }

    /// Checks a saved plan's starting state against the live state (the same reads as a plan,
    /// at the default [`ReadOptions`]).
    ///
    /// # Errors
    ///
    /// [`Error::Stale`] when anything differs; a request's error otherwise.
    pub async fn verify(&self, client: &Client) -> Result<()> {
        self.verify_with(client, ReadOptions::default()).await
    }

    /// [`verify`](Self::verify), reading as `options` says.
    ///
    /// # Errors
    ///
    /// As [`verify`](Self::verify).
    pub async fn verify_with(&self, client: &Client, options: ReadOptions) -> Result<()> {
        let names: Vec<String> = self.lists().iter().map(|l| l.name.clone()).collect();
        let wanted = |name: &str| names.iter().any(|n| n == name);
        let byoc = self.starting_state().byoc.is_some();
        let live = live::read(client, Some(&wanted), byoc, options).await?;
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let now = match StartingState::of(&live, &refs) {
            Ok(now) => now,
            Err((name, sids)) => {
                return Err(Error::Stale {
                    reason: format!("{} lists are now named {name:?}", sids.len()),
                });
            }
        };
        match self.starting_state().difference(&now) {
            Some(reason) => Err(Error::Stale { reason }),
            None => Ok(()),
        }
    }

    /// Applies the plan: [`check`](Self::check)s it, [`verify`](Self::verify)s a saved plan
    /// against the live state, then sends exactly one request per change, in [`Step`]s:
    /// create lists, add addresses, create IP Records, rename, map records, attach, then
    /// detach, unmap, remove and delete. A desired address, record or mapping is never missing
    /// along the way: on failure the allowlist is at worst wider than desired, never narrower.
    ///
    /// Within a step, up to [`concurrency`](ApplyOptions::concurrency) changes run at once;
    /// steps run in order, and when any change of a step fails or has an unknown outcome, the
    /// later steps are not attempted. Rate limiting (429, `Retry-After`) and retries are the
    /// client's [`RetryPolicy`](crate::RetryPolicy)'s: a create whose answer was lost is never
    /// sent twice, and is reported as [`ChangeResult::Unknown`]. Planning and applying again
    /// after any failure converges without duplicates, since a plan is computed from the live
    /// state.
    ///
    /// # Errors
    ///
    /// [`Error::Refused`] or [`Error::Stale`] before anything is written, or a read's error while
    /// verifying. The failures of single changes are in the [`Report`], not errors.
    pub async fn apply(&self, client: &Client, options: ApplyOptions) -> Result<Report> {
        self.check(&options)?;
        if self.is_saved() {
            self.verify_with(client, options.read).await?;
        }
        let mut parents = Parents::default();
        for l in self.lists() {
            if let Some(sid) = &l.sid {
                parents.insert(list::key(&l.name), sid.to_string());
            }
        }
        let total = self.changes().len();
        let mut outcomes: Vec<Option<(ChangeResult, Option<String>)>> = vec![None; total];
        let mut finished = 0;
        let mut halted = false;
        let interrupt = options.interrupt.as_ref();
        let stopped = || interrupt.is_some_and(Interrupt::is_stopped);
        for &step in Step::ALL {
            // Later steps rely on this one: after a failure or an interrupt, none start.
            halted |= stopped();
            if halted {
                continue;
            }
            let indices: Vec<usize> = (0..total)
                .filter(|&i| self.changes()[i].step() == step)
                .collect();
            // Which writes were sent, to tell the ones in flight from those never started.
            let started: Vec<AtomicBool> = (0..total).map(|_| AtomicBool::new(false)).collect();
            let mut created = Vec::new();
            {
                let (parents, started) = (&parents, &started);
                let mut running = stream::iter(indices)
                    .map(|i| async move {
                        if stopped() {
                            return (i, None);
                        }
                        started[i].store(true, Ordering::Relaxed);
                        (i, Some(self.changes()[i].send(client, parents).await))
                    })
                    .buffer_unordered(options.concurrency);
                let mut aborted = pin!(async {
                    match interrupt {
                        Some(interrupt) => interrupt.aborted().await,
                        None => future::pending().await,
                    }
                });
                loop {
                    let (i, sent) = match future::select(running.next(), aborted.as_mut()).await {
                        Either::Left((Some(next), _)) => next,
                        Either::Left((None, _)) => break,
                        Either::Right(_) => {
                            // Dropping `running` abandons the writes in flight.
                            halted = true;
                            for (i, outcome) in outcomes.iter_mut().enumerate() {
                                if outcome.is_none() && started[i].load(Ordering::Relaxed) {
                                    *outcome = Some((
                                        ChangeResult::Unknown {
                                            error: "interrupted while in flight".into(),
                                        },
                                        None,
                                    ));
                                }
                            }
                            break;
                        }
                    };
                    let Some(sent) = sent else {
                        // Not started: the apply was stopped.
                        halted = true;
                        continue;
                    };
                    let change = &self.changes()[i];
                    let (result, sid) = match sent {
                        Ok(Some(made)) => {
                            let sid = made.sid.clone();
                            created.push(made);
                            (ChangeResult::Done, Some(sid))
                        }
                        Ok(None) => (ChangeResult::Done, None),
                        Err(error) => (classify(change, &error), None),
                    };
                    halted |= result != ChangeResult::Done;
                    finished += 1;
                    let outcome = ChangeOutcome {
                        change: change.clone(),
                        result,
                        sid,
                    };
                    if let Some(progress) = &options.progress {
                        progress(&outcome, finished, total);
                    }
                    outcomes[i] = Some((outcome.result, outcome.sid));
                }
            }
            for made in created {
                if let Some(key) = made.key {
                    parents.insert(key, made.sid);
                }
            }
        }
        Ok(Report::with(
            self.changes()
                .iter()
                .zip(outcomes)
                .map(|(change, outcome)| {
                    let (result, sid) = outcome.unwrap_or((ChangeResult::NotAttempted, None));
                    ChangeOutcome {
                        change: change.clone(),
                        result,
                        sid,
                    }
                })
                .collect(),
        ))
    }
}

/// Whether an error leaves the change failed or of unknown outcome.
fn classify(change: &Change, error: &crate::Error) -> ChangeResult {
    let removal = change.is_removal();
    match error {
        // Gone already: what the removal wanted.
        e if removal && e.is_not_found() => ChangeResult::Done,
        // Sent (the retry policy resends what never left), but no answer.
        e if e.outcome_unknown() => ChangeResult::Unknown {
            error: e.to_string(),
        },
        e => ChangeResult::Failed {
            error: e.to_string(),
            http_status: e.status(),
            code: e.code(),
        },
    }
}
