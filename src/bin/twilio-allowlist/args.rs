//! The command line: commands, options, and the help texts that explain them.

use std::{path::PathBuf, time::Duration};

use clap::{Parser, Subcommand, builder::TypedValueParser as _};
use twilio_ip_access::DEFAULT_ESTATE_REQUESTS_IN_FLIGHT;
use twilio_ip_access::allowlist::{
    ApplyOptions, DEFAULT_CONCURRENCY, DEFAULT_MAX_REMOVAL_PERCENT, DEFAULT_MAX_REMOVALS,
    DEFAULT_READ_CONCURRENCY, PlanOptions, Policy, ReadOptions,
};

const ABOUT: &str = "Keep Twilio IP access control lists equal to a desired-state file: plan, apply, watch, export.";

const LONG_ABOUT: &str = "\
Keep Twilio IP access control lists (and, with [byoc], BYOC IP Records) equal to a
desired-state file.

The file (TOML) names lists by FriendlyName and says exactly which addresses each holds, which
trunks it is attached to and which SIP domains' calls it is mapped to:

    [lists.\"office allowlist\"]
    addresses = [\"198.51.100.7\", \"198.51.100.0/24\", { ip = \"203.0.113.10\", name = \"sbc\" }]
    trunks = [\"my trunk\"]                  # SID (TK…) or FriendlyName
    sip_domains = [\"acme.sip.twilio.com\"]  # SID (SD…) or domain name

With a [byoc] table the file is also the truth for the account's BYOC IP Records and the SIP
domain each routes to (its Source IP Mapping):

    [byoc]
    ip_records = [{ ip = \"203.0.113.10\", name = \"sbc-fra-1\", sip_domain = \"acme.sip.twilio.com\" }]

Lists the file does not name are never touched. `plan` shows the difference, `apply` makes it
(after asking), `watch` applies it at an interval, unattended, `export` writes the live lists
as a file. `apply --log FILE` and `watch` record every change attempted as a JSON line.

Addresses can also come from sources, read at each plan and refused (nothing written) when one
fails or gives nothing, unless it says `optional = true`:

    { dns = \"sbc1.example.com\" }          every A record (--nameserver IP:PORT to choose the server)
    { file = \"carrier.txt\" }              one address or range per line, next to the file
    { url = \"https://…\", format = \"json\", path = \"$.prefixes[*].ip_prefix\" }   only with --allow-fetch

Credentials and routing come from the environment, as Twilio's libraries read them:
TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET),
TWILIO_REGION, TWILIO_EDGE. --base-url sends every product to one URL (an emulator, a proxy).

Several accounts, subaccounts and regions: a file with [accounts.NAME] tables names each
account's SID, the environment variables holding its credentials (never the secrets), and its
region, edge or base_url; lists, sets and [byoc] say `accounts = [...]` (omitted: every account).

    [accounts.us]
    account_sid = \"AC…\"
    auth_token_env = \"US_AUTH_TOKEN\"       # or api_key_env + api_secret_env; or parent = \"NAME\"
    region = \"us1\"

With such a file, plan, apply and export act on every account at once (--account NAME for
some), the output is grouped by account with one summary line for all, and the exit code is
the worst of them: 1 if any account failed (the others are still shown), else 2 if any would
change. Each account's credentials are tried with one cheap read first. Nothing is applied to
any account while one fails to plan. The environment's TWILIO_* variables and --base-url are
not used then: each account says where its requests go.

Apply refuses, before writing, a plan that removes more than --max-removals entries of any
kind (addresses, detaches, unmaps, deleted parts, IP Records; default 20) or more than
--max-removal-percent of a list, or of the [byoc] group (IP Records and Source IP Mappings
together), holding at least 10 entries (default 30), and a saved plan that was edited into
what a file could not say.

Output: colour on a terminal only (never with --no-color or NO_COLOR); -q prints errors only,
-v adds the requests made (no secrets, no addresses). --json output is for machines.

Exit codes:
  0    nothing to change, or applied
  1    any error: arguments, the file, credentials, a request, a refusal, a change that failed
       (with [accounts]: any account's, after the others are shown)
  2    plan: changes pending
  3    apply: the live state changed since the plan was made or shown; nothing was written
  130  apply: interrupted by Ctrl-C (SIGINT); the report says what was done
  143  apply: stopped by SIGTERM; the report says what was done
       (watch exits 0 on SIGTERM or Ctrl-C, once the writes in flight have finished)";

const EXAMPLES: &str = "\
Examples:
  twilio-allowlist plan -f allowlist.toml
  twilio-allowlist apply -f allowlist.toml
  twilio-allowlist plan -f allowlist.toml -o plan.json && twilio-allowlist apply plan.json
  twilio-allowlist plan -f allowlist.toml --list \"office allowlist\" --format markdown
  twilio-allowlist plan -f allowlist.toml --allow-fetch --nameserver 10.0.0.2:53
  twilio-allowlist watch -f allowlist.toml --interval 5m --yes --log audit.jsonl
  twilio-allowlist export -o allowlist.toml
  twilio-allowlist plan -f estate.toml --account ie        # a file with [accounts.*]
  twilio-allowlist export -f estate.toml -o exported.toml  # every account of estate.toml
  twilio-allowlist --base-url http://127.0.0.1:4010 plan -f allowlist.toml   # on twilio-mock";

#[derive(Debug, Parser)]
#[command(
    name = "twilio-allowlist",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = EXAMPLES
)]
pub(crate) struct Args {
    /// Base URL for every Twilio product at once (voice, trunking and api), such as an emulator
    /// or a proxy [default: Twilio's own hosts, after TWILIO_REGION/TWILIO_EDGE routing].
    /// Refused with a file with `[accounts]`: each account gives its own `base_url`.
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) base_url: Option<String>,

    /// How many reads of the live state are in flight at once (one per list, trunk and SIP
    /// domain; Twilio answers 429 when an account has too many, and those are retried).
    #[arg(
        long,
        global = true,
        value_name = "N",
        default_value_t = DEFAULT_READ_CONCURRENCY as u16,
        value_parser = clap::value_parser!(u16).range(1..=64)
    )]
    pub(crate) read_concurrency: u16,

    /// Print errors only: no plan text (unless apply has to ask), no progress, no warnings, no
    /// report of a complete apply. --json, --format and export's file are still printed.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub(crate) quiet: bool,

    /// Also print the requests made (method, path, status, time) on standard error, from the
    /// library's `tracing` events; secrets and IP addresses are never in them.
    #[arg(short, long, global = true)]
    pub(crate) verbose: bool,

    /// How long one request may take, connecting included, before it is abandoned (a read or a
    /// removal is then tried again, 3 attempts in all; a create that may have landed is not).
    #[arg(long, global = true, value_name = "SECS", default_value = "30", value_parser = seconds)]
    pub(crate) timeout: Duration,

    /// With a file with `[accounts]`: how many requests are in flight at once across all its
    /// accounts (each account also keeps --read-concurrency reads and --concurrency writes of
    /// its own; this bounds the connections a large estate opens).
    #[arg(
        long,
        global = true,
        value_name = "N",
        default_value_t = DEFAULT_ESTATE_REQUESTS_IN_FLIGHT,
        value_parser = clap::value_parser!(u16).range(1..).map(usize::from)
    )]
    pub(crate) max_in_flight: usize,

    /// No colour, even on a terminal (the NO_COLOR environment variable does the same).
    #[arg(long, global = true)]
    pub(crate) no_color: bool,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Show what apply would change (exit 0: nothing, 2: changes pending, 1: error).
    #[command(
        long_about = "Read the live state and show what apply would change, like `terraform plan`: \
                      `+` add, `-` remove, `~` rename, attach and detach lines, and a summary. \
                      Exits 0 when nothing would change, 2 when something would, 1 on error. \
                      Reads only.\n\n\
                      With a file with [accounts], every account (or those of --account) is \
                      planned at once, each under a header with its name, SID and region, then \
                      one line totals them; an account that fails (its credentials, a refusal, \
                      a read) shows its error in its place, the others are still shown, and \
                      the exit code is 1. --json and -o then write the estate plan document \
                      (format_version 5: each account with its plan document; a failed \
                      account with its \"error\" in place of its \"plan\", never saved).",
        after_help = "Examples:\n  twilio-allowlist plan -f allowlist.toml\n  twilio-allowlist plan -f allowlist.toml --json\n  twilio-allowlist plan -f allowlist.toml -o plan.json   # then: twilio-allowlist apply plan.json\n  twilio-allowlist plan -f estate.toml --account us --account ie   # a file with [accounts]"
    )]
    Plan {
        /// The desired-state file.
        #[arg(short = 'f', long = "file", value_name = "FILE")]
        file: PathBuf,
        /// Print the plan document (JSON, with its "format_version") instead of the text; the same
        /// as `--format json`.
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// How to print the plan: `text` (like terraform), `json` (the plan document), or
        /// `markdown` (for a pull-request comment: the summary line, then the changes in a
        /// collapsed `<details>` block).
        #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Text)]
        format: Format,
        /// Plan only this list of the file (by name); repeat for more. The file's other lists
        /// are left out, and named on standard error.
        #[arg(long = "list", value_name = "NAME")]
        lists: Vec<String>,
        /// With a file with `[accounts]`: plan only this account (by its NAME in
        /// `[accounts.NAME]`); repeat for more. The file's other accounts are left out.
        #[arg(long = "account", value_name = "NAME")]
        accounts: Vec<String>,
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
                      address is ever missing. Before the first write the live state is read \
                      again (after the answer, and with --yes too): if it is no longer the state \
                      the plan was made from (another writer, or a saved plan gone stale), \
                      nothing is written and the exit code is 3. A saved plan is checked \
                      first, before any request: each change with the rules of a file \
                      (addresses, names, limits), every SID it names against the plan's own \
                      starting state, the summary against the changes; any violation refuses \
                      it (exit 1). A removal Twilio no longer has (404) is reported as already \
                      absent.\n\n\
                      Ctrl-C (SIGINT) or SIGTERM: no new write starts, the writes in flight \
                      finish, the report says what was done and what was not, and the exit \
                      code is 130 (143 for SIGTERM). A second Ctrl-C stops waiting for the \
                      writes in flight (reported as of unknown outcome). Applying again \
                      converges, without duplicates.\n\n\
                      With a file with [accounts] (or a saved plan of several accounts, which \
                      reaches each account through the variables it names), the plan of every \
                      account (or of those of --account) is shown and confirmed once. Nothing \
                      is written to any account while one failed to plan, or when one's live \
                      state changed (exit 3, naming it). Then each account is applied on its \
                      own: a failed change in one never stops another's; the report is grouped \
                      by account; Ctrl-C stops them all.",
        after_help = "Examples:\n  twilio-allowlist apply -f allowlist.toml\n  twilio-allowlist apply -f allowlist.toml --list \"office allowlist\"\n  twilio-allowlist apply -f allowlist.toml --yes --max-removals 50\n  twilio-allowlist apply plan.json --yes --json\n\nExit codes: 0 applied, or nothing to change; 1 an error, a refusal, or a change that failed (nothing desired removed); 3 the live state changed, nothing written; 130 Ctrl-C, 143 SIGTERM (the report says what was done)"
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
        /// Apply only this list of the file (by name); repeat for more. The file's other lists
        /// are left out, and named on standard error.
        #[arg(long = "list", value_name = "NAME", requires = "file")]
        lists: Vec<String>,
        /// With a file with `[accounts]`, or a saved plan of several accounts: apply only this
        /// account (by its NAME in `[accounts.NAME]`); repeat for more. The others are left
        /// out.
        #[arg(long = "account", value_name = "NAME")]
        accounts: Vec<String>,
        /// Apply without asking.
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        guards: GuardArgs,
        /// Print one JSON document on standard output, whatever happens: the plan document's
        /// keys, then "report" (every change with its status, and the SID of what it created)
        /// and "error" (null, or the message and exit code). The plan text goes to stderr.
        #[arg(long)]
        json: bool,
        /// Append one JSON line per change attempted to this file (the audit log: time,
        /// account, change, SID, status, Twilio's request id of a failure; never a secret).
        #[arg(long, value_name = "FILE")]
        log: Option<PathBuf>,
        #[command(flatten)]
        sources: SourceArgs,
    },
    /// Apply the file at an interval, unattended: plan, then apply within the guards.
    #[command(
        long_about = "Every --interval, read FILE and its sources again, plan, and apply the \
                      plan within the guards without asking (so --yes is required), like \
                      external-dns or a cron'd `apply --yes`. Each cycle and each change is one \
                      JSON line on standard output, or appended to --log FILE instead.\n\n\
                      A cycle whose file or sources fail, whose reads fail or whose plan a \
                      guard refuses writes nothing; a cycle whose apply is incomplete stops \
                      writing at its first failed step. Either way the next cycle comes after \
                      a backoff: the interval times 1, 2, 4, then 8 for every further failed \
                      cycle in a row, back to the interval after a good one.\n\n\
                      --policy upsert-only never removes, detaches, unmaps or deletes anything: \
                      addresses that leave their sources stay until a `sync` run.\n\n\
                      SIGTERM or Ctrl-C (SIGINT): no new write starts, the writes in flight \
                      finish and are logged, and watch exits 0. --once runs one cycle and \
                      exits (for cron): 0 when it left nothing to do, 1 otherwise.",
        after_help = "Examples:\n  twilio-allowlist watch -f allowlist.toml --interval 5m --yes\n  twilio-allowlist watch -f allowlist.toml --interval 1h --yes --policy upsert-only --log /var/log/twilio-allowlist.jsonl\n  twilio-allowlist watch -f allowlist.toml --yes --once --nameserver 10.0.0.2:53   # from cron\n\nExit codes: 0 stopped by SIGTERM or Ctrl-C, or --once and the cycle left nothing to do; 1 refused to start (no --yes, credentials, --log), or --once and the cycle failed or was refused"
    )]
    Watch {
        /// The desired-state file, read again at every cycle.
        #[arg(short = 'f', long = "file", value_name = "FILE")]
        file: PathBuf,
        /// Time between the end of a cycle and the start of the next: `30s`, `5m`, `1h`, `1h30m`.
        #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = interval)]
        interval: Duration,
        /// Apply without asking (required: watch never asks).
        #[arg(long)]
        yes: bool,
        /// `sync`: every change of the plan; `upsert-only`: never remove anything.
        #[arg(long, value_name = "POLICY", default_value = "sync", value_parser = clap::value_parser!(Policy))]
        policy: Policy,
        /// Run one cycle and exit.
        #[arg(long)]
        once: bool,
        /// Append the JSON lines (cycles and changes) to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        log: Option<PathBuf>,
        #[command(flatten)]
        guards: GuardArgs,
        #[command(flatten)]
        sources: SourceArgs,
    },
    /// Write the live lists as a desired-state file.
    #[command(
        long_about = "Write the live lists (all of them, or those named with --list) as a \
                      desired-state file: `plan` on it shows no changes.\n\n\
                      With -f FILE (a file with [accounts]), export each account FILE names \
                      (or those of --account), all at once: the output has FILE's \
                      [accounts.NAME] tables (the names of the credential variables, never a \
                      secret) and each list with the accounts that have it (when accounts hold different \
                      lists of one name, each is `[lists.\"NAME@us+ie\"]`: the accounts that \
                      have it, joined with `+`); `plan -f` on it shows \
                      no changes. The live lists replace FILE's lists: FILE is read for its accounts \
                      (its sources are not read).",
        after_help = "Examples:\n  twilio-allowlist export -o allowlist.toml\n  twilio-allowlist export --list \"office allowlist\" --list branch\n  twilio-allowlist export -f estate.toml --account ie -o ie.toml"
    )]
    Export {
        /// A desired-state file with `[accounts]`: export every account it names (or those of
        /// --account), reaching each as the file says, and write the accounts section too.
        #[arg(short = 'f', long = "file", value_name = "FILE")]
        file: Option<PathBuf>,
        /// Export only this account of FILE (by its NAME in `[accounts.NAME]`); repeat for
        /// more.
        #[arg(long = "account", value_name = "NAME", requires = "file")]
        accounts: Vec<String>,
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

/// How `plan` prints the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// Like `terraform plan`.
    Text,
    /// The plan document.
    Json,
    /// For a pull-request comment.
    Markdown,
}

