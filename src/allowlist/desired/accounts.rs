//! The `[accounts.NAME]` tables and the `accounts = [...]` of lists, sets and `[byoc]`: checked
//! the same way for a file and a builder. Secrets never live in the file, and a value that
//! looks like one is refused without being repeated in the error.

use super::{DesiredError, Origin};
use crate::allowlist::accounts::{Account, CredentialSource, variable_for};

/// The keys of an `[accounts.NAME]` table.
pub(super) const ACCOUNT_KEYS: [&str; 8] = [
    "account_sid",
    "auth_token_env",
    "api_key_env",
    "api_secret_env",
    "parent",
    "region",
    "edge",
    "base_url",
];

/// Keys that would hold a secret, and the key that names its variable instead.
const SECRET_KEYS: [(&str, &str); 7] = [
    ("auth_token", "auth_token_env"),
    ("token", "auth_token_env"),
    ("password", "auth_token_env"),
    ("api_key", "api_key_env"),
    ("api_secret", "api_secret_env"),
    ("secret", "api_secret_env"),
    ("api_key_secret", "api_secret_env"),
];

/// One `[accounts.NAME]` table as written (or given to the builder).
pub(super) struct RawAccount {
    pub(super) name: String,
    pub(super) origin: Option<Origin>,
    pub(super) fields: Vec<RawField>,
}

impl RawAccount {
    /// An account given in code (a builder, a saved plan): its keys and values, no positions.
    pub(super) fn given(name: String, fields: Vec<(&str, String)>) -> RawAccount {
        RawAccount {
            name,
            origin: None,
            fields: fields
                .into_iter()
                .map(|(key, value)| RawField {
                    key: key.to_owned(),
                    value: Some(value),
                    origin: None,
                })
                .collect(),
        }
    }
}

/// One key of an account's table: its value when it is a string (`None`: another TOML type),
/// and where the key is written (the error's entry is the key, never the value).
pub(super) struct RawField {
    pub(super) key: String,
    pub(super) value: Option<String>,
    pub(super) origin: Option<Origin>,
}

/// `accounts = [...]` of a list, a set or `[byoc]`: the names, each with its position, and the
/// array's position.
#[derive(Clone)]
pub(super) struct RawAccountsUse {
    pub(super) names: Vec<(String, Option<Origin>)>,
    pub(super) origin: Option<Origin>,
}

/// What a value that should name an environment variable looks like, when it looks like a
/// secret instead.
fn looks_secret(value: &str) -> Option<&'static str> {
    let hex32 = |s: &str| s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit());
    if hex32(value) {
        return Some("an auth token (32 hexadecimal digits)");
    }
    if value.strip_prefix("SK").is_some_and(hex32) {
        return Some("an API key SID (`SK` and 32 hexadecimal digits)");
    }
    // Long, in the alphabet of keys and base64, mixing digits and letters, with none of the
    // underscores that separate the words of a variable's name.
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    let letters = value.bytes().filter(u8::is_ascii_alphabetic).count();
    let random = value.len() >= 20
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-'))
        && digits >= 4
        && letters >= 4;
    random.then_some("a secret (long and random-looking)")
}

/// Whether `name` may name an environment variable (`[A-Za-z_][A-Za-z0-9_]*`).
fn is_variable_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Checks an account's name: what `accounts = [...]` and `--account` repeat.
pub(super) fn check_account_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "the account name {name:?} is not 1 to 64 letters, digits, `-` and `_` (such as `us` or `customer-42`)"
        ))
    }
}

/// Checks a base URL as the client does, without repeating it (it might carry credentials).
fn check_base_url(text: &str) -> Result<(), String> {
    let url = url::Url::parse(text).map_err(|e| format!("`base_url` is not a URL ({e})"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "`base_url` must not carry credentials (user:password@): they go in the account's variables"
                .into(),
        );
    }
    if !matches!(url.scheme(), "http" | "https") || url.query().is_some() || url.host().is_none() {
        return Err("`base_url` must be an http(s) URL with a host and no query".into());
    }
    Ok(())
}

