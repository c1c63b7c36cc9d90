//! Several accounts in one file (an estate): every account planned at once, one plan shown
//! and saved for all, applied account by account, and exported as one file.
//!
//! A desired-state file with `[accounts.NAME]` tables names the accounts (their SIDs, the
//! environment variables holding their credentials, their region, edge or base URL), and its
//! lists, sets and `[byoc]` say which accounts they are for (`accounts = [...]`; every account
//! when omitted). For each account, [`Account::client_builder`](super::Account::client_builder)
//! makes its client and [`Desired::for_account`](super::Desired::for_account) its part of the
//! file; [`plan`] plans them all; [`EstatePlan::apply`] applies them. A file without
//! `[accounts]` is not an estate: it is one account from the environment, planned with
//! [`allowlist::plan`](super::plan) and saved as a version 4 plan document, as before.
//!
//! ```
//! # #[cfg(not(feature = "mock"))] fn main() {}
//! # #[cfg(feature = "mock")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::collections::BTreeMap;
//! use twilio_ip_access::{
//!     allowlist::{ApplyOptions, Desired, EstateAccount, PlanOptions, estate},
//!     mock::MockTwilio,
//! };
//!
//! // Two emulators standing for two regions.
//! let (us, ie) = (MockTwilio::start().await, MockTwilio::start().await);
//! let file = Desired::from_toml(&format!(r#"
//!     [accounts.us]
//!     account_sid = "{}"
//!     auth_token_env = "US_AUTH_TOKEN"
//!     base_url = "{}"
//!
//!     [accounts.ie]
//!     account_sid = "{}"
//!     auth_token_env = "IE_AUTH_TOKEN"
//!     region = "ie1"
//!     edge = "dublin"
//!     base_url = "{}"
//!
//!     [lists."carrier"]                 # for every account
//!     addresses = ["198.51.100.0/24"]
//!     trunks = []
//!     sip_domains = []
//! "#, us.account_sid(), us.base_url(), ie.account_sid(), ie.base_url()), "estate.toml")?;
//!
//! // The secrets come from the environment (here, a stand-in for it).
//! let env = |name: &str| match name {
//!     "US_AUTH_TOKEN" => Some(us.auth_token().to_owned()),
//!     "IE_AUTH_TOKEN" => Some(ie.auth_token().to_owned()),
//!     _ => None,
//! };
//! // One bound on the requests in flight, shared by every account's client.
//! let limit = twilio_ip_access::RequestLimit::default();
//! let mut clients = BTreeMap::new();
//! let mut accounts = Vec::new();
//! for account in file.accounts() {
//!     let builder = account.client_builder(file.accounts(), env)?;
//!     let client = builder.request_limit(limit.clone()).build()?;
//!     clients.insert(account.name().to_owned(), client.clone());
//!     accounts.push(EstateAccount::new(account.clone(), client, file.for_account(account.name())));
//! }
//!
//! let plan = estate::plan(accounts, PlanOptions::default()).await;
//! assert_eq!(plan.failed().count(), 0);
//! assert!(plan.to_string().ends_with("Plan: 4 to add, 0 to change, 0 to remove across 2 accounts.\n"));
//! println!("{plan}");
//!
//! // Saved and read back (as `plan -o PLAN.json` and `apply PLAN.json` do), then applied.
//! let saved = estate::EstatePlan::from_json(&plan.to_json()?)?;
//! let report = saved.apply(&clients, ApplyOptions::default()).await?;
//! assert!(report.is_complete());
//! assert_eq!(report.done.add, 4);
//! # Ok(()) }
//! ```
//!
//! # Planning
//!
//! Every account is planned at once, each reading with its own
//! [`ReadOptions`](super::ReadOptions) concurrency (Twilio limits concurrency per account);
//! the bound on requests in flight across all accounts is the one their clients share: give
//! every client the same [`RequestLimit`](crate::RequestLimit) (its default bound is
//! [`DEFAULT_ESTATE_REQUESTS_IN_FLIGHT`](crate::DEFAULT_ESTATE_REQUESTS_IN_FLIGHT), 256;
//! clients without one are not bounded together). Before its plan, each account's
//! credentials are tried with one cheap read (`GET` its SIP IP access control lists with
//! `PageSize=1`): a 401 or 403 is [`Error::Credentials`](super::Error::Credentials), naming
//! the account, its SID, region, the host tried and what usually causes it for its settings
//! (the credentials variable holding another account's token, an API key made in another
//! region, a region without an edge, whose legacy host stopped working on 2026-04-28, an edge
//! without a region). An account's failure is kept with it ([`Error::Account`](super::Error::Account)
//! names it) and does not stop the others: the plan shows every account.
//!
//! A subaccount reached with its parent's credentials (`parent = "NAME"`) has its SID in the
//! Api 2010 paths, so its lists and their SIP domain mappings are managed as any account's;
//! but Twilio's Trunking and Voice APIs act on the account whose credentials sign, so a list of
//! that account naming trunks, or `[byoc]` given to it, is refused before any request, saying
//! to give the account its own credentials instead. Its lists' trunk associations are left
//! alone, and its plan says so.
//!
//! # The plan document
//!
//! [`EstatePlan::to_json`] writes `{"format_version": 5, "accounts": [{"account": {…},
//! "plan": {…}}]}`: each account as the file says (credential variable names, never a
//! secret), so that applying the saved plan can reach every account, and its plan as a
//! single account's plan document (version 4), with its starting state.
//! [`EstatePlan::from_json`] reads and verifies each account's plan as
//! [`Plan::from_json`](super::Plan::from_json) does (an error names the account), and refuses
//! a single account's document, as `Plan::from_json` refuses an estate's, naming the reader to
//! use. A plan in which an account failed cannot be saved. [`estate_plan_schema`] is its JSON
//! Schema.
//!
//! # Applying
//!
//! Like terraform, the plan shown is the plan applied: nothing is written to any account if
//! any account failed to plan, has no client, fails its guards ([`Plan::check`](super::Plan::check)),
//! or, for a saved plan, has a live state that is no longer its starting state (every account
//! is verified before any is written; the error names the account). Then the accounts are
//! applied at once and independently, each as [`Plan::apply`](super::Plan::apply) applies one:
//! a failed change in one account stops that account's later steps, never another's. The
//! [`EstateReport`] groups the reports by account.
//!
//! # Exporting
//!
//! [`export()`] exports several accounts at once into one desired state with their
//! `[accounts.NAME]` tables and each list given to its account, so that planning it again shows
//! no changes.

mod apply;
mod document;
mod export;
mod plan;
mod render;

pub use apply::{AccountReport, EstateReport};
pub use document::ESTATE_FORMAT_VERSION;
#[cfg(feature = "schemars")]
#[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
pub use document::estate_plan_schema;
pub(crate) use document::estate_refusal;
pub use export::export;
pub use plan::{AccountPlan, EstateAccount, EstatePlan, plan};

use super::Summary;

/// Several summaries added up.
fn total(summaries: impl Iterator<Item = Summary>) -> Summary {
    summaries.fold(Summary::default(), |total, s| Summary {
        add: total.add + s.add,
        change: total.change + s.change,
        remove: total.remove + s.remove,
    })
}
