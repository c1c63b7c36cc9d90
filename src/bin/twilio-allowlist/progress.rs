//! Progress on a terminal: a spinner counting the reads while the live state is read, and the
//! library's `tracing` events on standard error with `-v`.
//!
//! The reads are counted from the library's own `twilio_request` spans (one per request sent),
//! so the count is that of the requests made, retries included, with nothing added to the
//! library for it.

use std::{
    io::{self, IsTerminal},
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tracing::{Subscriber, span};
use tracing_subscriber::{
    Layer,
    filter::{LevelFilter, Targets},
    layer::{Context, SubscriberExt},
    registry::Registry,
};

use crate::output::Ui;

/// The name of the span the library opens around each request.
const REQUEST_SPAN: &str = "twilio_request";

/// Requests seen since the spinner started.
static REQUESTS: AtomicU64 = AtomicU64::new(0);
/// The spinner showing them, while one runs.
static SPINNER: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Counts the library's requests for the spinner.
struct CountRequests;

impl<S: Subscriber> Layer<S> for CountRequests {
    fn on_new_span(&self, attrs: &span::Attributes<'_>, _: &span::Id, _: Context<'_, S>) {
        if attrs.metadata().name() != REQUEST_SPAN {
            return;
        }
        let n = REQUESTS.fetch_add(1, Ordering::Relaxed) + 1;
        if let Ok(spinner) = SPINNER.lock()
            && let Some(bar) = spinner.as_ref()
        {
            bar.set_message(format!("{n} read{}", if n == 1 { "" } else { "s" }));
        }
    }
}

/// Installs the subscriber: the request counter when a spinner can show, and the events of
/// this crate's library on standard error (never a secret or an IP address, which the library
/// does not log): its warnings (a request being retried, so that a slow or silent server is
/// never a silent wait), and with `verbose` every request (method, host, path, status, time).
/// `-q` shows neither.
pub(crate) fn install(ui: &Ui, verbose: bool) {
    let count = spinner_wanted(ui).then_some(CountRequests);
    let level = if verbose {
        LevelFilter::DEBUG
    } else {
        LevelFilter::WARN
    };
    let events = (!ui.quiet).then(|| {
        tracing_subscriber::fmt::layer()
            .with_writer(io::stderr)
            .with_ansi(ui.colour_on_stderr())
            .with_target(false)
            .with_filter(
                Targets::new()
                    .with_target("twilio_ip_access", level)
                    .with_default(LevelFilter::OFF),
            )
    });
    if count.is_none() && events.is_none() {
        return;
    }
    let subscriber = Registry::default().with(count).with(events);
    // Only fails when a subscriber is already set, which nothing else here does.
    let _ = tracing::subscriber::set_global_default(subscriber);
}

fn spinner_wanted(ui: &Ui) -> bool {
    !ui.quiet && io::stderr().is_terminal()
}

/// A spinner with the count of reads, on a terminal only; cleared when dropped.
pub(crate) struct Spinner(Option<ProgressBar>);

impl Spinner {
    pub(crate) fn start(ui: &Ui, what: &str) -> Spinner {
        if !spinner_wanted(ui) {
            return Spinner(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if bar.is_hidden() {
            // TERM unset or dumb: indicatif draws nothing there.
            return Spinner(None);
        }
        if let Ok(style) = ProgressStyle::with_template("{spinner} {prefix} {msg}") {
            bar.set_style(style);
        }
        bar.set_prefix(what.to_owned());
        REQUESTS.store(0, Ordering::Relaxed);
        bar.set_message("0 reads");
        bar.enable_steady_tick(Duration::from_millis(100));
        if let Ok(mut spinner) = SPINNER.lock() {
            *spinner = Some(bar.clone());
        }
        Spinner(Some(bar))
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(bar) = self.0.take() {
            if let Ok(mut spinner) = SPINNER.lock() {
                *spinner = None;
            }
            bar.finish_and_clear();
        }
    }
}

/// The progress bar of the writes on a terminal (`None` elsewhere, or with `-q`).
pub(crate) fn write_bar(ui: &Ui, total: u64) -> Option<ProgressBar> {
    if !spinner_wanted(ui) {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if bar.is_hidden() {
        // TERM unset or dumb: one line per change instead.
        return None;
    }
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
        bar.set_style(style);
    }
    Some(bar)
}
