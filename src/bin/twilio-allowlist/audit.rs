//! JSON lines for machines and auditors: `apply --log FILE` and `watch` write one line per
//! change attempted (and `watch` one per cycle), to a file opened for appending or to standard
//! output.
//!
//! A line is written with one `write` call and flushed, so lines of concurrent writers to one
//! file do not interleave and a crash loses at most the line being written. Credentials never
//! reach it: a line holds the account SID, the change as the plan document writes it (IP
//! addresses included: it is the account owner's own record, as the plan output is), its
//! outcome, the SID it acted on or created, and Twilio's request id when a response carried one.

use std::{
    fs::{File, OpenOptions},
    io::{self, Write},
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use chrono::{SecondsFormat, Utc};
use serde_json::{Map, Value, json};
use twilio_ip_access::allowlist::{Change, ChangeOutcome, Interrupt, Report};

use crate::{FAILED, Fail};

/// Where the lines go.
enum Sink {
    Stdout,
    File { path: PathBuf, file: Mutex<File> },
}

/// A stream of JSON lines about one account.
pub(crate) struct Log {
    sink: Sink,
    account: String,
}

impl Log {
    /// Appends to `path`, creating it (readable by its owner only: it names the account's
    /// addresses) if it does not exist.
    pub(crate) fn append(path: &Path, account: &str) -> Result<Self, Fail> {
        let mut options = OpenOptions::new();
        options.append(true).create(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(path).map_err(|e| {
            Fail(
                FAILED,
                format!("--log: cannot open {} for appending: {e}", path.display()),
            )
        })?;
        Ok(Self {
            sink: Sink::File {
                path: path.to_owned(),
                file: Mutex::new(file),
            },
            account: account.to_owned(),
        })
    }

    /// Writes to standard output.
    pub(crate) fn stdout(account: &str) -> Self {
        Self {
            sink: Sink::Stdout,
            account: account.to_owned(),
        }
    }

    /// Where the lines go, for messages.
    pub(crate) fn describe(&self) -> String {
        match &self.sink {
            Sink::Stdout => "standard output".into(),
            Sink::File { path, .. } => path.display().to_string(),
        }
    }

    /// The line of one change attempted: `time`, `event: "change"`, `account`, `change`,
    /// `sid`, `status` (and `error`, `http_status`, `code`, `request_id` when it failed), plus
    /// `extra` (a watch cycle's number).
    pub(crate) fn change(
        &self,
        outcome: &ChangeOutcome,
        extra: &[(&str, Value)],
    ) -> io::Result<()> {
        let mut fields = match serde_json::to_value(outcome) {
            Ok(Value::Object(fields)) => fields,
            // An outcome is a plain struct: it always serializes to an object.
            _ => Map::new(),
        };
        // The SID created, else the one it acted on (the address, record or mapping it
        // updates or removes, the trunk or domain it detaches from).
        let sid = outcome
            .sid
            .clone()
            .or_else(|| outcome.change.sids().into_iter().next());
        fields.insert("sid".into(), json!(sid));
        self.event("change", fields, extra)
    }

    /// A line of kind `event` with `fields`, stamped with the time and the account.
    pub(crate) fn event(
        &self,
        event: &str,
        mut fields: Map<String, Value>,
        extra: &[(&str, Value)],
    ) -> io::Result<()> {
        fields.insert(
            "time".into(),
            json!(Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)),
        );
        fields.insert("event".into(), json!(event));
        fields.insert("account".into(), json!(self.account));
        for (key, value) in extra {
            fields.insert((*key).into(), value.clone());
        }
        let mut line = Value::Object(fields).to_string();
        line.push('\n');
        match &self.sink {
            Sink::Stdout => {
                let mut out = io::stdout().lock();
                out.write_all(line.as_bytes())?;
                out.flush()
            }
            Sink::File { file, .. } => {
                let mut file = file.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                file.write_all(line.as_bytes())?;
                file.flush()
            }
        }
    }
}

/// Records an apply's changes in a [`Log`] as they finish, then the ones that never reported
/// (not attempted, or abandoned in flight by a second Ctrl-C). A line that cannot be written
/// stops the apply through its [`Interrupt`]: no further change goes unrecorded.
pub(crate) struct Recorder {
    log: Arc<Log>,
    interrupt: Interrupt,
    /// Extra fields of every line (a watch cycle's number).
    extra: Vec<(&'static str, Value)>,
    state: Mutex<Recorded>,
}

#[derive(Default)]
struct Recorded {
    logged: Vec<Change>,
    error: Option<String>,
}

impl Recorder {
    pub(crate) fn new(log: Arc<Log>, interrupt: Interrupt) -> Self {
        Self::with(log, interrupt, Vec::new())
    }

    /// With `extra` fields on every line.
    pub(crate) fn with(
        log: Arc<Log>,
        interrupt: Interrupt,
        extra: Vec<(&'static str, Value)>,
    ) -> Self {
        Self {
            log,
            interrupt,
            extra,
            state: Mutex::default(),
        }
    }

    /// Writes the line of a change that finished.
    pub(crate) fn outcome(&self, outcome: &ChangeOutcome) {
        let written = self.log.change(outcome, &self.extra);
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.logged.push(outcome.change.clone());
        if let Err(e) = written
            && state.error.is_none()
        {
            state.error = Some(format!(
                "cannot write the log {}: {e}; no new change was started",
                self.log.describe()
            ));
            self.interrupt.stop();
        }
    }

    /// Writes the lines of the report's changes that did not finish while it ran.
    pub(crate) fn rest(&self, report: &Report) {
        let missing: Vec<&ChangeOutcome> = {
            let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            report
                .outcomes
                .iter()
                .filter(|o| !state.logged.contains(&o.change))
                .collect()
        };
        for outcome in missing {
            self.outcome(outcome);
        }
    }

    /// Why the log could not be written, if it could not.
    pub(crate) fn error(&self) -> Option<String> {
        (self.state.lock().unwrap_or_else(|p| p.into_inner()))
            .error
            .clone()
    }
}
