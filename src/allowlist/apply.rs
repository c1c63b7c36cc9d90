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
    document::{Plan, StartingState, verify},
    guard::DEFAULT_MAX_REMOVAL_PERCENT,
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
    max_removal_percent: u8,
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
            max_removal_percent: DEFAULT_MAX_REMOVAL_PERCENT,
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
            .field("max_removal_percent", &self.max_removal_percent)
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

    /// The most removals a plan may hold (default 20), of every kind: addresses removed, lists
    /// detached from trunks and unmapped from SIP domains, emptied parts and pruned lists
    /// deleted (and each address a pruned list holds), IP Records and Source IP Mappings
    /// removed. A plan with
    /// more is refused before anything is written.
    pub fn max_removals(mut self, n: usize) -> Self {
        self.max_removals = n;
        self
    }

    /// The largest share of a list's entries (its addresses and attachments, a split list's
    /// parts together) a plan may remove, in percent (default 30, at most 100), for lists that
    /// hold at least [`MIN_ENTRIES_FOR_PERCENT`](super::MIN_ENTRIES_FOR_PERCENT) entries, and
    /// of the `[byoc]` group's (the account's IP Records and Source IP Mappings, together) when
    /// it holds as many; a plan removing more is refused before anything is written.
    pub fn max_removal_percent(mut self, percent: u8) -> Self {
        self.max_removal_percent = percent.min(100);
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

    /// The removal limit per list, in percent.
    pub fn get_max_removal_percent(&self) -> u8 {
        self.max_removal_percent
    }

    /// The write concurrency.
    pub fn get_concurrency(&self) -> usize {
        self.concurrency
    }

    /// How a saved plan's verification reads (for an estate's, which verifies every account
    /// before applying any).
    pub(crate) fn get_read_options(&self) -> ReadOptions {
        self.read
    }

    /// The progress callback (an estate's apply counts across its accounts).
    pub(crate) fn get_progress(&self) -> Option<Arc<ProgressFn>> {
        self.progress.clone()
    }
}

/// What became of one change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ChangeResult {
    /// Done.
    Done,
    /// A removal whose target Twilio no longer has (404): nothing was removed by this plan, and
    /// nothing is left to remove.
    AlreadyAbsent,
    /// Twilio refused it or it could not be sent; nothing was changed by it.
    Failed {
        /// The error.
        error: String,
        /// The HTTP status, if a response came.
        http_status: Option<u16>,
        /// Twilio's error code, if it sent one.
        code: Option<i64>,
        /// Twilio's id of the request (its `Twilio-Request-Id` header), for a support ticket.
        #[serde(skip_serializing_if = "Option::is_none")]
        request_id: Option<String>,
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

impl ChangeResult {
    /// Whether the live state is now as the change wanted: done, or already absent.
    pub fn is_success(&self) -> bool {
        matches!(self, ChangeResult::Done | ChangeResult::AlreadyAbsent)
    }
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
    /// Twilio's request id (`Twilio-Request-Id`) of the answer, when it was done and the answer
    /// carried one (a failure carries its own in [`ChangeResult::Failed`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl fmt::Display for ChangeOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.result {
            ChangeResult::Done => write!(f, "done: {}", self.change),
            ChangeResult::AlreadyAbsent => write!(
                f,
                "already absent: {} (Twilio no longer had it; nothing removed)",
                self.change
            ),
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

    /// Whether every change was done (or, for a removal, found already absent).
    pub fn is_complete(&self) -> bool {
        self.outcomes.iter().all(|o| o.result.is_success())
    }

    /// The removals whose target Twilio no longer had (404): not done by this apply.
    pub fn already_absent(&self) -> impl Iterator<Item = &ChangeOutcome> {
        self.outcomes
            .iter()
            .filter(|o| o.result == ChangeResult::AlreadyAbsent)
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

/// `Apply complete: 3 added, 1 changed, 2 removed.`, or what is left and why. Removals found
/// already absent are counted apart and listed.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut done = format!(
            "{} added, {} changed, {} removed",
            self.done.add, self.done.change, self.done.remove
        );
        let absent = self.already_absent().count();
        if absent > 0 {
            done.push_str(&format!(", {absent} already absent"));
        }
        if self.is_complete() {
            writeln!(f, "Apply complete: {done}.")?;
            for outcome in self.already_absent() {
                writeln!(f, "  {outcome}")?;
            }
            return Ok(());
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
            .filter(|o| o.result != ChangeResult::Done)
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
        let trunk = <crate::sid::kind::Trunk as crate::sid::SidKind>::PREFIX;
        let trunks = (self.starting_state().sids().into_iter())
            .chain(self.changes().iter().flat_map(Change::sids))
            .any(|sid| sid.starts_with(trunk));
        super::reachable(client, trunks, byoc)?;
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
        match self
            .starting_state()
            .difference(&now)
            .or_else(|| verify::targets(self.changes(), &live))
        {
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
        // Each change's result, the SID it created and the request id of its answer.
        let mut outcomes: Vec<Option<Outcome>> = vec![None; total];
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
                    let (result, sid, request_id) = match sent {
                        Ok(sent) => {
                            let sid = sent.created.as_ref().map(|made| made.sid.clone());
                            created.extend(sent.created);
                            (ChangeResult::Done, sid, sent.request_id)
                        }
                        Err(error) => (classify(change, &error), None, None),
                    };
                    halted |= !result.is_success();
                    finished += 1;
                    let outcome = ChangeOutcome {
                        change: change.clone(),
                        result,
                        sid,
                        request_id,
                    };
                    if let Some(progress) = &options.progress {
                        progress(&outcome, finished, total);
                    }
                    outcomes[i] = Some((outcome.result, outcome.sid, outcome.request_id));
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
                    let (result, sid, request_id) =
                        outcome.unwrap_or((ChangeResult::NotAttempted, None, None));
                    ChangeOutcome {
                        change: change.clone(),
                        result,
                        sid,
                        request_id,
                    }
                })
                .collect(),
        ))
    }
}

/// What became of one change: its result, the SID it created, its answer's request id.
type Outcome = (ChangeResult, Option<String>, Option<String>);

/// Whether an error leaves the change failed or of unknown outcome.
fn classify(change: &Change, error: &crate::Error) -> ChangeResult {
    let removal = change.is_removal();
    match error {
        // Gone already: what the removal wanted, but not its doing.
        e if removal && e.is_not_found() => ChangeResult::AlreadyAbsent,
        // Sent (the retry policy resends what never left), but no answer.
        e if e.outcome_unknown() => ChangeResult::Unknown {
            error: e.to_string(),
        },
        e => ChangeResult::Failed {
            error: e.to_string(),
            http_status: e.status(),
            code: e.code(),
            request_id: e.request_id().map(str::to_owned),
        },
    }
}
