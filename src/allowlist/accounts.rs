//! The accounts of an estate: `[accounts.NAME]` tables of a desired-state file, each naming
//! an account SID, where its credentials are found (environment variables, or its parent
//! account's), and how its requests are routed (region, edge, or one base URL).
//!
//! Secrets never live here: an account names the environment variables that hold them.

use serde::{Deserialize, Serialize};

use crate::sid::AccountSid;

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
}