/// Checks the accounts a saved plan carries as a file's `[accounts]` are checked (a saved plan
/// is input: it decides which variables are read and where credentials are sent); `what`
/// names the document in the errors.
pub(crate) fn check_saved(what: &str, accounts: &[Account]) -> Result<(), DesiredError> {
    let raw = accounts
        .iter()
        .map(|account| {
            let mut fields = vec![("account_sid", account.account_sid.to_string())];
            match &account.credentials {
                CredentialSource::AuthToken { auth_token_env } => {
                    fields.push(("auth_token_env", auth_token_env.clone()));
                }
                CredentialSource::ApiKey {
                    api_key_env,
                    api_secret_env,
                } => {
                    fields.push(("api_key_env", api_key_env.clone()));
                    fields.push(("api_secret_env", api_secret_env.clone()));
                }
                CredentialSource::Parent { parent } => fields.push(("parent", parent.clone())),
            }
            let optional = [
                ("region", &account.region),
                ("edge", &account.edge),
                ("base_url", &account.base_url),
            ];
            fields.extend(
                optional
                    .into_iter()
                    .filter_map(|(key, value)| value.clone().map(|value| (key, value))),
            );
            RawAccount::given(account.name.clone(), fields)
        })
        .collect();
    let mut errors = Vec::new();
    check_accounts(Some(what), raw, &mut errors);
    if errors.is_empty() {
        return Ok(());
    }
    let first = errors.remove(0);
    Err(first.with(errors))
}

/// The accounts of a file or builder, checked.
pub(super) struct Accounts {
    /// The accounts without a problem, in the order given.
    pub(super) checked: Vec<Account>,
    /// The name of every account given, even one with a problem (so that its uses are not
    /// refused too).
    pub(super) declared: Vec<String>,
}

