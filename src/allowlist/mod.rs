//! Declarative allowlist sync (feature `allowlist`): say what your IP access control lists
//! should be, see the exact difference, apply it safely, and re-run it with no effect.
//!
//! A [`Desired`] state names lists by `FriendlyName` and gives, for each, exactly which
//! addresses it holds, which trunks it is attached to and which SIP domains' calls it is
//! mapped to; with a `[byoc]` table, it also gives every BYOC IP Record of the account and the
//! SIP domain of each one's Source IP Mapping. [`plan`] reads the live state and computes the [`Plan`] that makes it so;
//! [`Plan::apply`] sends it; [`export`] writes the live lists as a desired state. The
//! `twilio-allowlist` command line (feature `cli`) is a thin layer over these.
//!
//! ```
//! # #[cfg(not(feature = "mock"))] fn main() {}
//! # #[cfg(feature = "mock")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use twilio_ip_access::{allowlist::{self, ApplyOptions, Desired}, mock::MockTwilio};
//!
//! let twilio = MockTwilio::start().await;
//! twilio.create_trunk_named("my trunk", "my-trunk.pstn.twilio.com");
//! let client = twilio.client();
//!
//! let desired = Desired::from_toml(r#"
//!     [lists."office allowlist"]
//!     addresses = [
//!       "198.51.100.7",
//!       "198.51.100.0/24",
//!       { ip = "203.0.113.10", name = "sbc-frankfurt" },
//!     ]
//!     trunks = ["my trunk"]
//!     sip_domains = []
//! "#, "allowlist.toml")?;
//!
//! let plan = allowlist::plan(&client, &desired).await?;
//! assert_eq!(plan.summary().to_string(), "Plan: 5 to add, 0 to change, 0 to remove.");
//! println!("{plan}");
//! let report = plan.apply(&client, ApplyOptions::default()).await?;
//! assert!(report.is_complete());
//!
//! // Applied: planning again finds nothing to do, and exporting gives the same lists back.
//! assert!(allowlist::plan(&client, &desired).await?.is_empty());
//! let exported = allowlist::export(&client, Default::default()).await?;
//! assert_eq!(exported.lists()[0].addresses().len(), 3);
//! # Ok(()) }
//! ```
//!
//! # The desired-state file
//!
//! ```toml
//! [lists."office allowlist"]            # the list's FriendlyName
//! addresses = [
//!   "198.51.100.7",                      # one address: /32, FriendlyName "198.51.100.7"
//!   "198.51.100.0/24",                   # a range: IpAddress 198.51.100.0, CidrPrefixLength 24
//!   { ip = "203.0.113.10", name = "sbc-frankfurt" },
//!   { ip = "192.0.2.0/28", name = "branch" },
//! ]
//! trunks = ["TK…", "my trunk"]           # SID or FriendlyName
//! sip_domains = ["SD…", "acme.sip.twilio.com"]  # SID or domain name
//! ```
//!
//! An address set names addresses that several lists share:
//!
//! ```toml
//! [sets.carrier-a]
//! addresses = ["198.51.100.0/24", { ip = "203.0.113.10", name = "carrier-a sbc" }]
//!
//! [lists."office allowlist"]
//! addresses = ["192.0.2.1", { set = "carrier-a" }]   # a set's addresses, in place
//! trunks = ["my trunk"]
//! sip_domains = []
//! ```
//!
//! A set may use other sets. An unknown set, sets that use each other in a cycle, and the
//! same identity twice once sets are expanded are refused, naming both places; a set no list
//! uses is a warning ([`Desired::warnings`]). The plan shows the set each address comes from.
//!
//! # Addresses from DNS, files and feeds
//!
//! A source in any `addresses` array stands for the addresses it gives, read when the file is
//! loaded with [`Desired::from_toml_with_sources`] (as [`SourceOptions`] say):
//!
//! ```toml
//! addresses = [
//!   { dns = "sbc1.example.com" },                   # every A record, each a /32 named by the host
//!   { file = "carrier.txt", name = "carrier" },     # one address or range per line, `#` comments
//!   { url = "https://ip-ranges.example.com/ip-ranges.json", format = "json",
//!     path = "$.prefixes[*].ip_prefix", optional = true },   # RFC 9535 JSONPath; or "lines"
//! ]
//! ```
//!
//! Each value is checked as a written entry is; a source that fails or gives no IPv4 address
//! refuses the file ([`DesiredError::source_error`] says why) unless it says `optional = true`;
//! IPv6 values of files and feeds are skipped with a warning. Feeds are fetched only when
//! [`SourceOptions::allow_fetch`] says so. The plan shows each address's source
//! ([`AddressOrigin`]).
//!
//! All three keys are required (an empty array says "none"). An address's identity is its
//! (IpAddress, CidrPrefixLength); its name is the text given unless `name` says otherwise, and
//! a different name for the same identity is a rename (an update in place, never a delete and
//! re-create). Refused, with the file, line, column and entry, before any request: an invalid
//! IPv4 address or prefix, host bits set in a range (`198.51.100.7/24`: the error names the
//! network), `/0` (Twilio stores it as /32; write `0.0.0.0/1` and `128.0.0.0/1`), the same
//! entry twice, more than 100 addresses in one list (unless it says `split = true`), a name that is empty or over 255
//! characters, unknown keys; and, when planning, a trunk or domain that does not exist or whose
//! name matches several, and a list name that several live lists share. Every problem of a
//! file is reported at once ([`DesiredError::errors`]), not only the first.
//!
//! # Scope
//!
//! The desired state is the truth for the lists it names, and only for them: their addresses,
//! their trunk associations and their domain call mappings become exactly the given ones (a
//! list is detached from trunks and domains the file does not name). Lists it does not name are
//! never read or written beyond the listing of names; a named list that does not exist is
//! created. Lists are never deleted, except the emptied parts of a split list, and the lists
//! pruned: with `[settings] prune_prefix = "managed: "` in the file and
//! [`PlanOptions::prune`], a list whose name starts with the prefix and that the file does not
//! name (nor is a part of a split list it names) is detached from every trunk and SIP domain,
//! then deleted with its addresses (one request); each of those addresses counts toward the
//! removal guards. Without the setting or the option, nothing changes.
//!
//! # BYOC IP Records
//!
//! ```toml
//! [byoc]
//! ip_records = [
//!   { ip = "203.0.113.10", name = "sbc-fra-1", sip_domain = "acme.sip.twilio.com" },
//!   { ip = "203.0.113.16/28", name = "carrier-x" },     # no Source IP Mapping
//!   "192.0.2.44",                                       # named "192.0.2.44"
//! ]
//! ```
//!
//! An IP Record's identity is (IpAddress, CidrPrefixLength); `name` is its FriendlyName (the
//! text of `ip` by default); `sip_domain` (SID or domain name) is the SIP domain of its Source
//! IP Mapping, and no `sip_domain` means no mapping. With `[byoc]` the file is the truth for
//! every IP Record and Source IP Mapping of the account: those it does not name are removed
//! (records count against [`ApplyOptions::max_removals`]); without it, none is read or
//! written. A new name updates the record's FriendlyName and a new domain its mapping's
//! `SipDomainSid`, in place; a new prefix is a new record, created and mapped before the old
//! one is unmapped and removed. Refused with the entry's position: what an address is refused
//! for, the same record twice, a domain that does not exist or whose name several share, and a
//! record the file names that several live records share.
//!
//! # More than 100 addresses
//!
//! Twilio keeps at most 100 addresses in a list. A list that says `split = true` may hold more:
//! it is kept as several Twilio lists named `NAME`, `NAME (2)`, `NAME (3)`…, each holding at
//! most 100 and each attached to exactly the list's trunks and SIP domains. An address stays in
//! the part that holds it; new addresses go to the first part with room (counted before this
//! apply's removals, since apply adds first), then to a new part. A part other than the first
//! that is left with nothing is detached, emptied and deleted. A plan that would take the
//! account over Twilio's 1,000 lists is refused before writing. `export` writes the parts
//! back as one list with `split = true` (a list `NAME (2)` beside a list `NAME` is read as its
//! part).
//!
//! # Several accounts
//!
//! ```toml
//! [accounts.us]
//! account_sid = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
//! auth_token_env = "US_AUTH_TOKEN"        # or api_key_env + api_secret_env
//!
//! [accounts.ie]
//! account_sid = "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
//! api_key_env = "IE_API_KEY"
//! api_secret_env = "IE_API_SECRET"
//! region = "ie1"
//! edge = "dublin"
//!
//! [accounts.customer-42]
//! account_sid = "ACcccccccccccccccccccccccccccccccc"
//! parent = "us"                           # a subaccount, with its parent's credentials
//!
//! [lists.carrier]
//! accounts = ["us", "ie"]                 # omitted: every account of the file
//! addresses = ["198.51.100.0/24"]
//! trunks = ["edge trunk"]                 # resolved in each account
//! sip_domains = []
//! ```
//!
//! `[accounts.NAME]` tables make one file the truth for several accounts, regions and
//! subaccounts ([`Desired::accounts`], each an [`Account`]); lists, sets and `[byoc]` say which
//! accounts they are given to with `accounts = [...]` (every account without it). A file
//! names the environment variables holding each account's credentials, never a secret: a key
//! such as `auth_token`, and a value that looks like a token, a key SID or anything long and
//! random, are refused without the value being shown. [`Desired::for_account`] is what the
//! file gives one account, planned as any desired state with that account's client,
//! [`Account::client_builder`]. A subaccount with `parent` signs with its parent's
//! credentials and puts its own SID in Api 2010 paths ([`ClientBuilder::subaccount`](crate::ClientBuilder::subaccount));
//! Twilio's Trunking and Voice APIs act on the account that signs, so a list naming trunks or a
//! `[byoc]` given to such an account is refused with its position, saying to give the account
//! its own credentials. A file without `[accounts]` is for the one account of the environment,
//! as always; `[accounts]` with no `[accounts.NAME]` in it is refused.
//! [`Desired::accounts_from_toml`] reads a file's accounts alone, without its sources. Every rule is in the allowlist guide (`docs/allowlist.md`, "Several accounts").
//!
//! [`estate`] works on the whole estate: it plans every account at once (each account's
//! credentials checked first with one cheap read), shows one plan grouped by account, saves it
//! as one document (version 5) verified account by account, applies it only if every account
//! planned, each account independently, and exports several accounts as one file.
//!
//! # What it costs
//!
//! Planning reads, whatever the number of addresses: one request for the lists (page size
//! 1000), one per page of addresses of each named list that exists (a list holds at most 100
//! addresses, so one), one for the trunks, one for the SIP domains, and one per trunk and one
//! per SIP domain in the account (their lists: to detach a named list from a trunk or domain the
//! file does not name, every trunk's and domain's attachments must be known). Those run
//! [`DEFAULT_READ_CONCURRENCY`] (32) at a time, or as [`plan_with`]'s [`ReadOptions`] say:
//! 1,000 trunks and 1,000 SIP domains at 50 ms per request wait 3 s for their reads (100 s one
//! at a time; `benches/allowlist.rs` measures the whole plan against 7 s). With `[byoc]`, one
//! request more for the IP Records and one for the Source IP Mappings; when pruning, one per
//! list pruned (its addresses). Applying sends
//! exactly one request per change and reads nothing more, except that a saved plan is first
//! verified with the same reads as a plan.
//!
//! # Applying safely
//!
//! [`Plan::apply`] runs in [`Step`]s: create lists, add addresses, create IP Records, rename,
//! map records, attach, then detach, unmap, remove and delete, so that no desired address,
//! record or mapping is ever missing along the way; it stops before the next step when one
//! fails, leaving the allowlist at worst wider than desired. Its guards ([`Plan::check`])
//! refuse, before writing, to leave an attached list empty (unless
//! [`ApplyOptions::allow_empty`]), to make more than [`ApplyOptions::max_removals`] removals of
//! any kind (default 20: addresses, detaches, unmaps, deleted parts, pruned lists and each
//! address they hold, IP Records and their mappings), and to remove more than
//! [`ApplyOptions::max_removal_percent`] (default 30) of the entries of a list that holds at
//! least [`MIN_ENTRIES_FOR_PERCENT`] (10), or of the `[byoc]` group (the account's IP Records
//! and Source IP Mappings, together) when it holds as many, all as one [`Error::Guard`]. A removal Twilio answers with 404 is [`ChangeResult::AlreadyAbsent`], not
//! done. Writes run
//! [`ApplyOptions::concurrency`] at a time (default 4) through the client's retry policy, which
//! handles 429 and `Retry-After` and never sends a create twice; a create whose answer was lost
//! is reported as of unknown outcome, and the next plan sees whether it landed. A plan is always
//! computed from the live state, so applying again after any failure converges, without
//! duplicates. An [`Interrupt`] ([`ApplyOptions::interrupt`]) stops an apply from outside, as
//! `twilio-allowlist` does on Ctrl-C: no new write starts, and the report says what was done.
//!
//! A saved plan ([`Plan::from_json`]) is untrusted input: before it is returned, what every
//! change sends is checked with the rules of a desired-state file (host bits, `/0`, names, 100
//! addresses per list), everything it names by SID must be in its own starting state under the
//! list it names, as it shows it, and its summary must count its changes; the first change that
//! fails is named in [`Error::PlanChange`].
//!
//! IP addresses are PII for Twilio: this module logs nothing through `tracing`; the plan and
//! report show them because they are the user's own output.

