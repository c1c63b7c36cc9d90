//! `twilio-allowlist`: keeps Twilio IP access control lists equal to a desired-state file, a
//! thin command line over [`twilio_ip_access::allowlist`].

use std::{
    fs,
    io::{self, BufRead, IsTerminal, Write},
    path::{Path, PathBuf},
    process::ExitCode,
};

use clap::{Parser, Subcommand, error::ErrorKind};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use twilio_ip_access::{
    Client, ClientBuilder,
    allowlist::{
        self, ApplyOptions, ChangeResult, DEFAULT_CONCURRENCY, DEFAULT_MAX_REMOVALS,
        DEFAULT_READ_CONCURRENCY, Desired, Error, ExportOptions, Plan, ReadOptions, SourceOptions,
    },
};

/// Nothing to change, or done.
const OK: u8 = 0;
/// An error (arguments, file, credentials, a request, a refusal, a change that failed).
const FAILED: u8 = 1;
/// `plan`: changes are pending.
const PENDING: u8 = 2;
/// `apply PLAN.json`: the live state no longer matches the saved plan; nothing was written.
const STALE: u8 = 3;

const ABOUT: &str =
    "Keep Twilio IP access control lists equal to a desired-state file: plan, apply, export.";

const LONG_ABOUT: &str = "\
Keep Twilio IP access control lists equal to a desired-state file.

