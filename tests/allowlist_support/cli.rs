//! Running the `twilio-allowlist` binary against an in-process emulator (127.0.0.1 only),
//! without a terminal or in a pseudo-terminal.

use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, Output, Stdio},
    sync::mpsc,
    time::Duration,
};

use twilio_ip_access::mock::{MockConfig, MockTwilio};

pub const BIN: &str = env!("CARGO_BIN_EXE_twilio-allowlist");

/// An emulator with a trunk ("my trunk") and a SIP domain ("acme.sip.twilio.com"), and a
/// directory for the test's files.
pub struct Cli {
    pub mock: MockTwilio,
    pub dir: PathBuf,
    /// The runtime of an emulator started with a latency (dropped after it).
    _runtime: Option<tokio::runtime::Runtime>,
}

impl Cli {
    pub fn new(test: &str) -> Cli {
        Cli::with(test, MockTwilio::start_blocking(), None)
    }

    /// An emulator that answers every request `latency` late.
    pub fn slow(test: &str, latency: Duration) -> Cli {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let mock = runtime
            .block_on(MockTwilio::start_with(MockConfig {
                latency,
                ..MockConfig::default()
            }))
            .unwrap();
        Cli::with(test, mock, Some(runtime))
    }

    fn with(test: &str, mock: MockTwilio, runtime: Option<tokio::runtime::Runtime>) -> Cli {
        mock.create_trunk_named("my trunk", "my-trunk.pstn.twilio.com");
        mock.create_sip_domain_named("acme.sip.twilio.com", "acme");
        let dir = scratch_dir("cli", test);
        Cli {
            mock,
            dir,
            _runtime: runtime,
        }
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    pub fn file(&self, name: &str, text: &str) -> String {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// The command with the emulator's credentials in a clean environment, `--base-url`
    /// first when `at`.
    pub fn command(&self, args: &[&str], at: bool) -> Command {
        let mut command = Command::new(BIN);
        if at {
            command.args(["--base-url", self.mock.base_url()]);
        }
        command
            .args(args)
            .env_clear()
            .env("TWILIO_ACCOUNT_SID", self.mock.account_sid().as_str())
            .env("TWILIO_AUTH_TOKEN", self.mock.auth_token());
        command
    }

    /// Runs the binary with the emulator's credentials in a clean environment, no terminal.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args, false)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// Runs with `--base-url` first.
    pub fn at(&self, args: &[&str]) -> Output {
        self.command(args, true)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// Runs `f` (another writer's requests, say) to its end.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    /// The emulator's state read back: every list by name, with its addresses.
    pub fn lists(&self) -> std::collections::BTreeMap<String, super::ListSnap> {
        self.block_on(super::snapshot(&self.mock.client()))
    }
}

impl Drop for Cli {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// An empty directory for a test's files (removed by the caller).
pub fn scratch_dir(kind: &str, test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "twilio-allowlist-{kind}-{}-{test}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The lines a running child writes on its standard error (piped), as they come.
pub fn stderr_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let (lines_tx, lines) = mpsc::channel();
    let stderr_pipe = child.stderr.take().expect("standard error piped");
    std::thread::spawn(move || {
        for line in BufReader::new(stderr_pipe).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    lines
}

/// Reads the child's standard error (piped) until a line starts with `prefix`, sends it
/// SIGTERM, and waits for it: its output, and every line it wrote on standard error.
pub fn terminate_after(mut child: Child, prefix: &str) -> (Output, String) {
    let lines = stderr_lines(&mut child);
    let mut printed: Vec<String> = Vec::new();
    while !printed.iter().any(|l| l.starts_with(prefix)) {
        printed.push(lines.recv_timeout(Duration::from_secs(30)).unwrap());
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    printed.extend(lines.iter());
    (out, printed.join("\n"))
}

pub fn code(out: &Output) -> i32 {
    out.status.code().expect("an exit code")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A web server on 127.0.0.1 that is not Twilio's: it answers each of its first 32
/// connections with an HTML 404 page (48 bytes). Its base URL.
pub fn not_twilio() -> String {
    use std::io::{Read, Write};
    let web = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", web.local_addr().unwrap());
    std::thread::spawn(move || {
        for conn in web.incoming().take(32) {
            let Ok(mut conn) = conn else { continue };
            let mut request = [0u8; 4096];
            let _ = conn.read(&mut request);
            let page = "<html><body><h1>404 Not Found</h1></body></html>";
            let _ = write!(
                conn,
                "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
        }
    });
    url
}
