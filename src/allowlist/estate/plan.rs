//! Planning every account of an estate at once: each account's credentials checked with one
//! cheap read, then its plan, each account's outcome kept apart from the others'.

use futures_util::future;

use super::super::{
    Account, CredentialSource, Desired, Error, Plan, PlanOptions, Result, Summary, plan_with,
};
use crate::Client;

/// One account to plan: its `[accounts.NAME]` entry, a client that reaches it, and the part of
/// the desired state that is its own ([`Desired::for_account`]).
#[derive(Debug, Clone)]
pub struct EstateAccount {
    /// The account, as the file says.
    pub account: Account,
    /// A client acting on it (for a subaccount with `parent`, signed with the parent's
    /// credentials and [`subaccount`](crate::ClientBuilder::subaccount) set).
    pub client: Client,
    /// What the file gives this account: [`Desired::for_account`] of the file, or the whole
    /// file (with this account among its `[accounts]`), whose part for it is then taken.
    pub desired: Desired,
}

impl EstateAccount {
    /// An account to plan, with its client and its part of the desired state.
    pub fn new(account: Account, client: Client, desired: Desired) -> Self {
        Self {
            account,
            client,
            desired,
        }
    }
}

/// One account of an [`EstatePlan`]: the account and its plan, or why it has none.
#[derive(Debug)]
pub struct AccountPlan {
    pub(super) account: Account,
    pub(super) plan: Result<Plan>,
}

impl AccountPlan {
    /// The account.
    pub fn account(&self) -> &Account {
        &self.account
    }

    /// Its plan, or why it has none: an [`Error::Account`] naming it (credentials refused, a
    /// refusal of the desired state, a failed read).
    pub fn plan(&self) -> std::result::Result<&Plan, &Error> {
        self.plan.as_ref()
    }

    /// Its heading, as the plan's text shows it above the account's plan: `Account "us"
    /// (AC…, region us1, edge ashburn)`, with `region default` when the file gives none, the
    /// base URL when it gives one, and for a subaccount reached with its parent's credentials
    /// `subaccount of "us"`.
    pub fn heading(&self) -> String {
        super::render::Heading(&self.account).to_string()
    }

    /// Why it has no plan, if it has none.
    pub fn error(&self) -> Option<&Error> {
        self.plan.as_ref().err()
    }
}

/// The plans of every account of an estate, in the order the accounts were given (the file's).
/// Made by [`plan`]; saved with [`to_json`](Self::to_json) and read back with
/// [`from_json`](Self::from_json); applied with [`apply`](Self::apply).
///
/// One account's failure (its credentials refused, its desired state refused, a read that
/// failed) is kept with that account and does not stop the others: the plan shows every
/// account, and [`failed`](Self::failed) says which have none. Such a plan cannot be applied
/// nor saved (the plan shown is the plan applied): plan a subset of the accounts instead.
///
/// `Display` groups by account: a header per account, its plan as [`Plan`] shows it (or its
/// error), then one line totalling the estate, `Plan: 3 to add, 0 to change, 1 to remove across
/// 2 accounts.`
///
/// Serialized (serde), it is the estate plan document of [`to_json`](Self::to_json), with an
/// account that failed written as `{"account": {…}, "error": "…"}` (what `plan --json` shows);
/// `to_json` refuses to write that, and `from_json` to read it.
#[derive(Debug)]
pub struct EstatePlan {
    pub(super) accounts: Vec<AccountPlan>,
}

impl EstatePlan {
    /// Every account with its plan or error, in order.
    pub fn accounts(&self) -> &[AccountPlan] {
        &self.accounts
    }

    /// The account named `name`, if the plan covers it.
    pub fn account(&self, name: &str) -> Option<&AccountPlan> {
        self.accounts.iter().find(|a| a.account.name() == name)
    }

    /// The accounts that have no plan, each with its error.
    pub fn failed(&self) -> impl Iterator<Item = &AccountPlan> {
        self.accounts.iter().filter(|a| a.plan.is_err())
    }

    /// The plans made, with their accounts.
    pub fn plans(&self) -> impl Iterator<Item = (&Account, &Plan)> {
        self.accounts
            .iter()
            .filter_map(|a| a.plan.as_ref().ok().map(|plan| (&a.account, plan)))
    }

    /// The changes of every plan made, added up (accounts that failed count nothing).
    pub fn summary(&self) -> Summary {
        super::total(self.plans().map(|(_, plan)| plan.summary()))
    }

    /// Whether no account's plan would change anything. Accounts that failed have no plan:
    /// check [`failed`](Self::failed) too (an estate with a failure is not up to date, merely
    /// unknown there).
    pub fn is_empty(&self) -> bool {
        self.plans().all(|(_, plan)| plan.is_empty())
    }

