//! `twilio-mock`: the crate's Twilio emulator as a standalone server, for trying the API with
//! curl or any Twilio client pointed at it.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode, time::Duration};

use clap::Parser;
use twilio_ip_access::{
    mock::{Fault, MockConfig, MockTwilio},
    sid::AccountSid,
};

/// Runs an emulator of Twilio's IP access resources (Voice IP Records and Source IP Mappings,
/// Trunking IP Access Control Lists, SIP IP Access Control Lists with their IP Addresses and
/// domain mappings, and read-only SIP Domains and Trunks) on one HTTP port.
///
/// Point a Twilio client's voice, trunking and api base URLs at the address it prints, with the
/// account SID and auth token it prints. Ctrl-C or SIGTERM stops the server (and saves the
/// --state file).
#[derive(Debug, Parser)]
#[command(name = "twilio-mock", version)]
struct Args {
    /// Address and port to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:4010")]
    listen: SocketAddr,

    /// The account SID to accept [default: a random one].
    #[arg(long, value_name = "AC…", value_parser = account_sid)]
    account_sid: Option<AccountSid>,

    /// The auth token to accept [default: a random one].
    #[arg(long, value_name = "TOKEN", value_parser = auth_token)]
    auth_token: Option<String>,

    /// Create a trunk, a SIP domain and an IP access control list (named "seed …"), unless
    /// the --state file exists.
    #[arg(long)]
    seed: bool,

    /// Answer every request this many milliseconds late.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency: u64,

    /// Answer the next TIMES (default 1) requests whose method is METHOD (`*` for any) and whose
    /// path starts with PATH_PREFIX with HTTP status STATUS and Twilio's error body, before
    /// handling them. Repeatable; the first matching fault applies. Example:
    /// `--fault POST:/v1/IpRecords:429:2`.
    #[arg(long, value_name = "METHOD:PATH_PREFIX:STATUS[:TIMES]")]
    fault: Vec<Fault>,

    /// Start from this JSON file when it exists, and write everything to it (atomically) when
    /// stopped by Ctrl-C or SIGTERM.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
}

fn account_sid(text: &str) -> Result<AccountSid, String> {
    AccountSid::new(text).map_err(|e| e.to_string())
}