The file (TOML) names lists by FriendlyName and says exactly which addresses each holds, which
trunks it is attached to and which SIP domains' calls it is mapped to:

    [lists.\"office allowlist\"]
    addresses = [\"198.51.100.7\", \"198.51.100.0/24\", { ip = \"203.0.113.10\", name = \"sbc\" }]
    trunks = [\"my trunk\"]                  # SID (TK…) or FriendlyName
    sip_domains = [\"acme.sip.twilio.com\"]  # SID (SD…) or domain name

Lists the file does not name are never touched. `plan` shows the difference, `apply` makes it
(after asking), `export` writes the live lists as a file.

Addresses can also come from sources, read at each plan and refused (nothing written) when one
fails or gives nothing, unless it says `optional = true`:

    { dns = \"sbc1.example.com\" }          every A record (--nameserver IP:PORT to choose the server)
    { file = \"carrier.txt\" }              one address or range per line, next to the file
    { url = \"https://…\", format = \"json\", path = \"$.prefixes[*].ip_prefix\" }   only with --allow-fetch

Credentials and routing come from the environment, as Twilio's libraries read them:
TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET),
TWILIO_REGION, TWILIO_EDGE. --base-url sends every product to one URL (an emulator, a proxy).

Exit codes: 0 nothing to change or done; 2 changes pending (plan); 3 the saved plan no longer
matches the live state, nothing written (apply); 1 any error.";

const EXAMPLES: &str = "\
Examples:
  twilio-allowlist plan -f allowlist.toml
  twilio-allowlist apply -f allowlist.toml
  twilio-allowlist plan -f allowlist.toml -o plan.json && twilio-allowlist apply plan.json
  twilio-allowlist plan -f allowlist.toml --allow-fetch --nameserver 10.0.0.2:53
  twilio-allowlist export -o allowlist.toml
  twilio-allowlist --base-url http://127.0.0.1:4010 plan -f allowlist.toml   # on twilio-mock";

#[derive(Debug, Parser)]
#[command(
    name = "twilio-allowlist",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = EXAMPLES
)]
struct Args {
    /// Base URL for every Twilio product at once (voice, trunking and api), such as an emulator
    /// or a proxy [default: Twilio's own hosts, after TWILIO_REGION/TWILIO_EDGE routing].
    #[arg(long, global = true, value_name = "URL")]
    base_url: Option<String>,

    /// How many reads of the live state are in flight at once (one per list, trunk and SIP
    /// domain; Twilio answers 429 when an account has too many, and those are retried).
    #[arg(
        long,
        global = true,
        value_name = "N",
        default_value_t = DEFAULT_READ_CONCURRENCY as u16,
        value_parser = clap::value_parser!(u16).range(1..=64)
    )]
    read_concurrency: u16,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show what apply would change (exit 0: nothing, 2: changes pending, 1: error).
    #[command(
        long_about = "Read the live state and show what apply would change, like `terraform plan`: \
                      `+` add, `-` remove, `~` rename, attach and detach lines, and a summary. \
                      Exits 0 when nothing would change, 2 when something would, 1 on error. \
                      Reads only.",
        after_help = "Examples:\n  twilio-allowlist plan -f allowlist.toml\n  twilio-allowlist plan -f allowlist.toml --json\n  twilio-allowlist plan -f allowlist.toml -o plan.json   # then: twilio-allowlist apply plan.json"
    )]
    Plan {
        /// The desired-state file.
        #[arg(short = 'f', long = "file", value_name = "FILE")]
        file: PathBuf,
        /// Print the plan document (JSON, "format_version": 2) instead of the text.
        #[arg(long)]
        json: bool,
        /// Also save the plan document here, for `apply PLAN.json`.
        #[arg(short = 'o', long = "out", value_name = "PLAN.json")]
        out: Option<PathBuf>,
        #[command(flatten)]
        sources: SourceArgs,
    },
    /// Plan (or read a saved plan), show it, ask, and apply it.
    #[command(
        long_about = "Plan from FILE (or read a saved PLAN.json), show the plan, ask for \
                      confirmation on a terminal (--yes skips it; without a terminal it is \
                      required), apply it and print what was done. Writes run in steps (create \
                      lists, add, rename, attach, then detach and remove) so that no desired \
                      address is ever missing. A saved plan is applied only if the live state \
                      still equals the state it was made from; otherwise nothing is written and \
                      the exit code is 3.",
        after_help = "Examples:\n  twilio-allowlist apply -f allowlist.toml\n  twilio-allowlist apply -f allowlist.toml --yes --max-removals 50\n  twilio-allowlist apply plan.json --yes"
    )]
    Apply {
        /// The desired-state file to plan from.
        #[arg(
            short = 'f',
            long = "file",
            value_name = "FILE",
            conflicts_with = "plan",
            required_unless_present = "plan"
        )]
        file: Option<PathBuf>,
        /// A plan saved with `plan -o`.
        #[arg(value_name = "PLAN.json")]
        plan: Option<PathBuf>,
        /// Apply without asking.
        #[arg(long)]
        yes: bool,
        /// Allow leaving a list attached to a trunk or SIP domain with no addresses.
        #[arg(long)]
        allow_empty: bool,
        /// Refuse plans that remove more addresses than this.
        #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_REMOVALS)]
        max_removals: usize,
        /// How many writes run at once.
        #[arg(
            long,
            value_name = "N",
            default_value_t = DEFAULT_CONCURRENCY as u16,
            value_parser = clap::value_parser!(u16).range(1..=64)
        )]
        concurrency: u16,
        /// Print the plan and the report as one JSON document (the plan text goes to stderr).
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        sources: SourceArgs,
    },
    /// Write the live lists as a desired-state file.
    #[command(
        long_about = "Write the live lists (all of them, or those named with --list) as a \
                      desired-state file: `plan` on it shows no changes.",
        after_help = "Examples:\n  twilio-allowlist export -o allowlist.toml\n  twilio-allowlist export --list \"office allowlist\" --list branch"
    )]
    Export {
        /// Write the file here instead of to standard output.
        #[arg(short = 'o', long = "out", value_name = "FILE")]
        out: Option<PathBuf>,
        /// Export only this list (by name); repeat for more.
        #[arg(long = "list", value_name = "NAME")]
        lists: Vec<String>,
    },
    /// Print the JSON Schema of the desired-state file or of the plan document.
    #[command(
        long_about = "Print the JSON Schema (draft 2020-12) of the desired-state file \
                      (`allowlist`) or of the plan document (`plan`), for editors and CI. \
                      Needs no credentials. The same files are in the repository's `schemas/`.",
        after_help = "Examples:\n  twilio-allowlist schema allowlist > allowlist.schema.json\n  twilio-allowlist schema plan > plan.schema.json"
    )]
    Schema {
        /// Which schema.
        #[arg(value_enum)]
        of: SchemaOf,
    },
}

/// How the file's sources (`{ dns = … }`, `{ file = … }`, `{ url = … }`) are read.
#[derive(Debug, clap::Args)]
struct SourceArgs {
    /// Fetch the file's `{ url = … }` feeds (without it, a file that has one is refused).
    #[arg(long)]
    allow_fetch: bool,
    /// Resolve `{ dns = … }` names with this name server instead of the system's configuration;
    /// repeat for more.
    #[arg(long, value_name = "IP:PORT")]
    nameserver: Vec<std::net::SocketAddr>,
}