    /// Whether the plan was read back from a document (and so every account is checked
    /// against its live state before it is applied).
    pub fn is_saved(&self) -> bool {
        self.plans().any(|(_, plan)| plan.is_saved())
    }

    /// The line that ends the plan's text: the changes of every account added up, and the
    /// accounts that failed, if any (`Plan: 3 to add, 0 to change, 1 to remove across 2
    /// accounts.`).
    pub fn total_line(&self) -> String {
        super::render::Total(self).to_string()
    }

    /// Keeps only the accounts named in `names` (`--account`), in the plan's order; no names
    /// keeps them all.
    ///
    /// # Errors
    ///
    /// [`Error::Refused`] naming a name the plan has no account for; the plan is left as it
    /// was.
    pub fn retain_accounts<S: AsRef<str>>(&mut self, names: &[S]) -> Result<()> {
        if let Some(unknown) = names
            .iter()
            .map(AsRef::as_ref)
            .find(|name| self.account(name).is_none())
        {
            let known: Vec<&str> = self.accounts.iter().map(|a| a.account.name()).collect();
            return Err(Error::Refused {
                reason: format!(
                    "the plan has no account named {unknown:?} (it has {})",
                    known.join(", ")
                ),
            });
        }
        if !names.is_empty() {
            self.accounts
                .retain(|a| names.iter().any(|n| n.as_ref() == a.account.name()));
        }
        Ok(())
    }
}

/// Plans every account at once: for each, first one cheap read that checks its credentials
/// (`GET` its SIP IP access control lists with `PageSize=1`), then [`plan_with`] with
/// `options`.
///
/// The accounts are planned concurrently, each reading as `options` say (its own
/// [`ReadOptions`](super::super::ReadOptions) concurrency: Twilio limits concurrency per
/// account). The bound on the requests in flight across all accounts is the one the clients
/// share: build them with one `RequestLimit` so that a large estate does
/// not open thousands of connections at once.
///
/// An account's failure does not stop the others; it is kept with the account as an
/// [`Error::Account`] naming it:
///
/// - its credentials refused (401 or 403): [`Error::Credentials`], naming the account's SID,
///   region, the host tried and the usual causes for its settings;
/// - for a subaccount reached with its parent's credentials (`parent`), a list naming trunks or
///   a `[byoc]` table: refused before any request ([`Error::Refused`]), since Twilio's Trunking
///   and Voice APIs act on the account whose credentials sign;
/// - a client that acts on another account than the file says, or an account name given twice
///   ([`Error::Refused`]);
/// - whatever [`plan_with`] returns.
pub async fn plan(accounts: Vec<EstateAccount>, options: impl Into<PlanOptions>) -> EstatePlan {
    let options = options.into();
    let names: Vec<String> = accounts.iter().map(|a| a.account.name.clone()).collect();
    let all: Vec<Account> = accounts.iter().map(|a| a.account.clone()).collect();
    let accounts = future::join_all(accounts.into_iter().enumerate().map(|(i, a)| {
        let twice = names[..i].contains(&a.account.name);
        let routed = a.account.routed(&all);
        async move {
            let plan = if twice {
                Err(Error::Refused {
                    reason: "the estate names this account twice".into(),
                })
            } else {
                plan_account(&a, &routed, options).await
            };
            AccountPlan {
                plan: plan.map_err(|e| in_account(&a.account, e)),
                account: a.account,
            }
        }
    }))
    .await;
    EstatePlan { accounts }
}

/// `error`, as it happened in `account`.
pub(super) fn in_account(account: &Account, error: Error) -> Error {
    Error::Account {
        account: account.name.clone(),
        error: Box::new(error),
    }
}

/// `routed`: the account as its requests are routed (a subaccount with its parent's region),
/// for the credentials' error.
async fn plan_account(a: &EstateAccount, routed: &Account, options: PlanOptions) -> Result<Plan> {
    if a.client.account_sid() != a.account.account_sid() {
        return Err(Error::Refused {
            reason: format!(
                "the file says account {}, but its client acts on {}",
                a.account.account_sid(),
                a.client.account_sid()
            ),
        });
    }
    let name = a.account.name();
    let projected;
    let desired = match a.desired.accounts() {
        [] => &a.desired,
        // A whole file: its part for this account.
        accounts if accounts.iter().any(|other| other.name() == name) => {
            projected = a.desired.for_account(name);
            &projected
        }
        _ => {
            return Err(Error::Refused {
                reason: format!(
                    "its desired state has `[accounts]` tables, none named {name:?}: give it its part of the file (Desired::for_account)"
                ),
            });
        }
    };
    if a.client.acts_through_parent() != a.account.parent().is_some() {
        return Err(Error::Refused {
            reason: "its client and the file disagree on whether it is reached with its parent's credentials (`parent`)".into(),
        });
    }
    // Before the first request, as `plan_with` checks it.
    super::super::reachable(
        &a.client,
        desired.lists().iter().any(|l| l.trunks().next().is_some()),
        desired.byoc().is_some(),
    )?;
    check_credentials(routed, &a.client).await?;
    plan_with(&a.client, desired, options).await
}