/// The guards and write concurrency of `apply` and `watch`.
#[derive(Debug, clap::Args)]
pub(crate) struct GuardArgs {
    /// Allow leaving a list attached to a trunk or SIP domain with no addresses.
    #[arg(long)]
    pub(crate) allow_empty: bool,
    /// Refuse plans that remove more than this, of every kind: addresses removed, lists
    /// detached from trunks or unmapped from SIP domains, emptied parts and pruned lists
    /// deleted (and each address of a pruned list), IP Records and Source IP Mappings removed.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_REMOVALS)]
    pub(crate) max_removals: usize,
    /// Refuse plans that remove more than this share of a list's entries (its addresses
    /// and attachments), or of the account's `[byoc]` group (its IP Records and Source IP
    /// Mappings, counted together), for a list or group holding at least 10.
    #[arg(
        long,
        value_name = "PERCENT",
        default_value_t = DEFAULT_MAX_REMOVAL_PERCENT,
        value_parser = clap::value_parser!(u8).range(0..=100)
    )]
    pub(crate) max_removal_percent: u8,
    /// How many writes run at once.
    #[arg(
        long,
        value_name = "N",
        default_value_t = DEFAULT_CONCURRENCY as u16,
        value_parser = clap::value_parser!(u16).range(1..=64)
    )]
    pub(crate) concurrency: u16,
}