mod accounts;
mod apply;
mod change;
mod desired;
mod diff;
mod document;
pub mod estate;
mod export;
mod guard;
mod interrupt;
mod kinds;
mod live;
mod policy;
mod render;
#[cfg(feature = "schemars")]
mod schema;
mod sources;
mod split;
mod target;

pub use accounts::{Account, CredentialSource};
pub use apply::{
    ApplyOptions, ChangeOutcome, ChangeResult, DEFAULT_CONCURRENCY, DEFAULT_MAX_REMOVALS,
    ProgressFn, Report,
};
pub use change::{Change, ChangeKind, Step, Summary, Target};
pub use desired::{
    AccountBuilder, ByocBuilder, Desired, DesiredAddress, DesiredBuilder, DesiredError,
    DesiredIpRecord, DesiredList, IpRecordBuilder, ListBuilder, MAX_ADDRESSES_PER_LIST,
    MAX_NAME_CHARS, SetBuilder,
};
pub use document::{
    AddressState, AttachedState, ByocState, FORMAT_VERSION, IpRecordState, ListState, Plan,
    PlannedList, SourceIpMappingState, StartingState,
};
pub use estate::{EstateAccount, EstatePlan, EstateReport};
pub use export::{ExportOptions, export};
pub use guard::{DEFAULT_MAX_REMOVAL_PERCENT, GuardOption, MIN_ENTRIES_FOR_PERCENT, Refusal};
pub use interrupt::Interrupt;
/// What each [`Change`] says, one type per kind of change (the fields of the plan document's
/// changes).
pub use kinds::{
    address::{AddAddress, RemoveAddress, RenameAddress},
    attachment::{Attach, Detach},
    ip_record::{CreateIpRecord, RemoveIpRecord, RenameIpRecord},
    list::{CreateList, DeleteList},
    source_ip_mapping::{CreateSourceIpMapping, RemoveSourceIpMapping, UpdateSourceIpMapping},
};
pub use live::{DEFAULT_READ_CONCURRENCY, ReadOptions};
pub use policy::Policy;
#[cfg(feature = "schemars")]
#[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
pub use schema::{allowlist_schema, plan_schema};
pub use sources::{
    AddressOrigin, DEFAULT_MAX_FEED_BYTES, DEFAULT_MAX_SHRINK_PERCENT, DEFAULT_SOURCE_TIMEOUT,
    SourceError, SourceOptions, SourceRef,
};
pub use target::TargetKind;

