//! The accounts of an estate: `[accounts.NAME]` tables of a desired-state file, each naming
//! an account SID, where its credentials are found (environment variables, or its parent
//! account's), and how its requests are routed (region, edge, or one base URL).
//!
//! Secrets never live here: an account names the environment variables that hold them.

use serde::{Deserialize, Serialize};

use crate::{
    Client, ClientBuilder, Error,
    sid::{AccountSid, ApiKeySid},
};

/// Where an account's credentials come from. Never the secret itself: the names of the
/// environment variables that hold it, or the account whose credentials are used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(untagged, deny_unknown_fields)]
pub enum CredentialSource {
    /// `auth_token_env = "VAR"`: the account's auth token is in this environment variable.
    AuthToken {
        /// The environment variable holding the auth token.
        auth_token_env: String,
    },
    /// `api_key_env = "VAR"` and `api_secret_env = "VAR"`: an API key (`SK…`) and its secret,
    /// made in this account (and in its region), are in these environment variables.
    ApiKey {
        /// The environment variable holding the API key SID (`SK…`).
        api_key_env: String,
        /// The environment variable holding the API key's secret.
        api_secret_env: String,
    },
    /// `parent = "NAME"`: a subaccount, reached with the credentials of the account the file
    /// names `NAME`. Twilio's Api 2010 paths take the subaccount's SID; its Trunking and Voice
    /// APIs act on the account whose credentials sign the request, so trunks and BYOC IP
    /// Records of a subaccount need its own credentials.
    Parent {
        /// The name of the parent account in the file (`[accounts.NAME]`).
        parent: String,
    },
}

/// One account of an estate, as `[accounts.NAME]` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Account {
    /// The account's name in the file (`[accounts.NAME]`), which lists, sets and `[byoc]`
    /// name in their `accounts = [...]`.
    pub(crate) name: String,
    /// The account acted on (`AC…`).
    pub(crate) account_sid: AccountSid,
    /// Where its credentials come from.
    #[serde(flatten)]
    pub(crate) credentials: CredentialSource,
    /// Twilio's region (`us1`, `ie1`, `au1`), if not the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) region: Option<String>,
    /// Twilio's edge location (`dublin`, `sydney`…), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) edge: Option<String>,
    /// One base URL for every product of this account (an emulator, a proxy), instead of
    /// Twilio's hosts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) base_url: Option<String>,
}

impl Account {
    /// Its name in the file (`[accounts.NAME]`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The account acted on.
    pub fn account_sid(&self) -> &AccountSid {
        &self.account_sid
    }

    /// Where its credentials come from.
    pub fn credentials(&self) -> &CredentialSource {
        &self.credentials
    }

    /// Its region, if the file gives one.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// Its edge location, if the file gives one.
    pub fn edge(&self) -> Option<&str> {
        self.edge.as_deref()
    }

    /// The one base URL of its requests, if the file gives one.
    pub fn base_url(&self) -> Option<&str> {
        self.base_url.as_deref()
    }

    /// The parent account's name, for a subaccount reached with its parent's credentials.
    pub fn parent(&self) -> Option<&str> {
        match &self.credentials {
            CredentialSource::Parent { parent } => Some(parent),
            _ => None,
        }
    }

    /// An account whose credentials are not known yet, as `export` writes it: its auth token
    /// in a variable named after the account (`us` → `US_AUTH_TOKEN`), which the user sets (or
    /// renames in the file). Never a secret.
    pub fn placeholder(name: impl Into<String>, account_sid: AccountSid) -> Account {
        let name = name.into();
        Account {
            credentials: CredentialSource::AuthToken {
                auth_token_env: variable_for(&name, "auth_token_env"),
            },
            name,
            account_sid,
            region: None,
            edge: None,
            base_url: None,
        }
    }

    /// The same account, in `region` (`ie1`, `au1`…).
    pub fn with_region(mut self, region: impl Into<String>) -> Account {
        self.region = Some(region.into());
        self
    }

    /// The same account, through the edge location `edge` (`dublin`, `sydney`…).
    pub fn with_edge(mut self, edge: impl Into<String>) -> Account {
        self.edge = Some(edge.into());
        self
    }