impl GuardArgs {
    /// The apply options they say.
    pub(crate) fn options(&self) -> ApplyOptions {
        ApplyOptions::default()
            .allow_empty(self.allow_empty)
            .max_removals(self.max_removals)
            .max_removal_percent(self.max_removal_percent)
            .concurrency(self.concurrency.into())
    }
}

/// How the file's sources (`{ dns = … }`, `{ file = … }`, `{ url = … }`) are read.
#[derive(Debug, Default, clap::Args)]
pub(crate) struct SourceArgs {
    /// Fetch the file's `{ url = … }` feeds (without it, a file that has one is refused).
    #[arg(long)]
    pub(crate) allow_fetch: bool,
    /// Resolve `{ dns = … }` names with this name server instead of the system's configuration;
    /// repeat for more.
    #[arg(long, value_name = "IP:PORT")]
    pub(crate) nameserver: Vec<std::net::SocketAddr>,
    /// Also detach and delete the lists whose name starts with the file's `[settings]
    /// prune_prefix` and that the file does not name (their addresses go with them; each
    /// counts toward --max-removals). Refused when the file has no prune_prefix. Needs -f FILE
    /// (a saved plan says what it prunes).
    #[arg(long)]
    pub(crate) prune: bool,
}

impl SourceArgs {
    /// How to plan: reading as `reads` says, pruning with `--prune`.
    pub(crate) fn plan_options(&self, reads: ReadOptions) -> PlanOptions {
        PlanOptions::from(reads).prune(self.prune)
    }
}