fn auth_token(text: &str) -> Result<String, String> {
    if text.trim().is_empty() || text.chars().any(char::is_control) {
        return Err("the token must not be blank or contain control characters".into());
    }
    Ok(text.to_owned())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let loaded = args.state.as_ref().filter(|path| path.exists());
    let config = MockConfig {
        listen: args.listen,
        account_sid: args.account_sid,
        auth_token: args.auth_token,
        latency: Duration::from_millis(args.latency),
        state: args.state.clone(),
    };
    let mock = match MockTwilio::start_with(config).await {
        Ok(mock) => mock,
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            eprintln!("twilio-mock: {e}");
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("twilio-mock: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    for fault in args.fault {
        mock.inject(fault);
    }
    // The credentials are the user's own test credentials: printing them is the point.
    println!("Twilio emulator listening on {}", mock.base_url());
    println!(
        "  base URL:     {}  (voice, trunking and api paths)",
        mock.base_url()
    );
    println!("  account SID:  {}", mock.account_sid());
    println!("  auth token:   {}", mock.auth_token());
    if let Some(path) = loaded {
        println!("Loaded the state file {}", path.display());
    }
    if args.seed && loaded.is_none() {
        println!("Seeded resources (account {}):", mock.account_sid());
        println!(
            "  trunk:                    {}  (friendly name \"seed trunk\", seed.pstn.twilio.com)",
            mock.create_trunk_named("seed trunk", "seed.pstn.twilio.com")
        );
        println!(
            "  SIP domain:               {}  (seed.sip.twilio.com, friendly name \"seed domain\")",
            mock.create_sip_domain_named("seed.sip.twilio.com", "seed domain")
        );
        println!(
            "  IP access control list:   {}  (friendly name \"seed\")",
            mock.create_ip_access_control_list("seed")
        );
    }
    println!(
        "In another shell, for clients that read the environment (twilio-allowlist --base-url …):"
    );
    println!("  export TWILIO_ACCOUNT_SID={}", mock.account_sid());
    println!("  export TWILIO_AUTH_TOKEN={}", mock.auth_token());
    println!("Press Ctrl-C to stop.");
    stop_signal().await;
    match &args.state {
        None => mock.shutdown().await,
        Some(path) => {
            if let Err(e) = mock.shutdown_and_save(path).await {
                eprintln!("twilio-mock: {e}");
                return ExitCode::FAILURE;
            }
            println!("Saved the state file {}", path.display());
        }
    }
    println!("Stopped.");
    ExitCode::SUCCESS
}

/// Waits for Ctrl-C (SIGINT) or, on Unix, SIGTERM (what CI runners and `docker stop` send).
async fn stop_signal() {
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            Err(e) => {
                eprintln!("twilio-mock: cannot wait for SIGTERM ({e}); Ctrl-C still stops");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        stopped = tokio::signal::ctrl_c() => {
            if let Err(e) = stopped {
                eprintln!("twilio-mock: cannot wait for Ctrl-C ({e}); stopping");
            }
        }
        () = terminate => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Args, clap::Error> {
        Args::try_parse_from(std::iter::once("twilio-mock").chain(args.iter().copied()))
    }

    #[test]
    fn parses_flags() {
        let args = run(&[]).unwrap();
        assert_eq!(args.listen.to_string(), "127.0.0.1:4010");
        assert!(!args.seed && args.account_sid.is_none() && args.auth_token.is_none());
        let sid = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        let args = run(&[
            "--listen",
            "0.0.0.0:9000",
            "--account-sid",
            sid,
            "--auth-token=tok",
            "--seed",
        ])
        .unwrap();
        assert_eq!(args.listen.to_string(), "0.0.0.0:9000");
        assert_eq!(args.account_sid.unwrap().as_str(), sid);
        assert_eq!(args.auth_token.as_deref(), Some("tok"));
        assert!(args.seed);
        let help = run(&["--help"]).unwrap_err();
        assert_eq!(help.kind(), clap::error::ErrorKind::DisplayHelp);
        let text = help.to_string();
        for option in [
            "--listen <ADDR>",
            "--account-sid <AC…>",
            "--auth-token <TOKEN>",
            "--seed",
            "[default: 127.0.0.1:4010]",
            "--latency <MS>",
            "--fault <METHOD:PATH_PREFIX:STATUS[:TIMES]>",
            "--state <FILE>",
        ] {
            assert!(text.contains(option), "{option} in\n{text}");
        }
    }

    #[test]
    fn rejects_bad_input() {
        let kind = |args: &[&str]| run(args).unwrap_err().kind();
        use clap::error::ErrorKind;
        assert_eq!(kind(&["--verbose"]), ErrorKind::UnknownArgument);
        assert_eq!(kind(&["--listen"]), ErrorKind::InvalidValue);
        assert_eq!(kind(&["--listen", "localhost"]), ErrorKind::ValueValidation);
        let err = run(&["--account-sid", "SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ValueValidation);
        assert!(
            err.to_string().contains("an Account SID starts with `AC`"),
            "{err}"
        );
        assert_eq!(kind(&["--auth-token", " "]), ErrorKind::ValueValidation);
        assert_eq!(kind(&["--seed=yes"]), ErrorKind::TooManyValues);
        assert_eq!(kind(&["--latency", "0.5"]), ErrorKind::ValueValidation);
        let err = run(&["--fault", "GET:/v1:503", "--fault", "GET:/v1:700"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ValueValidation);
        let text = err.to_string();
        assert!(
            text.contains("'GET:/v1:700' for '--fault <METHOD:PATH_PREFIX:STATUS[:TIMES]>'")
                && text.contains("STATUS `700` is not an HTTP error status (400 to 599)"),
            "{text}"
        );
    }

    #[test]
    fn parses_the_emulator_flags() {
        let args = run(&[
            "--latency",
            "250",
            "--fault",
            "post:/v1/IpRecords:429:2",
            "--fault=*:/2010-04-01:500",
            "--state",
            "ci/state.json",
        ])
        .unwrap();
        assert_eq!(args.latency, 250);
        assert_eq!(
            args.fault,
            [
                Fault::on("POST", "/v1/IpRecords").status(429).times(2),
                Fault::on("*", "/2010-04-01").status(500),
            ]
        );
        assert_eq!(args.state, Some(PathBuf::from("ci/state.json")));
    }
}
