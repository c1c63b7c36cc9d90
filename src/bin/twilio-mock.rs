//! `twilio-mock`: the crate's Twilio emulator as a standalone server, for trying the API with
//! curl or any Twilio client pointed at it.

use std::{net::SocketAddr, process::ExitCode};

use twilio_ip_access::{
    mock::{MockConfig, MockTwilio},
    sid::AccountSid,
};

const USAGE: &str = "\
Usage: twilio-mock [--listen ADDR] [--account-sid AC…] [--auth-token TOKEN] [--seed] [--help]

Runs an emulator of Twilio's IP access resources (Voice IP Records and Source IP Mappings,
Trunking IP Access Control Lists, SIP IP Access Control Lists with their IP Addresses and
domain mappings, and read-only SIP Domains and Trunks) on one HTTP port.

Options:
  --listen ADDR          address and port to listen on (default 127.0.0.1:4010)
  --account-sid AC…      the account SID to accept (default: a random one)
  --auth-token TOKEN     the auth token to accept (default: a random one)
  --seed                 create a trunk, a SIP domain and an IP access control list (named
                         \"seed …\")
  -h, --help             show this help

Ctrl-C stops the server.";

#[derive(Debug)]
struct Args {
    config: MockConfig,
    seed: bool,
}

/// What the command line asks for.
#[derive(Debug)]
enum Command {
    Run(Args),
    Help,
}

fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut config = MockConfig {
        listen: SocketAddr::from(([127, 0, 0, 1], 4010)),
        ..MockConfig::default()
    };
    let mut seed = false;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        // `--flag value` or `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--seed" if inline.is_none() => seed = true,
            "--listen" => {
                let text = value("--listen")?;
                config.listen = text.parse().map_err(|_| {
                    format!("--listen: `{text}` is not an address and port such as 127.0.0.1:4010")
                })?;
            }
            "--account-sid" => {
                let text = value("--account-sid")?;
                config.account_sid =
                    Some(AccountSid::new(&text).map_err(|e| format!("--account-sid: {e}"))?);
            }
            "--auth-token" => {
                let text = value("--auth-token")?;
                if text.trim().is_empty() || text.chars().any(char::is_control) {
                    return Err(
                        "--auth-token: the token must not be blank or contain control characters"
                            .into(),
                    );
                }
                config.auth_token = Some(text);
            }
            _ => return Err(format!("unknown argument `{arg}`")),
        }
    }
    Ok(Command::Run(Args { config, seed }))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Command::Run(args)) => args,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("twilio-mock: {message}\nRun `twilio-mock --help` for usage.");
            return ExitCode::from(2);
        }
    };
    let listen = args.config.listen;
    let mock = match MockTwilio::start_with(args.config).await {
        Ok(mock) => mock,
        Err(e) => {
            eprintln!("twilio-mock: cannot listen on {listen}: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The credentials are the user's own test credentials: printing them is the point.
    println!("Twilio emulator listening on {}", mock.base_url());
    println!(
        "  base URL:     {}  (voice, trunking and api paths)",
        mock.base_url()
    );
    println!("  account SID:  {}", mock.account_sid());
    println!("  auth token:   {}", mock.auth_token());
    if args.seed {
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
    println!("Press Ctrl-C to stop.");
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("twilio-mock: cannot wait for Ctrl-C ({e}); stopping");
    }
    mock.shutdown().await;
    println!("Stopped.");
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn parses_flags() {
        let Ok(Command::Run(args)) = run(&[]) else {
            panic!("defaults")
        };
        assert_eq!(args.config.listen.to_string(), "127.0.0.1:4010");
        assert!(!args.seed);
        let sid = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        let Ok(Command::Run(args)) = run(&[
            "--listen",
            "0.0.0.0:9000",
            "--account-sid",
            sid,
            "--auth-token=tok",
            "--seed",
        ]) else {
            panic!("all flags")
        };
        assert_eq!(args.config.listen.to_string(), "0.0.0.0:9000");
        assert_eq!(args.config.account_sid.unwrap().as_str(), sid);
        assert_eq!(args.config.auth_token.as_deref(), Some("tok"));
        assert!(args.seed);
        assert!(matches!(run(&["--help"]), Ok(Command::Help)));
    }

    #[test]
    fn rejects_bad_input() {
        assert_eq!(
            run(&["--verbose"]).unwrap_err(),
            "unknown argument `--verbose`"
        );
        assert_eq!(run(&["--listen"]).unwrap_err(), "--listen needs a value");
        assert!(
            run(&["--listen", "localhost"])
                .unwrap_err()
                .contains("not an address")
        );
        assert!(
            run(&["--account-sid", "SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"])
                .unwrap_err()
                .starts_with("--account-sid")
        );
        assert!(run(&["--auth-token", " "]).is_err());
        assert_eq!(
            run(&["--seed=yes"]).unwrap_err(),
            "unknown argument `--seed=yes`"
        );
    }
}