/// The formats `schema` prints.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum SchemaOf {
    /// The desired-state file (TOML, checked as its JSON equivalent).
    Allowlist,
    /// The plan document (`plan --json`, `plan -o PLAN.json`).
    Plan,
    /// The plan document of a file with `[accounts]` (`format_version` 5).
    EstatePlan,
}

/// `--timeout`: seconds, a fraction allowed, more than 0.
fn seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    Duration::try_from_secs_f64(secs)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("`{text}` is not a number of seconds more than 0"))
}

/// `--interval`: whole numbers with units `s`, `m`, `h` (`d` too), together (`1h30m`), at
/// least a second. A few lines rather than a dependency for the three units an interval needs.
fn interval(text: &str) -> Result<Duration, String> {
    let bad = || format!("`{text}` is not an interval such as 30s, 5m, 1h or 1h30m");
    let (mut total, mut number) = (0u64, None::<u64>);
    for c in text.trim().chars() {
        if let Some(digit) = c.to_digit(10) {
            number = Some(
                number
                    .unwrap_or(0)
                    .checked_mul(10)
                    .and_then(|n| n.checked_add(digit.into()))
                    .ok_or_else(bad)?,
            );
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return Err(bad()),
        };
        let n = number.take().ok_or_else(bad)?;
        total = n
            .checked_mul(unit)
            .and_then(|s| total.checked_add(s))
            .ok_or_else(bad)?;
    }
    if number.is_some() || total == 0 {
        return Err(bad());
    }
    Ok(Duration::from_secs(total))
}