/// One cheap read (one page of one list) tells whether Twilio takes the account's credentials,
/// before the plan's many reads each fail the same way.
pub(super) async fn check_credentials(account: &Account, client: &Client) -> Result<()> {
    let read = client
        .sip_ip_access_control_lists()
        .list()
        .page_size(1)
        .limit(1)
        .send()
        .await;
    match read {
        Ok(_) => Ok(()),
        Err(e) if matches!(e.status(), Some(401 | 403)) => Err(Error::Credentials {
            account_sid: account.account_sid().clone(),
            region: account.region().map(str::to_owned),
            host: client.base_url("api").unwrap_or("?").to_owned(),
            status: e.status().unwrap_or_default(),
            causes: causes(account, e.status() == Some(403)),
        }),
        Err(e) => Err(e.into()),
    }
}

/// What usually makes Twilio refuse these credentials, most likely first.
fn causes(account: &Account, forbidden: bool) -> Vec<String> {
    let mut causes = Vec::new();
    if forbidden {
        causes.push(
            "the credentials are valid but may not read this account's SIP IP access control lists (an API key with restricted permissions, or a suspended account)"
                .to_owned(),
        );
    }
    let region = account.region().unwrap_or("us1");
    match account.credentials() {
        CredentialSource::AuthToken { auth_token_env } => causes.push(format!(
            "`{auth_token_env}` does not hold account {}'s auth token (another account's, or one replaced since)",
            account.account_sid()
        )),
        CredentialSource::ApiKey {
            api_key_env,
            api_secret_env,
        } => causes.push(format!(
            "`{api_key_env}` and `{api_secret_env}` hold an API key made in another region or account: API keys work only in the region they were made in, so make one in region {region} of account {}",
            account.account_sid()
        )),
        CredentialSource::Parent { parent } => causes.push(format!(
            "the credentials of the parent account {parent:?} are refused, or {} is not one of its subaccounts",
            account.account_sid()
        )),
    }
    if account.base_url().is_some() {
        // One URL for every product: neither region nor edge routes its requests.
        return causes;
    }
    match (account.region(), account.edge()) {
        (Some(region), None) if region != "us1" => causes.push(format!(
            "region {region} is set without an edge: Twilio's legacy host for it (api.{region}.twilio.com) stopped working on 2026-04-28; set `edge` (`dublin` for ie1, `sydney` for au1)"
        )),
        (None, Some(edge)) => causes.push(format!(
            "edge {edge} is set without a region, so the region is us1: set `region` to the region the credentials were made in"
        )),
        _ => {}
    }
    causes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(json: serde_json::Value) -> Account {
        let mut fields = serde_json::json!({
            "name": "ie", "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        });
        fields
            .as_object_mut()
            .unwrap()
            .extend(json.as_object().unwrap().clone());
        serde_json::from_value(fields).unwrap()
    }

    #[test]
    fn the_usual_causes_follow_the_account_settings() {
        let token = account(serde_json::json!({"auth_token_env": "IE_TOKEN", "edge": "dublin"}));
        let causes = causes(&token, false);
        assert_eq!(causes.len(), 2, "{causes:#?}");
        assert!(causes[0].starts_with(
            "`IE_TOKEN` does not hold account ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa's auth token"
        ));
        assert!(causes[1].starts_with("edge dublin is set without a region, so the region is us1"));

        let forbidden = account(serde_json::json!({"parent": "us", "region": "us1"}));
        let causes = super::causes(&forbidden, true);
        assert_eq!(causes.len(), 2, "us1 needs no edge: {causes:#?}");
        assert!(causes[0].starts_with("the credentials are valid but may not read"));
        assert!(causes[1].starts_with("the credentials of the parent account \"us\" are refused"));

        // One base URL for every product: neither region nor edge is the cause.
        let proxied = account(serde_json::json!({
            "api_key_env": "K", "api_secret_env": "S", "region": "au1", "base_url": "http://127.0.0.1:1",
        }));
        let causes = super::causes(&proxied, false);
        assert_eq!(causes.len(), 1, "{causes:#?}");
        assert!(causes[0].contains("make one in region au1 of account"));
    }
}
