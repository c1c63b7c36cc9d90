//! Child processes the tests start (`twilio-mock`, the official libraries' scripts).

#[cfg(feature = "mock")]
use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    sync::mpsc,
};
use std::{
    process::{Child, ExitStatus},
    time::{Duration, Instant},
};

/// How long `twilio-mock` may take to start or stop.
#[cfg(feature = "mock")]
pub const PATIENCE: Duration = Duration::from_secs(30);

/// Waits for `child` to exit; kills it and fails the test if it is still running after
/// `patience` (`what` names it and says what it should have exited on).
pub fn wait_for_exit(child: &mut Child, patience: Duration, what: &str) -> ExitStatus {
    let deadline = Instant::now() + patience;
    loop {
        if let Some(status) = child.try_wait().expect("the child can be waited on") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {patience:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A running `twilio-mock`, killed and reaped if the test ends without stopping it.
#[cfg(feature = "mock")]
pub struct TwilioMock {
    pub child: Child,
    /// What it prints after that, line by line.
    pub lines: mpsc::Receiver<String>,
    /// What it printed up to "Press Ctrl-C to stop.".
    pub printed: Vec<String>,
    /// The address, account SID and auth token it printed.
    pub base_url: String,
    pub account_sid: String,
    pub auth_token: String,
}

#[cfg(feature = "mock")]
impl Drop for TwilioMock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The value after `label` on the first printed line that starts with it (after spaces).
pub fn field(printed: &[String], label: &str) -> String {
    printed
        .iter()
        .find_map(|line| line.trim().strip_prefix(label))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no `{label}` line in {printed:#?}"))
        .to_owned()
}

#[cfg(feature = "mock")]
impl TwilioMock {
    /// Starts `twilio-mock --listen 127.0.0.1:0 ARGS…` and waits until it is ready.
    pub fn start(args: &[&str]) -> TwilioMock {
        let mut child = Command::new(env!("CARGO_BIN_EXE_twilio-mock"))
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("twilio-mock starts");
        let stdout = child.stdout.take().expect("a stdout pipe");
        // A thread reads the lines, so that a server that never prints cannot hang the test.
        let (lines_tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = lines_tx.send(line);
            }
        });
        let deadline = Instant::now() + PATIENCE;
        let mut printed = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) => {
                    let ready = line.starts_with("Press Ctrl-C");
                    printed.push(line);
                    if ready {
                        break;
                    }
                }
                Err(e) => panic!("twilio-mock did not start ({e}); it printed {printed:#?}"),
            }
        }
        TwilioMock {
            base_url: field(&printed, "Twilio emulator listening on"),
            account_sid: field(&printed, "account SID:"),
            auth_token: field(&printed, "auth token:"),
            child,
            lines,
            printed,
        }
    }
}
