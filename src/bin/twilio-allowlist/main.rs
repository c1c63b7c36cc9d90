//! `twilio-allowlist`: keeps Twilio IP access control lists equal to a desired-state file, a
//! thin command line over [`twilio_ip_access::allowlist`].
//!
//! `args` is the command line, `apply` the confirmation and the writes; this file runs the
//! commands and owns the exit codes.

mod apply;
mod args;

use std::{
    fs,
    path::Path,
    process::ExitCode,
};

use clap::{Parser, error::ErrorKind};
use twilio_ip_access::{
    Client, ClientBuilder,
    allowlist::{self, ApplyOptions, Desired, Error, ExportOptions, Plan, ReadOptions},
};

use args::{Args, Command, SchemaOf};

/// Nothing to change, or done.
pub(crate) const OK: u8 = 0;
/// An error (arguments, file, credentials, a request, a refusal, a change that failed).
pub(crate) const FAILED: u8 = 1;
/// `plan`: changes are pending.
const PENDING: u8 = 2;
/// `apply PLAN.json`: the live state no longer matches the saved plan; nothing was written.
const STALE: u8 = 3;

/// A failure to report, with its exit code.
pub(crate) struct Fail(pub(crate) u8, pub(crate) String);

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

fn desired(path: &Path) -> Result<Desired, Fail> {
    let text = read(path, "desired-state file")?;
    let desired = Desired::from_toml(&text, path.display().to_string())
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
        Command::Plan { file, json, out } => {
            let desired = desired(&file)?;
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
        } => {
            let client = client(base_url)?;
            let plan = match (file, plan) {
                (Some(file), _) => allowlist::plan_with(&client, &desired(&file)?, reads).await?,
                (None, Some(path)) => Plan::from_json(&read(&path, "plan")?)?,
                (None, None) => return Err(Fail(FAILED, "give -f FILE or PLAN.json".into())),
            };
            let options = ApplyOptions::default()
                .allow_empty(allow_empty)
                .max_removals(max_removals)
                .concurrency(concurrency.into())
                .read_options(reads);
            apply::apply(&client, plan, yes, options, json).await
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