    /// The same account, with every product at one base URL (an emulator, a proxy).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Account {
        self.base_url = Some(base_url.into());
        self
    }

    /// A client builder for this account, its credentials read with `env` (`std::env::var`
    /// in a program; a map in a test): the auth token, or the API key and its secret, from the
    /// variables the account names; for a subaccount (`parent`), its parent's credentials
    /// (found in `accounts`, the file's accounts) with [`ClientBuilder::subaccount`]. Its
    /// region, edge and base URL are applied (a subaccount's own where it gives them, else its
    /// parent's). The builder takes further settings (retry policy, timeouts) before `build`.
    ///
    /// A subaccount's client acts on the subaccount in Api 2010 paths (SIP domains, IP access
    /// control lists), but Trunking and Voice (trunks, BYOC) act on the parent, whose
    /// credentials sign: see [`ClientBuilder::subaccount`].
    ///
    /// ```
    /// use twilio_ip_access::allowlist::Desired;
    ///
    /// let file = "[accounts.us]\naccount_sid = \"ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\nauth_token_env = \"US_AUTH_TOKEN\"\nregion = \"us1\"\n";
    /// let desired = Desired::from_toml(file, "estate.toml")?;
    /// let us = desired.account("us").unwrap();
    /// let env = |name: &str| (name == "US_AUTH_TOKEN").then(|| "the token".to_owned());
    /// let client = us.client_builder(desired.accounts(), env)?.build()?;
    /// assert_eq!(client.account_sid().as_str(), "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    /// let err = us.client_builder(desired.accounts(), |_| None).unwrap_err();
    /// assert!(err.to_string().contains("account \"us\": the environment variable US_AUTH_TOKEN is not set"), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Config`], naming the account and the variable (never its value): a variable
    /// unset or empty, a variable meant for an API key that does not hold an `SK…` SID, a
    /// parent that is not among `accounts` or is itself a subaccount.
    pub fn client_builder(
        &self,
        accounts: &[Account],
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<ClientBuilder, Error> {
        self.builder_with(accounts, &env)
    }

    fn builder_with(
        &self,
        accounts: &[Account],
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<ClientBuilder, Error> {
        let name = &self.name;
        let get = |variable: &str, what: &str| {
            env(variable).filter(|v| !v.is_empty()).ok_or_else(|| {
                Error::config(format!(
                    "account {name:?}: the environment variable {variable} is not set or is empty; set it to {what}"
                ))
            })
        };
        let builder = match &self.credentials {
            CredentialSource::AuthToken { auth_token_env } => Client::builder()
                .account_sid(self.account_sid.as_str())
                .auth_token(get(auth_token_env, "the account's auth token")?),
            CredentialSource::ApiKey {
                api_key_env,
                api_secret_env,
            } => {
                let key = get(
                    api_key_env,
                    "the SID (SK…) of an API key made in the account",
                )?;
                if key.parse::<ApiKeySid>().is_err() {
                    return Err(Error::config(format!(
                        "account {name:?}: the environment variable {api_key_env} does not hold an API key SID (`SK` and 32 hexadecimal digits; the value is not shown)"
                    )));
                }
                Client::builder()
                    .account_sid(self.account_sid.as_str())
                    .api_key(key, get(api_secret_env, "the API key's secret")?)
            }
            CredentialSource::Parent { parent } => {
                let found = accounts.iter().find(|a| a.name == *parent).ok_or_else(|| {
                    Error::config(format!(
                        "account {name:?}: its parent {parent:?} is not among the accounts given"
                    ))
                })?;
                if found.parent().is_some() {
                    return Err(Error::config(format!(
                        "account {name:?}: its parent {parent:?} is itself a subaccount; a parent signs with its own credentials"
                    )));
                }
                found
                    .builder_with(accounts, env)?
                    .subaccount(self.account_sid.as_str())
            }
        };
        let mut builder = builder;
        if let Some(region) = &self.region {
            builder = builder.region(region);
        }
        if let Some(edge) = &self.edge {
            builder = builder.edge(edge);
        }
        if let Some(url) = &self.base_url {
            builder = builder.base_url(url);
        }
        Ok(builder)
    }

    /// The account as its requests are routed: a subaccount that gives no `region`, `edge` or
    /// `base_url` takes its parent's (found in `accounts`), as its client does.
    pub(crate) fn routed(&self, accounts: &[Account]) -> Account {
        let parent = self
            .parent()
            .and_then(|parent| accounts.iter().find(|a| a.name == parent));
        let Some(parent) = parent else {
            return self.clone();
        };
        let or_parents = |own: &Option<String>, parents: &Option<String>| {
            own.clone().or_else(|| parents.clone())
        };
        Account {
            region: or_parents(&self.region, &parent.region),
            edge: or_parents(&self.edge, &parent.edge),
            base_url: or_parents(&self.base_url, &parent.base_url),
            ..self.clone()
        }
    }
}

/// Refuses a subaccount reached with its parent's credentials among `accounts` without that
/// parent: what is saved or exported of it could not reach it again.
pub(crate) fn parents_present<'a>(
    accounts: impl Iterator<Item = &'a Account> + Clone,
) -> Result<(), String> {
    let all = accounts.clone();
    let missing = accounts
        .filter_map(|a| a.parent().map(|parent| (a.name(), parent)))
        .find(|(_, parent)| !all.clone().any(|a| a.name() == *parent));
    match missing {
        None => Ok(()),
        Some((account, parent)) => Err(format!(
            "account {account:?} is reached with the credentials of its parent {parent:?}, which is left out: take {parent:?} too (`--account {parent}`), so that what is written can reach {account:?}"
        )),
    }
}

/// The environment variable an account's value is suggested in: `us` and `auth_token_env` →
/// `US_AUTH_TOKEN` (letters upper-cased, other characters `_`; `TWILIO_` first when the name
/// starts with a digit).
pub(crate) fn variable_for(account: &str, key: &str) -> String {
    let mut prefix: String = account
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    if !prefix.starts_with(|c: char| c.is_ascii_alphabetic()) {
        prefix.insert_str(0, "TWILIO_");
    }
    let what = key.trim_end_matches("_env").to_ascii_uppercase();
    format!("{prefix}_{what}")
}

/// Why a subaccount reached with its parent's credentials can have neither trunks nor BYOC IP
/// Records, and what to configure instead.
pub(crate) const THROUGH_PARENT: &str = "Twilio's Trunking and Voice APIs act on the account whose credentials sign, so with its parent's credentials they would act on the parent: give the account its own credentials (`auth_token_env`, or `api_key_env` and `api_secret_env` of an API key made in the subaccount)";