/// Checks the accounts (before any source is read): every problem goes to `errors`.
pub(super) fn check_accounts(
    file: Option<&str>,
    raw: Vec<RawAccount>,
    errors: &mut Vec<DesiredError>,
) -> Accounts {
    let declared = raw.iter().map(|a| a.name.clone()).collect();
    let mut accounts: Vec<Account> = Vec::with_capacity(raw.len());
    // (name, parent, where `parent` is) of the subaccounts, checked once every account is
    // known.
    let mut parents: Vec<(String, String, Option<Origin>)> = Vec::new();
    let mut seen: Vec<(String, Option<Origin>)> = Vec::new();
    // (account, SID, region or `us1`, base URL) of each account, for the same account twice.
    let mut identities: Vec<(String, String, String, Option<String>)> = Vec::new();
    for account in raw {
        let name = account.name.clone();
        let fail = |origin: Option<&Origin>, entry: Option<String>, reason: String| {
            DesiredError::new(file, origin, None, entry, reason).in_account(&name)
        };
        let before = errors.len();
        if let Err(reason) = check_account_name(&name) {
            errors.push(fail(account.origin.as_ref(), None, reason));
        }
        if let Some((_, earlier)) = seen.iter().find(|(n, _)| *n == name) {
            let also = earlier
                .as_ref()
                .map_or("given earlier".into(), |o| format!("at line {}", o.line));
            errors.push(fail(
                account.origin.as_ref(),
                None,
                format!("the same account twice (also {also})"),
            ));
            continue;
        }
        seen.push((name.clone(), account.origin.clone()));
        let sid_written = account.fields.iter().any(|f| f.key == "account_sid");
        let mut values: Vec<(&str, String, Option<Origin>)> = Vec::new();
        for field in account.fields {
            let key = field.key.as_str();
            let at = field.origin.as_ref();
            let entry = Some(field.key.clone());
            if let Some((_, instead)) = SECRET_KEYS.iter().find(|(k, _)| *k == key) {
                let variable = variable_for(&name, instead);
                errors.push(fail(
                    at,
                    entry,
                    format!(
                        "`{key}` would put a secret in the file, which is refused (its value is not shown): put it in an environment variable, such as {variable}, and write `{instead} = \"{variable}\"`"
                    ),
                ));
                continue;
            }
            let Some(known) = ACCOUNT_KEYS.iter().find(|k| **k == key) else {
                errors.push(fail(
                    at,
                    entry,
                    format!(
                        "unknown key `{key}` (an account has {})",
                        ACCOUNT_KEYS.map(|k| format!("`{k}`")).join(", ")
                    ),
                ));
                continue;
            };
            let Some(value) = field.value else {
                errors.push(fail(at, entry, format!("`{key}` must be a string")));
                continue;
            };
            // Only a variable's name could be mistaken for its value; the other keys are
            // checked for what they are (a name, a label, a URL).
            if key.ends_with("_env")
                && let Some(what) = looks_secret(&value)
            {
                let instead = if key.ends_with("_env") {
                    key
                } else {
                    "auth_token_env"
                };
                let variable = variable_for(&name, instead);
                errors.push(fail(
                    at,
                    entry,
                    format!(
                        "`{key}` holds what looks like {what}, which never lives in the file (the value is not shown): put it in an environment variable, such as {variable}, and write `{instead} = \"{variable}\"`"
                    ),
                ));
                continue;
            }
            let problem = match key {
                "account_sid" => value.parse::<crate::sid::AccountSid>().err().map(|_| {
                    "`account_sid` is not an account SID (`AC` and 32 hexadecimal digits; the value is not shown)".to_owned()
                }),
                k if k.ends_with("_env") && !is_variable_name(&value) => Some(format!(
                    "`{key}` names the environment variable that holds the value; {value:?} is not a variable name (letters, digits and `_`, not starting with a digit)"
                )),
                "region" | "edge" => crate::client::label(key, &value)
                    .err()
                    .map(|e| match e {
                        crate::Error::Config { reason } => reason,
                        other => other.to_string(),
                    }),
                "base_url" => check_base_url(&value).err(),
                _ => None,
            };
            if let Some(reason) = problem {
                errors.push(fail(at, entry, reason));
                continue;
            }
            values.push((known, value, field.origin));
        }
        let take = |key: &str| {
            values
                .iter()
                .find(|(k, _, _)| *k == key)
                .map(|(_, v, o)| (v.clone(), o.clone()))
        };
        let sid = take("account_sid");
        let credentials = match (
            take("auth_token_env"),
            take("api_key_env"),
            take("api_secret_env"),
            take("parent"),
        ) {
            (Some((auth_token_env, _)), None, None, None) => {
                Some(CredentialSource::AuthToken { auth_token_env })
            }
            (None, Some((api_key_env, _)), Some((api_secret_env, _)), None) => {
                Some(CredentialSource::ApiKey {
                    api_key_env,
                    api_secret_env,
                })
            }
            (None, None, None, Some((parent, at))) => {
                parents.push((name.clone(), parent.clone(), at));
                Some(CredentialSource::Parent { parent })
            }
            (token, key, secret, parent) => {
                let given: Vec<&str> = [
                    ("auth_token_env", token.is_some()),
                    ("api_key_env", key.is_some()),
                    ("api_secret_env", secret.is_some()),
                    ("parent", parent.is_some()),
                ]
                .iter()
                .filter(|(_, given)| *given)
                .map(|(k, _)| *k)
                .collect();
                let reason = match given.as_slice() {
                    [] if errors.len() > before => None,
                    [] => Some(format!(
                        "no credentials: write `auth_token_env = \"{}\"` (the environment variable holding its auth token), or `api_key_env` and `api_secret_env` (an API key made in this account and region), or `parent = \"NAME\"` for a subaccount reached with its parent's credentials",
                        variable_for(&name, "auth_token_env")
                    )),
                    ["api_key_env"] => Some("`api_key_env` needs `api_secret_env` (the variable holding the key's secret)".into()),
                    ["api_secret_env"] => Some("`api_secret_env` needs `api_key_env` (the variable holding the key's SID, `SK…`)".into()),
                    given => Some(format!(
                        "give exactly one of `auth_token_env`, `api_key_env` with `api_secret_env`, or `parent`; this account has {}",
                        given.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                    )),
                };
                if let Some(reason) = reason {
                    errors.push(fail(account.origin.as_ref(), None, reason));
                }
                None
            }
        };
        if !sid_written {
            errors.push(fail(
                account.origin.as_ref(),
                None,
                "`account_sid` is missing: the account acted on (`AC…`)".into(),
            ));
        }
        let (Some((sid, sid_at)), Some(credentials)) = (sid, credentials) else {
            continue;
        };
        // Parsed once more: it passed the same check above.
        let (Ok(account_sid), true) = (sid.parse(), errors.len() == before) else {
            continue;
        };
        let region = take("region").map(|(v, _)| v);
        let base_url = take("base_url").map(|(v, _)| v);
        let identity = (
            sid.clone(),
            region.clone().unwrap_or_else(|| "us1".into()),
            base_url.clone(),
        );
        if let Some((other, ..)) = identities
            .iter()
            .find(|(_, s, r, b)| (s, r, b) == (&identity.0, &identity.1, &identity.2))
        {
            errors.push(fail(
                sid_at.as_ref(),
                Some("account_sid".into()),
                format!(
                    "the same account SID in the same region as [accounts.{other}]: one account is planned once (give it one name, and list that name in `accounts = [...]`)"
                ),
            ));
            continue;
        }
        identities.push((name.clone(), identity.0, identity.1, identity.2));
        accounts.push(Account {
            name: name.clone(),
            account_sid,
            credentials,
            region,
            edge: take("edge").map(|(v, _)| v),
            base_url,
        });
    }
    for (name, parent, at) in parents {
        let fail = |reason: String| {
            DesiredError::new(file, at.as_ref(), None, Some("parent".into()), reason)
                .in_account(&name)
        };
        let reason = if parent == name {
            Some("`parent` names the account itself; a subaccount's parent is another account of the file".to_owned())
        } else if !seen.iter().any(|(n, _)| *n == parent) {
            let known: Vec<&str> = seen.iter().map(|(n, _)| n.as_str()).collect();
            Some(format!(
                "`parent` names no account of the file: {parent:?} (the file's accounts: {})",
                known.join(", ")
            ))
        } else if accounts
            .iter()
            .any(|a| a.name == parent && a.parent().is_some())
        {
            Some(format!(
                "the parent {parent:?} is itself a subaccount reached through its parent; name an account with its own credentials"
            ))
        } else {
            None
        };
        if let Some(reason) = reason {
            errors.push(fail(reason));
            accounts.retain(|a| a.name != name);
        }
    }
    Accounts {
        checked: accounts,
        declared,
    }
}