#[cfg(test)]
mod tests {
    use clap::error::ErrorKind;

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
    fn intervals_are_numbers_with_units() {
        assert_eq!(interval("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(interval("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(interval("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(interval("1d"), Ok(Duration::from_secs(86_400)));
        for bad in [
            "",
            "5",
            "m",
            "0s",
            "5x",
            "1.5m",
            "-5m",
            "5m3",
            "99999999999999999999s",
        ] {
            let err = interval(bad).unwrap_err();
            assert!(err.contains(&format!("`{bad}`")), "{bad}: {err}");
        }
    }

    #[test]
    fn watch_needs_a_file_and_takes_a_policy() {
        let parsed = parse(&["watch", "-f", "a.toml", "--yes", "--policy", "upsert-only"]).unwrap();
        assert!(matches!(
            parsed.command,
            Command::Watch {
                interval,
                policy: Policy::UpsertOnly,
                once: false,
                yes: true,
                ..
            } if interval == Duration::from_secs(300)
        ));
        assert_eq!(
            parse(&["watch", "-f", "a", "--policy", "prune"])
                .unwrap_err()
                .kind(),
            ErrorKind::ValueValidation
        );
        assert_eq!(
            parse(&["watch", "--yes"]).unwrap_err().kind(),
            ErrorKind::MissingRequiredArgument
        );
    }

    #[test]
    fn accounts_repeat_and_the_bound_in_flight_is_at_least_one() {
        let parsed =
            parse(&["plan", "-f", "a.toml", "--account", "us", "--account", "ie"]).unwrap();
        assert_eq!(parsed.max_in_flight, DEFAULT_ESTATE_REQUESTS_IN_FLIGHT);
        assert!(matches!(
            parsed.command,
            Command::Plan { accounts, .. } if accounts == ["us", "ie"]
        ));
        let parsed =
            parse(&["--max-in-flight", "8", "apply", "x.json", "--account", "ie"]).unwrap();
        assert_eq!(parsed.max_in_flight, 8);
        assert_eq!(
            parse(&["plan", "-f", "a", "--max-in-flight", "0"])
                .unwrap_err()
                .kind(),
            ErrorKind::ValueValidation
        );
        // export chooses accounts of a file only.
        assert_eq!(
            parse(&["export", "--account", "us"]).unwrap_err().kind(),
            ErrorKind::MissingRequiredArgument
        );
        assert!(parse(&["export", "-f", "e.toml", "--account", "us"]).is_ok());
    }

    #[test]
    fn apply_takes_a_file_or_a_saved_plan() {
        assert!(matches!(
            parse(&["apply", "-f", "a.toml"]).unwrap().command,
            Command::Apply {
                file: Some(_),
                plan: None,
                guards: GuardArgs {
                    concurrency: 4,
                    max_removals: 20,
                    ..
                },
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