/// The formats `schema` prints.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum SchemaOf {
    /// The desired-state file (TOML, checked as its JSON equivalent).
    Allowlist,
    /// The plan document (`plan --json`, `plan -o PLAN.json`).
    Plan,
}

/// A failure to report, with its exit code.
struct Fail(u8, String);

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        match e {
            Error::Stale { .. } => Fail(STALE, e.to_string()),
            e => Fail(FAILED, e.to_string()),
        }
    }
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            // clap's own exit code for usage errors is 2, which means "changes pending" here.
            return ExitCode::from(match e.kind() {
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => OK,
                _ => FAILED,
            });
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("Error: cannot start the async runtime: {e}");
            return ExitCode::from(FAILED);
        }
    };
    match runtime.block_on(run(args)) {
        Ok(code) => ExitCode::from(code),
        Err(Fail(code, message)) => {
            eprintln!("Error: {message}");
            ExitCode::from(code)
        }
    }
}

fn client(base_url: Option<&str>) -> Result<Client, Fail> {
    let mut builder = ClientBuilder::from_env();
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    builder.build().map_err(|e| Fail(FAILED, e.to_string()))
}

fn read(path: &Path, what: &str) -> Result<String, Fail> {
    fs::read_to_string(path).map_err(|e| {
        Fail(
            FAILED,
            format!("cannot read the {what} {}: {e}", path.display()),
        )
    })
}

fn write(path: &Path, text: &str) -> Result<(), Fail> {
    fs::write(path, text).map_err(|e| Fail(FAILED, format!("cannot write {}: {e}", path.display())))
}

async fn desired(path: &Path, sources: &SourceArgs) -> Result<Desired, Fail> {
    let text = read(path, "desired-state file")?;
    let options = (sources.nameserver.iter())
        .fold(SourceOptions::default(), |o, s| o.nameserver(*s))
        .allow_fetch(sources.allow_fetch)
        .base_dir(path.parent().unwrap_or(Path::new(".")));
    let desired = Desired::from_toml_with_sources(&text, path.display().to_string(), &options)
        .await
        .map_err(|e| Fail(FAILED, e.to_string()))?;
    for warning in desired.warnings() {
        eprintln!("warning: {}: {warning}", path.display());
    }
    Ok(desired)
}

async fn run(args: Args) -> Result<u8, Fail> {
    let base_url = args.base_url.as_deref();
    let reads = ReadOptions::default().concurrency(args.read_concurrency.into());
    match args.command {
        Command::Schema { of } => {
            let schema = match of {
                SchemaOf::Allowlist => allowlist::allowlist_schema(),
                SchemaOf::Plan => allowlist::plan_schema(),
            };
            let text = serde_json::to_string_pretty(schema.as_value())
                .map_err(|e| Fail(FAILED, e.to_string()))?;
            println!("{text}");
            Ok(OK)
        }
        Command::Plan {
            file,
            json,
            out,
            sources,
        } => {
            let desired = desired(&file, &sources).await?;
            let client = client(base_url)?;
            let plan = allowlist::plan_with(&client, &desired, reads).await?;
            if let Some(out) = &out {
                write(out, &plan.to_json())?;
            }
            if json {
                println!("{}", plan.to_json());
            } else {
                print!("{plan}");
            }
            if let Some(out) = &out {
                eprintln!(
                    "Saved the plan to {0}; apply it with `twilio-allowlist apply {0}`.",
                    out.display()
                );
            }
            Ok(if plan.is_empty() { OK } else { PENDING })
        }
        Command::Apply {
            file,
            plan,
            yes,
            allow_empty,
            max_removals,
            concurrency,
            json,
            sources,
        } => {
            let client = client(base_url)?;
            let plan = match (file, plan) {
                (Some(file), _) => {
                    allowlist::plan_with(&client, &desired(&file, &sources).await?, reads).await?
                }
                (None, Some(path)) => Plan::from_json(&read(&path, "plan")?)?,
                (None, None) => return Err(Fail(FAILED, "give -f FILE or PLAN.json".into())),
            };
            let options = ApplyOptions::default()
                .allow_empty(allow_empty)
                .max_removals(max_removals)
                .concurrency(concurrency.into())
                .read_options(reads);
            apply(&client, plan, yes, options, json).await
        }
        Command::Export { out, lists } => {
            let client = client(base_url)?;
            let options = lists.into_iter().fold(
                ExportOptions::default().read_options(reads),
                ExportOptions::list,
            );
            let desired = allowlist::export(&client, options).await?;
            for note in desired.notes() {
                eprintln!("note: {note}");
            }
            let text = desired.to_toml();
            match out {
                Some(path) => {
                    write(&path, &text)?;
                    eprintln!(
                        "Wrote {} list(s) to {}.",
                        desired.lists().len(),
                        path.display()
                    );
                }
                None => print!("{text}"),
            }
            Ok(OK)
        }
    }
}