use crate::Client;

/// What can go wrong in planning, applying and exporting.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The desired state is refused: a bad entry, an unknown or ambiguous trunk or domain, a
    /// list name several live lists share. Nothing was written.
    #[error(transparent)]
    Desired(#[from] DesiredError),
    /// A request failed (while reading; the failures of single changes are in the [`Report`]).
    #[error(transparent)]
    Twilio(#[from] crate::Error),
    /// A safety rule refused the plan before anything was written.
    #[error("refused: {reason}")]
    Refused {
        /// Which rule, and how to proceed.
        reason: String,
    },
    /// The guards of [`Plan::check`] refused the plan before anything was written (too many
    /// removals, too large a share of a list, an attached list left empty): every one that did.
    #[error("refused: {}", refusals.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Guard {
        /// Each guard that refused, with the option that would allow it.
        refusals: Vec<Refusal>,
    },
    /// A change of a saved plan is refused: it breaks a rule a desired-state file is held to,
    /// or names something the plan's starting state does not hold, or repeats another change.
    /// Nothing was sent.
    #[error("the saved plan is refused at changes[{index}] ({action}): {reason}; nothing was sent")]
    PlanChange {
        /// The change's position in the document's `changes`, from 0.
        index: usize,
        /// Its `action` (`add_address`, `remove_address`, `detach`…).
        action: String,
        /// Why.
        reason: String,
    },
    /// The live state is no longer the saved plan's starting state (another writer changed
    /// it). Nothing was written; make a new plan.
    #[error(
        "the live state no longer matches the saved plan ({reason}); nothing was written: make a new plan"
    )]
    Stale {
        /// What differs.
        reason: String,
    },
    /// A saved plan could not be read.
    #[error("not a usable plan document: {reason}")]
    PlanDocument {
        /// Why.
        reason: String,
    },
    /// An export could not be made as asked.
    #[error("cannot export: {reason}")]
    Export {
        /// Why.
        reason: String,
    },
    /// What went wrong in one account of an estate ([`estate`]): planning it, reading its part
    /// of a saved plan, verifying or applying it. The other accounts are unaffected.
    #[error("account {account:?}: {error}")]
    Account {
        /// The account's name in the file (`[accounts.NAME]`).
        account: String,
        /// What went wrong there.
        error: Box<Error>,
    },
    /// Twilio refused an account's credentials (HTTP 401 or 403) on the one cheap read made
    /// before planning or exporting it ([`estate::plan`], [`estate::export()`]); nothing else
    /// was read in that account.
    #[error(
        "Twilio refused the credentials (HTTP {status}) of account {account_sid} in region {} at {host}; the usual causes: {}",
        region.as_deref().unwrap_or("default (us1)"),
        causes.join("; ")
    )]
    Credentials {
        /// The account acted on.
        account_sid: crate::sid::AccountSid,
        /// Its region, if the file gives one.
        region: Option<String>,
        /// The host tried (the Api product's base URL after region and edge routing).
        host: String,
        /// 401 or 403.
        status: u16,
        /// What usually causes it, for this account's settings, most likely first.
        causes: Vec<String>,
    },
}

