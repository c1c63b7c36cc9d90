//! Writing a desired state back as TOML that reads back to the same state.

use std::net::Ipv4Addr;

use super::{Desired, validate::parse_cidr};
use crate::allowlist::{CredentialSource, target::TargetKind};

impl Desired {
    /// The desired state as a TOML file that [`from_toml`](Self::from_toml) reads back to the
    /// same lists and `[byoc]` records: one address or record per line, written the shortest
    /// way that keeps its name (`"198.51.100.7"` when the name is the address, else
    /// `{ ip = "…", name = "…" }`, with `sip_domain` for a record that has one). Its
    /// `[accounts.NAME]` tables name the variables of their credentials, never a secret; its
    /// lists and `[byoc]` say their `accounts` when they have them.
    pub fn to_toml(&self) -> String {
        let mut out = String::from(
            "# Desired state of Twilio IP access control lists, for `twilio-allowlist plan -f FILE`.\n\
             # Each list named here gets exactly these addresses, trunks and SIP domains;\n\
             # with [byoc], the account gets exactly these IP Records and Source IP Mappings.\n",
        );
        for note in &self.notes {
            out.push_str("# note: ");
            out.push_str(&note.replace('\n', " "));
            out.push('\n');
        }
        if let Some(prefix) = &self.prune_prefix {
            out.push_str(&format!("\n[settings]\nprune_prefix = {}\n", quote(prefix)));
        }
        for account in &self.accounts {
            out.push_str(&format!("\n[accounts.{}]\n", key(account.name())));
            out.push_str(&format!(
                "account_sid = {}\n",
                quote(account.account_sid().as_str())
            ));
            let credentials: &[(&str, &str)] = match account.credentials() {
                CredentialSource::AuthToken { auth_token_env } => {
                    &[("auth_token_env", auth_token_env)]
                }
                CredentialSource::ApiKey {
                    api_key_env,
                    api_secret_env,
                } => &[
                    ("api_key_env", api_key_env),
                    ("api_secret_env", api_secret_env),
                ],
                CredentialSource::Parent { parent } => &[("parent", parent)],
            };
            let routing = [
                ("region", account.region()),
                ("edge", account.edge()),
                ("base_url", account.base_url()),
            ];
            for (name, value) in credentials
                .iter()
                .map(|(k, v)| (*k, Some(*v)))
                .chain(routing)
            {
                if let Some(value) = value {
                    out.push_str(&format!("{name} = {}\n", quote(value)));
                }
            }
        }
        for list in &self.lists {
            match &list.table {
                Some(table) => out.push_str(&format!(
                    "\n[lists.{}]\nname = {}\n",
                    key(table),
                    quote(&list.name)
                )),
                None => out.push_str(&format!("\n[lists.{}]\n", key(&list.name))),
            }
            if let Some(accounts) = &list.accounts {
                out.push_str(&accounts_line(accounts));
            }
            if list.addresses.is_empty() {
                out.push_str("addresses = []\n");
            } else {
                out.push_str("addresses = [\n");
                for address in &list.addresses {
                    out.push_str(&entry(address.ip, address.prefix, &address.name, None));
                }
                out.push_str("]\n");
            }
            if list.split {
                out.push_str("split = true\n");
            }
            for kind in TargetKind::ALL {
                let items: Vec<String> = list.references(kind).map(|r| quote(&r.text)).collect();
                out.push_str(&format!("{} = [{}]\n", kind.file_key(), items.join(", ")));
            }
        }
        if let Some(records) = &self.byoc {
            out.push_str("\n[byoc]\n");
            if let Some(accounts) = &self.byoc_accounts {
                out.push_str(&accounts_line(accounts));
            }
            if records.is_empty() {
                out.push_str("ip_records = []\n");
            } else {
                out.push_str("ip_records = [\n");
                for record in records {
                    let domain = record.sip_domain.as_ref().map(|r| r.text.as_str());
                    out.push_str(&entry(record.ip, record.prefix, &record.name, domain));
                }
                out.push_str("]\n");
            }
        }
        out
    }
}

/// One line of an `addresses` or `ip_records` array, written the shortest way that keeps its
/// name (and SIP domain).
fn entry(ip: Ipv4Addr, prefix: u8, name: &str, sip_domain: Option<&str>) -> String {
    let short = if prefix == 32 {
        ip.to_string()
    } else {
        format!("{ip}/{prefix}")
    };
    let mut out = String::from("  ");
    if parse_cidr(name).ok() == Some((ip, prefix)) && sip_domain.is_none() {
        out.push_str(&quote(name));
    } else {
        out.push_str(&format!(
            "{{ ip = {}, name = {}",
            quote(&short),
            quote(name)
        ));
        if let Some(domain) = sip_domain {
            out.push_str(&format!(", sip_domain = {}", quote(domain)));
        }
        out.push_str(" }");
    }
    out.push(',');
    if (ip, prefix) == (Ipv4Addr::UNSPECIFIED, 32) {
        // What a `/0` entry made elsewhere became: worth a word to the reader.
        out.push_str(
            " # Twilio stores a /0 entry as this /32 (0.0.0.0 only); to allow every address write \"0.0.0.0/1\" and \"128.0.0.0/1\"",
        );
    }
    out.push('\n');
    out
}

/// `accounts = ["us", "ie"]`.
fn accounts_line(accounts: &[String]) -> String {
    let names: Vec<String> = accounts.iter().map(|a| quote(a)).collect();
    format!("accounts = [{}]\n", names.join(", "))
}

/// A TOML key: bare when it can be, else quoted.
fn key(text: &str) -> String {
    let bare = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare { text.to_owned() } else { quote(text) }
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_round_trips() {
        for text in [
            "plain",
            "with \"quotes\"",
            "back\\slash",
            "tab\there",
            "é ü 中",
            "\u{7f}",
        ] {
            let toml = format!("x = {}", quote(text));
            let value: toml::Table = toml::from_str(&toml).unwrap();
            assert_eq!(value["x"].as_str(), Some(text), "{toml}");
        }
    }
}
