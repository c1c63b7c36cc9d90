//! Credentials: HTTP Basic with an account SID and auth token, or an API key and its secret.
//!
//! Secrets are [`SecretString`]s: they are never printed by `Debug` and are exposed only to build
//! the `Authorization` header, which is itself marked sensitive.

use std::fmt;

use base64::Engine;
use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::{
    error::{Error, Result},
    sid::{AccountSid, ApiKeySid, Sid, SidKind},
};

/// How requests authenticate.
///
/// ```
/// use twilio_ip_access::Credentials;
///
/// let creds = Credentials::auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "secret-token")?;
/// assert_eq!(creds.account_sid().as_str(), "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
/// assert!(!format!("{creds:?}").contains("secret-token"));
/// # Ok::<(), twilio_ip_access::Error>(())
/// ```
#[derive(Clone)]
pub enum Credentials {
    /// `AccountSid:AuthToken`.
    AuthToken {
        /// The account, which is also the Basic-auth user name.
        account_sid: AccountSid,
        /// The account's auth token.
        auth_token: SecretString,
    },
    /// `ApiKeySid:ApiKeySecret`, acting on `account_sid`.
    ApiKey {
        /// The account the key belongs to; it fills `{AccountSid}` in 2010 paths.
        account_sid: AccountSid,
        /// The API key SID (`SK…`), the Basic-auth user name.
        key_sid: ApiKeySid,
        /// The API key's secret.
        secret: SecretString,
    },
}

impl Credentials {
    /// Account SID and auth token.
    pub fn auth_token(account_sid: &str, auth_token: impl Into<String>) -> Result<Self> {
        let auth_token = secret("auth token", auth_token.into())?;
        Ok(Credentials::AuthToken {
            account_sid: account(account_sid)?,
            auth_token,
        })
    }

    /// API key SID, its secret, and the account it acts on.
    pub fn api_key(
        account_sid: &str,
        key_sid: &str,
        secret_value: impl Into<String>,
    ) -> Result<Self> {
        let key_sid = Sid::<crate::sid::kind::ApiKey>::new(key_sid)
            .map_err(|e| Error::config(format!("API key: {e}")))?;
        Ok(Credentials::ApiKey {
            account_sid: account(account_sid)?,
            key_sid,
            secret: secret("API key secret", secret_value.into())?,
        })
    }

    /// The account requests act on.
    pub fn account_sid(&self) -> &AccountSid {
        match self {
            Credentials::AuthToken { account_sid, .. }
            | Credentials::ApiKey { account_sid, .. } => account_sid,
        }
    }

    /// The `Authorization` header value, marked sensitive so that it is redacted from logs.
    pub(crate) fn header(&self) -> HeaderValue {
        let (user, password) = match self {
            Credentials::AuthToken {
                account_sid,
                auth_token,
            } => (account_sid.as_str(), auth_token.expose_secret()),
            Credentials::ApiKey {
                key_sid, secret, ..
            } => (key_sid.as_str(), secret.expose_secret()),
        };
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        // Base64 is always a valid header value.
        let mut value = HeaderValue::from_str(&format!("Basic {encoded}"))
            .unwrap_or(HeaderValue::from_static("Basic"));
        value.set_sensitive(true);
        value
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::AuthToken { account_sid, .. } => f
                .debug_struct("AuthToken")
                .field("account_sid", account_sid)
                .field("auth_token", &"** redacted **")
                .finish(),
            Credentials::ApiKey {
                account_sid,
                key_sid,
                ..
            } => f
                .debug_struct("ApiKey")
                .field("account_sid", account_sid)
                .field("key_sid", key_sid)
                .field("secret", &"** redacted **")
                .finish(),
        }
    }
}

fn account(value: &str) -> Result<AccountSid> {
    if value.starts_with(crate::sid::kind::ApiKey::PREFIX) {
        return Err(Error::config(
            "the account SID is an API key SID (SK…); pass the key with `api_key(..)` \
             (TWILIO_API_KEY) and the account SID (AC…) separately",
        ));
    }
    AccountSid::new(value).map_err(|e| Error::config(format!("account SID: {e}")))
}

fn secret(what: &str, value: String) -> Result<SecretString> {
    if value.trim().is_empty() {
        return Err(Error::config(format!("the {what} is empty")));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(Error::config(format!(
            "the {what} contains control characters"
        )));
    }
    Ok(SecretString::from(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_basic_and_sensitive() {
        let creds = Credentials::auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "tok").unwrap();
        let header = creds.header();
        assert!(header.is_sensitive());
        // base64("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:tok")
        assert_eq!(
            header.to_str().unwrap(),
            "Basic QUNhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYTp0b2s="
        );
        assert!(!format!("{header:?}").contains("QUNh"));
    }

    #[test]
    fn api_key_as_account_is_a_config_error() {
        let err = Credentials::auth_token("SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "tok").unwrap_err();
        assert!(matches!(err, Error::Config { .. }));
        assert!(err.to_string().contains("API key SID (SK…)"), "{err}");
    }

    #[test]
    fn debug_redacts_secrets() {
        let creds = Credentials::api_key(
            "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
            "very-secret",
        )
        .unwrap();
        let shown = format!("{creds:?} {creds:#?}");
        assert!(!shown.contains("very-secret"), "{shown}");
        assert!(shown.contains("** redacted **"));
        assert!(shown.contains("SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"));
    }
}
