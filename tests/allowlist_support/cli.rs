//! The `twilio-allowlist` binary run against an in-process emulator (127.0.0.1 only), for the
//! command-line tests.

use std::{
    path::PathBuf,
    process::{Command, Output, Stdio},
};

use twilio_ip_access::mock::MockTwilio;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_twilio-allowlist");

/// An emulator with a trunk ("my trunk") and a SIP domain ("acme.sip.twilio.com"), and a
/// directory for the test's files.
pub struct Cli {
    pub mock: MockTwilio,
    pub dir: PathBuf,
}

impl Cli {
    pub fn new(test: &str) -> Cli {
        let mock = MockTwilio::start_blocking();
        mock.create_trunk_named("my trunk", "my-trunk.pstn.twilio.com");
        mock.create_sip_domain_named("acme.sip.twilio.com", "acme");
        let dir = std::env::temp_dir().join(format!(
            "twilio-allowlist-cli-{}-{test}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Cli { mock, dir }
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    pub fn file(&self, name: &str, text: &str) -> String {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Runs the binary with the emulator's credentials in a clean environment, no terminal.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .env_clear()
            .env("TWILIO_ACCOUNT_SID", self.mock.account_sid().as_str())
            .env("TWILIO_AUTH_TOKEN", self.mock.auth_token())
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// Runs with `--base-url` first.
    pub fn at(&self, args: &[&str]) -> Output {
        let mut all = vec!["--base-url", self.mock.base_url()];
        all.extend_from_slice(args);
        self.run(&all)
    }
}

impl Drop for Cli {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The exit code (the process was not killed by a signal).
pub fn code(out: &Output) -> i32 {
    out.status.code().expect("an exit code")
}

/// Standard output as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