async fn apply(
    client: &Client,
    plan: Plan,
    yes: bool,
    options: ApplyOptions,
    json: bool,
) -> Result<u8, Fail> {
    // With --json, standard output carries only the JSON document.
    let show = |text: &str| {
        if json {
            eprint!("{text}");
        } else {
            print!("{text}");
        }
    };
    show(&plan.to_string());
    if plan.is_empty() {
        if json {
            println!("{}", document(&plan, None));
        }
        return Ok(OK);
    }
    plan.check(&options)?;
    if !yes {
        if !(io::stdin().is_terminal() && io::stderr().is_terminal()) {
            return Err(Fail(
                FAILED,
                "apply asks for confirmation, but standard input or standard error is not a terminal: pass --yes to apply without asking".into(),
            ));
        }
        eprint!("\nApply these changes? Only 'yes' is accepted: ");
        let _ = io::stderr().flush();
        let mut answer = String::new();
        if io::stdin().lock().read_line(&mut answer).is_err() || answer.trim() != "yes" {
            return Err(Fail(FAILED, "apply cancelled; nothing was written".into()));
        }
    }
    let total = plan.changes().len() as u64;
    let bar = io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
            bar.set_style(style);
        }
        bar
    });
    let progress = bar.clone();
    let options = options.on_progress(move |outcome, finished, total| match &progress {
        Some(bar) => {
            if outcome.result != ChangeResult::Done {
                bar.println(outcome.to_string());
            }
            bar.set_message(outcome.change.to_string());
            bar.inc(1);
        }
        None => eprintln!("[{finished}/{total}] {outcome}"),
    });
    let applied = plan.apply(client, options).await;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = applied?;
    if json {
        println!("{}", document(&plan, Some(&report)));
    } else {
        print!("\n{report}");
    }
    Ok(if report.is_complete() { OK } else { FAILED })
}

/// `{"format_version": 2, "plan": …, "report": …}`.
fn document(plan: &Plan, report: Option<&allowlist::Report>) -> String {
    let value = serde_json::json!({
        "format_version": allowlist::FORMAT_VERSION,
        "plan": plan,
        "report": report,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, clap::Error> {
        Args::try_parse_from(std::iter::once("twilio-allowlist").chain(args.iter().copied()))
    }

    #[test]
    fn global_options_go_before_or_after_the_command() {
        for args in [
            &[
                "--base-url",
                "http://127.0.0.1:4010",
                "plan",
                "-f",
                "a.toml",
            ][..],
            &[
                "plan",
                "-f",
                "a.toml",
                "--base-url",
                "http://127.0.0.1:4010",
            ][..],
        ] {
            let parsed = parse(args).unwrap();
            assert_eq!(parsed.base_url.as_deref(), Some("http://127.0.0.1:4010"));
            assert!(matches!(parsed.command, Command::Plan { .. }));
        }
    }

    #[test]
    fn apply_takes_a_file_or_a_saved_plan() {
        assert!(matches!(
            parse(&["apply", "-f", "a.toml"]).unwrap().command,
            Command::Apply {
                file: Some(_),
                plan: None,
                concurrency: 4,
                max_removals: 20,
                ..
            }
        ));
        assert!(matches!(
            parse(&["apply", "plan.json", "--yes"]).unwrap().command,
            Command::Apply {
                file: None,
                plan: Some(_),
                yes: true,
                ..
            }
        ));
        assert_eq!(
            parse(&["apply"]).unwrap_err().kind(),
            ErrorKind::MissingRequiredArgument
        );
        assert_eq!(
            parse(&["apply", "-f", "a.toml", "plan.json"])
                .unwrap_err()
                .kind(),
            ErrorKind::ArgumentConflict
        );
        assert_eq!(
            parse(&["apply", "-f", "a", "--concurrency", "0"])
                .unwrap_err()
                .kind(),
            ErrorKind::ValueValidation
        );
    }
}