/// The accounts a list, a set or `[byoc]` is given to: `None` for every account of the file,
/// else the names (checked: known, not twice, not an empty array, not without `[accounts]`).
/// `fail` makes the error for a position and entry in that list, set or table.
pub(super) fn check_use(
    accounts_declared: &[String],
    given: Option<RawAccountsUse>,
    fail: impl Fn(Option<&Origin>, Option<String>, String) -> DesiredError,
    errors: &mut Vec<DesiredError>,
) -> Option<Vec<String>> {
    let given = given?;
    if accounts_declared.is_empty() {
        errors.push(fail(
            given.origin.as_ref(),
            None,
            "`accounts` names accounts, but the file has no `[accounts.NAME]` table (without one, the file is for the one account of the environment)".into(),
        ));
        return None;
    }
    if given.names.is_empty() {
        errors.push(fail(
            given.origin.as_ref(),
            None,
            "`accounts = []` gives it to no account; omit it for every account of the file".into(),
        ));
        return None;
    }
    let mut names: Vec<String> = Vec::with_capacity(given.names.len());
    for (name, origin) in given.names {
        let entry = Some(format!("{name:?}"));
        if !accounts_declared.contains(&name) {
            errors.push(fail(
                origin.as_ref(),
                entry,
                format!(
                    "there is no account named {name:?} (the file's accounts: {})",
                    accounts_declared.join(", ")
                ),
            ));
        } else if names.contains(&name) {
            errors.push(fail(
                origin.as_ref(),
                entry,
                "the same account twice".into(),
            ));
        } else {
            names.push(name);
        }
    }
    Some(names)
}

/// The accounts something given to `given` (`None`: every account) reaches.
pub(super) fn reached<'a>(declared: &'a [String], given: &'a Option<Vec<String>>) -> Vec<&'a str> {
    match given {
        Some(names) => names.iter().map(String::as_str).collect(),
        None => declared.iter().map(String::as_str).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_recognised_and_names_are_not() {
        for secret in [
            "0123456789abcdef0123456789abcdef",
            "SK0123456789abcdef0123456789abcdef",
            "dGhpcyBpcyBhIHNlY3JldCB2YWx1ZTEyMzQ1Njc4OQ==",
            "Xk29fLq8ZpW3mN7vB4tR",
        ] {
            assert!(looks_secret(secret).is_some(), "{secret}");
        }
        for name in [
            "US_AUTH_TOKEN",
            "TWILIO_AUTH_TOKEN_2024",
            "IE_API_SECRET",
            "CUSTOMER42",
        ] {
            assert!(looks_secret(name).is_none(), "{name}");
            assert!(is_variable_name(name), "{name}");
        }
        for bad in ["", "1ABC", "US-TOKEN", "US TOKEN", "$US"] {
            assert!(!is_variable_name(bad), "{bad}");
        }
    }
}