/// The result type of this module.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Reads the live state and computes the plan that takes it to `desired` (see the module
/// documentation for the reads it costs).
///
/// # Errors
///
/// [`Error::Desired`] when a trunk or SIP domain does not exist or its name matches several,
/// or several live lists share a name the desired state uses; [`Error::Twilio`] when a read
/// fails.
pub async fn plan(client: &Client, desired: &Desired) -> Result<Plan> {
    plan_with(client, desired, ReadOptions::default()).await
}

/// How [`plan_with`] plans: how it reads the live state, and whether it prunes.
///
/// A [`ReadOptions`] converts into one that does not prune, so `plan_with(client, desired,
/// ReadOptions::default())` reads as before.
///
/// ```
/// use twilio_ip_access::allowlist::{PlanOptions, ReadOptions};
///
/// let options = PlanOptions::default().prune(true);
/// assert!(options.get_prune());
/// assert!(!PlanOptions::from(ReadOptions::default().concurrency(8)).get_prune());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanOptions {
    reads: ReadOptions,
    prune: bool,
}

impl PlanOptions {
    /// How the live state is read (default [`ReadOptions::default`]).
    #[must_use]
    pub fn read_options(mut self, reads: ReadOptions) -> Self {
        self.reads = reads;
        self
    }

    /// Prune (default `false`): also detach and delete every list whose `FriendlyName` starts
    /// with the desired state's [`prune_prefix`](Desired::prune_prefix) and that it does not
    /// name (nor is a part of a split list it names). Their addresses go with them, and
    /// count toward the removal guards of [`Plan::check`].
    #[must_use]
    pub fn prune(mut self, prune: bool) -> Self {
        self.prune = prune;
        self
    }

