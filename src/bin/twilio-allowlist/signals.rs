//! Ctrl-C (SIGINT) and SIGTERM while apply writes: the first stops new writes and lets the
//! ones in flight finish, a second stops waiting for them, a third exits at once.

use std::sync::{
    Arc,
    atomic::{AtomicU8, Ordering},
};

use indicatif::ProgressBar;
use tokio::{sync::Notify, task::JoinHandle};
use twilio_ip_access::allowlist::Interrupt;

/// The exit code after SIGINT (128 + 2), as shells report it.
pub(crate) const INTERRUPTED: u8 = 130;
/// The exit code after SIGTERM (128 + 15).
pub(crate) const TERMINATED: u8 = 143;

/// Turns signals into `interrupt` while it lives.
pub(crate) struct Signals {
    /// The exit code of the first signal received, 0 while none was.
    received: Arc<AtomicU8>,
    /// Woken by the first signal.
    first: Arc<Notify>,
    task: JoinHandle<()>,
}

impl Signals {
    /// Starts listening. `bar` is the progress display the messages must not tear.
    pub(crate) fn listen(interrupt: Interrupt, bar: Option<ProgressBar>) -> std::io::Result<Self> {
        let mut signals = Listener::new()?;
        let received = Arc::new(AtomicU8::new(0));
        let (first, woken) = (received.clone(), Arc::new(Notify::new()));
        let wake = woken.clone();
        let say = move |text: &str| match &bar {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        };
        let task = tokio::spawn(async move {
            let (code, name) = signals.next().await;
            first.store(code, Ordering::SeqCst);
            interrupt.stop();
            wake.notify_one();
            say(&format!(
                "\n{name}: no new write starts; any write in flight finishes first. Press Ctrl-C again to stop waiting."
            ));
            signals.next().await;
            interrupt.abort();
            say("Not waiting for the writes in flight: their outcome is unknown.");
            signals.next().await;
            std::process::exit(code.into());
        });
        Ok(Self {
            received,
            first: woken,
            task,
        })
    }

    /// The exit code of the signal received first, if any.
    pub(crate) fn received(&self) -> Option<u8> {
        match self.received.load(Ordering::SeqCst) {
            0 => None,
            code => Some(code),
        }
    }

    /// Completes when the first signal arrives (at once if it already has).
    pub(crate) async fn first(&self) {
        if self.received().is_none() {
            self.first.notified().await;
        }
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// SIGINT and SIGTERM, registered (from then on they no longer end the process).
struct Listener {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Listener {
    fn new() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    /// The next signal, as (exit code, what to call it).
    async fn next(&mut self) -> (u8, &'static str) {
        #[cfg(unix)]
        {
            use futures_util::future::{Either, select};
            let interrupt = std::pin::pin!(self.interrupt.recv());
            let terminate = std::pin::pin!(self.terminate.recv());
            match select(interrupt, terminate).await {
                Either::Left(_) => (INTERRUPTED, "Interrupted (Ctrl-C)"),
                Either::Right(_) => (TERMINATED, "Terminated (SIGTERM)"),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            (INTERRUPTED, "Interrupted (Ctrl-C)")
        }
    }
}
