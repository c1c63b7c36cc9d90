//! Interrupting an apply from outside (Ctrl-C, SIGTERM): first no new writes, then, if asked
//! again, not waiting for the writes in flight either.

use std::{fmt, sync::Arc};

use tokio::sync::watch;

/// Stops a running [`Plan::apply`](super::Plan::apply) from outside, such as on Ctrl-C; give it
/// with [`ApplyOptions::interrupt`](super::ApplyOptions::interrupt). Clones share one state.
///
/// - After [`stop`](Self::stop), no new write starts. The writes in flight finish and are
///   reported with their outcome; the others are reported as not attempted.
/// - After [`abort`](Self::abort), apply does not wait for the writes in flight either: it
///   returns at once, reporting them as of unknown outcome (each may or may not have been made;
///   the next plan shows which).
///
/// Either way apply returns its [`Report`](super::Report), and since a plan is computed from
/// the live state, planning and applying again converges without duplicates.
///
/// ```
/// use twilio_ip_access::allowlist::{ApplyOptions, Interrupt};
///
/// let interrupt = Interrupt::new();
/// let options = ApplyOptions::default().interrupt(interrupt.clone());
/// assert!(!interrupt.is_stopped());
/// interrupt.stop(); // from a signal handler's task, say
/// assert!(interrupt.is_stopped() && !interrupt.is_aborted());
/// # drop(options);
/// ```
#[derive(Clone)]
pub struct Interrupt(Arc<watch::Sender<Level>>);

/// How far an interrupt has gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Running,
    Stopped,
    Aborted,
}

impl Default for Interrupt {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Interrupt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Interrupt").field(&*self.0.borrow()).finish()
    }
}

impl Interrupt {
    /// An interrupt that has not fired.
    pub fn new() -> Self {
        Self(Arc::new(watch::Sender::new(Level::Running)))
    }

    /// No new write starts; the writes in flight finish.
    pub fn stop(&self) {
        self.raise(Level::Stopped);
    }

    /// As [`stop`](Self::stop), and apply returns without waiting for the writes in flight.
    pub fn abort(&self) {
        self.raise(Level::Aborted);
    }

    /// Whether [`stop`](Self::stop) or [`abort`](Self::abort) was called.
    pub fn is_stopped(&self) -> bool {
        *self.0.borrow() >= Level::Stopped
    }

    /// Whether [`abort`](Self::abort) was called.
    pub fn is_aborted(&self) -> bool {
        *self.0.borrow() >= Level::Aborted
    }

    /// Completes when [`abort`](Self::abort) is called.
    pub(crate) async fn aborted(&self) {
        let mut level = self.0.subscribe();
        // The sender lives as long as `self`, so waiting cannot fail.
        let _ = level.wait_for(|l| *l >= Level::Aborted).await;
    }

    fn raise(&self, to: Level) {
        self.0.send_if_modified(|level| {
            let raised = *level < to;
            if raised {
                *level = to;
            }
            raised
        });
    }
}