    /// How the live state is read.
    pub fn get_read_options(&self) -> ReadOptions {
        self.reads
    }

    /// Whether the plan prunes.
    pub fn get_prune(&self) -> bool {
        self.prune
    }
}

impl From<ReadOptions> for PlanOptions {
    fn from(reads: ReadOptions) -> Self {
        PlanOptions::default().read_options(reads)
    }
}

/// [`plan`], as `options` say: how the live state is read, and whether the plan prunes the
/// lists named with the desired state's [`prune_prefix`](Desired::prune_prefix) that it does
/// not name (each such list costs one read more, of its addresses).
///
/// # Errors
///
/// As [`plan`]; and, when pruning, [`Error::Desired`] when the desired state has no
/// `prune_prefix` (naming the file and the key), [`Error::Refused`] when some of its lists were
/// left out ([`Desired::retain_lists`]: the plan could not tell what it names).
pub async fn plan_with(
    client: &Client,
    desired: &Desired,
    options: impl Into<PlanOptions>,
) -> Result<Plan> {
    let options = options.into();
    let prune = if options.prune {
        let Some(prefix) = desired.prune_prefix() else {
            return Err(DesiredError::new(
                desired.file_name(),
                None,
                None,
                None,
                "pruning was asked for (`--prune`, `PlanOptions::prune`), but the file has no `prune_prefix` in `[settings]`: add `[settings]` with `prune_prefix = \"…\"`, the start of the names of the lists the file owns",
            )
            .into());
        };
        if desired.narrowed {
            return Err(Error::Refused {
                reason: "pruning needs every list of the file, and some were left out (`--list`): plan the whole file to prune, or leave pruning out".into(),
            });
        }
        Some(prefix)
    } else {
        None
    };
    // The named lists, the parts of split ones, and when pruning those named with the prefix.
    let wanted = |name: &str| {
        prune.is_some_and(|prefix| name.starts_with(prefix))
            || desired.lists().iter().any(|l| {
                l.name() == name || (l.split() && split::part_number(l.name(), name).is_some())
            })
    };
    reachable(
        client,
        desired.lists().iter().any(|l| l.trunks().next().is_some()),
        desired.byoc().is_some(),
    )?;
    let reads = options.reads;
    let live = live::read(client, Some(&wanted), desired.byoc().is_some(), reads).await?;
    let plan = diff::compute(desired, &live, prune)?;
    sources::check_shrink(desired, &plan)?;
    Ok(plan)
}

/// Refuses trunks and BYOC IP Records for a client acting on a subaccount with its parent's
/// credentials ([`Client::acts_through_parent`]): Twilio's Trunking and Voice APIs would act on
/// the parent. Checked before any request.
pub(crate) fn reachable(client: &Client, trunks: bool, byoc: bool) -> Result<()> {
    if !client.acts_through_parent() {
        return Ok(());
    }
    let what = match (trunks, byoc) {
        (true, _) => "its trunks",
        (false, true) => "its `[byoc]` IP Records",
        (false, false) => return Ok(()),
    };
    Err(Error::Refused {
        reason: format!(
            "account {} is a subaccount reached with its parent's credentials, and {what} cannot be reached that way: {}",
            client.account_sid(),
            accounts::THROUGH_PARENT
        ),
    })
}
