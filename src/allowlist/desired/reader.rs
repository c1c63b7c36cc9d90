//! Reading a desired-state file, with the line, column and text of every entry for the
//! errors.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{
    Desired, DesiredError, Origin, Reference,
    accounts::{Accounts, RawAccount, RawAccountsUse, RawField, check_accounts},
    validate::{
        RawAddress, RawByoc, RawEntry, RawIpRecord, RawList, RawSet, check_prune_prefix, validate,
        with_earlier,
    },
};
use crate::allowlist::{sources::Source, target::TargetKind};

impl Desired {
    /// Reads a desired-state file (see the module documentation for the format). `file_name`
    /// is only used in error messages.
    ///
    /// # Errors
    ///
    /// Every problem found ([`DesiredError::errors`]; the first is the error's own), each with
    /// the file, line, column and entry: an unknown or missing key, an invalid IPv4 address or
    /// prefix, `/0`, host bits set in a range, the same entry twice, more than 100 addresses, a
    /// name that is empty or over 255 characters; in `[byoc]`, a missing `ip_records`, the same
    /// IP Record twice, an empty `sip_domain`; in `[accounts.NAME]` and `accounts = [...]`, what
    /// the [module documentation](crate::allowlist#several-accounts) lists (a value that looks
    /// like a secret is never shown). TOML syntax stops at the first error. A file with
    /// sources (`{ dns = … }`, `{ file = … }`, `{ url = … }`) is read with
    /// [`from_toml_with_sources`](Self::from_toml_with_sources); here it is refused.
    pub fn from_toml(text: &str, file_name: impl Into<String>) -> Result<Desired, DesiredError> {
        let file = file_name.into();
        Self::parse(text, &file)?.check(file)
    }

    /// The accounts of a desired-state file (`[accounts.NAME]`, in the file's order; empty
    /// for a file of the one account of the environment), without reading its sources: for
    /// what needs only the accounts, such as exporting them.
    ///
    /// The whole file is checked as [`from_toml`](Self::from_toml) checks it, so that a file
    /// this accepts is one the other commands accept, except that its sources (`{ dns = … }`,
    /// `{ file = … }`, `{ url = … }`) are neither read nor refused: they are left out, as if
    /// they gave nothing.
    ///
    /// # Errors
    ///
    /// As [`from_toml`](Self::from_toml), without the errors of sources.
    pub fn accounts_from_toml(
        text: &str,
        file_name: impl Into<String>,
    ) -> Result<Vec<crate::allowlist::Account>, DesiredError> {
        let file = file_name.into();
        let mut parsed = Self::parse(text, &file)?;
        parsed.drop_sources();
        Ok(parsed.check(file)?.accounts)
    }

    /// The sets, lists and `[byoc]` records of a file, in the file's order, each entry with its
    /// position, and the problems of shape found on the way; not yet checked (and its sources
    /// not yet read). Only TOML syntax is an error here.
    pub(super) fn parse(text: &str, file: &str) -> Result<Parsed, DesiredError> {
        let file = file.to_owned();
        let fail = |origin: Option<Origin>, reason: String| {
            DesiredError::new(Some(&file), origin.as_ref(), None, None, reason)
        };
        let document: Document = toml::from_str(text).map_err(|e| {
            let origin = e.span().map(|span| origin(text, span));
            fail(origin, e.message().trim_end().to_owned())
        })?;
        // Every problem is collected, so that one run reports them all.
        let mut errors = Vec::new();
        let accounts = match document.accounts {
            // `[accounts]` alone would make the file an estate of no account: refused, so
            // that every command decides between one account and several on the same thing
            // (the accounts read).
            Some(table) if table.get_ref().is_empty() => {
                let at = origin(text, table.span());
                errors.push(fail(
                    Some(at),
                    "`[accounts]` names no account: add `[accounts.NAME]` tables, or remove it for the one account of the environment".into(),
                ));
                BTreeMap::new()
            }
            Some(table) => table.into_inner(),
            None => BTreeMap::new(),
        };
        let mut accounts: Vec<_> = accounts.into_iter().collect();
        accounts.sort_by_key(|(key, _)| key.span().start);
        let raw_accounts: Vec<RawAccount> = accounts
            .into_iter()
            .map(|(key, table)| {
                // The table's name is said by the error ([accounts.NAME]), not as its entry.
                let account_origin = Origin {
                    entry: String::new(),
                    ..origin(text, key.span())
                };
                let mut fields: Vec<_> = table.into_inner().into_iter().collect();
                fields.sort_by_key(|(key, _)| key.span().start);
                RawAccount {
                    name: key.into_inner(),
                    origin: Some(account_origin),
                    fields: fields
                        .into_iter()
                        .map(|(key, value)| {
                            // The entry shown is the key, never the value (it may be a secret).
                            let mut at = origin(text, key.span());
                            at.entry = key.get_ref().clone();
                            RawField {
                                key: key.into_inner(),
                                value: match value.into_inner() {
                                    toml::Value::String(text) => Some(text),
                                    _ => None,
                                },
                                origin: Some(at),
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        let accounts_use = |given: Option<Spanned<Vec<Spanned<String>>>>| {
            given.map(|given| RawAccountsUse {
                origin: Some(origin(text, given.span())),
                names: given
                    .into_inner()
                    .into_iter()
                    .map(|name| (name.get_ref().clone(), Some(origin(text, name.span()))))
                    .collect(),
            })
        };
        let mut sets: Vec<_> = document.sets.into_iter().collect();
        sets.sort_by_key(|(key, _)| key.span().start);
        let mut raw_sets = Vec::with_capacity(sets.len());
        for (key, table) in sets {
            let set_origin = origin(text, key.span());
            let name = key.into_inner();
            let table = table.into_inner();
            let accounts = accounts_use(table.accounts);
            let addresses = entries(text, table.addresses, |o, reason| {
                errors.push(
                    DesiredError::new(Some(&file), Some(&o), None, None, reason).in_set(&name),
                );
            });
            raw_sets.push(RawSet {
                name,
                accounts,
                origin: Some(set_origin),
                addresses,
            });
        }
        let mut lists: Vec<_> = document.lists.into_iter().collect();
        // Back into the file's order.
        lists.sort_by_key(|(key, _)| key.span().start);
        let mut raw = Vec::with_capacity(lists.len());
        for (key, table) in lists {
            let list_origin = origin(text, key.span());
            let key = key.into_inner();
            let table = table.into_inner();
            // `name` gives the `FriendlyName` when the key cannot (the same name in two
            // accounts, with different contents).
            let (name, list_table) = match table.name {
                Some(name) => (name, Some(key)),
                None => (key, None),
            };
            let missing = |field: &str, example: &str| {
                DesiredError::new(
                    Some(&file),
                    Some(&list_origin),
                    Some(&name),
                    None,
                    format!(
                        "`{field}` is missing; the file is the truth for the lists it names, so say it even when empty (`{field} = []`{example})"
                    ),
                )
            };
            for (field, example, present) in [
                (
                    "addresses",
                    ": an empty list allows no one",
                    table.addresses.is_some(),
                ),
                (
                    TargetKind::Trunk.file_key(),
                    " to attach the list to no trunk",
                    table.trunks.is_some(),
                ),
                (
                    TargetKind::SipDomain.file_key(),
                    " to map the list to no SIP domain",
                    table.sip_domains.is_some(),
                ),
            ] {
                if !present {
                    errors.push(missing(field, example));
                }
            }
            // Checked on as if empty, for the other problems of the list.
            let (addresses, trunks, sip_domains) = (
                table.addresses.unwrap_or_default(),
                table.trunks.unwrap_or_default(),
                table.sip_domains.unwrap_or_default(),
            );
            let entries = entries(text, addresses, |o, reason| {
                errors.push(DesiredError::new(
                    Some(&file),
                    Some(&o),
                    Some(&name),
                    None,
                    reason,
                ));
            });
            let reference = |kind: TargetKind| {
                move |r: Spanned<String>| Reference {
                    kind,
                    origin: Some(origin(text, r.span())),
                    text: r.into_inner(),
                }
            };
            raw.push(RawList {
                split: table.split.unwrap_or(false),
                name,
                table: list_table,
                accounts: accounts_use(table.accounts),
                origin: Some(list_origin),
                addresses: entries,
                targets: (trunks.into_iter().map(reference(TargetKind::Trunk)))
                    .chain(
                        sip_domains
                            .into_iter()
                            .map(reference(TargetKind::SipDomain)),
                    )
                    .collect(),
            });
        }
        let byoc = match document.byoc {
            None => None,
            Some(table) => {
                let table_origin = origin(text, table.span());
                let table = table.into_inner();
                let byoc_accounts = accounts_use(table.accounts);
                let records = match table.ip_records {
                    None => {
                        errors.push(
                            DesiredError::new(
                                Some(&file),
                                Some(&table_origin),
                                None,
                                None,
                                "`ip_records` is missing; with a [byoc] table the file is the truth for every IP Record of the account, so say it even when empty (`ip_records = []` removes them all)",
                            )
                            .in_byoc(),
                        );
                        None
                    }
                    Some(values) => {
                        let mut records = Vec::with_capacity(values.len());
                        for value in values {
                            let entry_origin = origin(text, value.span());
                            match ip_record_fields(value.into_inner(), &entry_origin) {
                                Ok(record) => records.push(record),
                                Err(reason) => errors.push(
                                    DesiredError::new(
                                        Some(&file),
                                        Some(&entry_origin),
                                        None,
                                        None,
                                        reason,
                                    )
                                    .in_byoc(),
                                ),
                            }
                        }
                        Some(records)
                    }
                };
                records.map(|records| RawByoc {
                    records,
                    accounts: byoc_accounts,
                    origin: Some(table_origin),
                })
            }
        };
        let prune_prefix = document
            .settings
            .and_then(|settings| settings.into_inner().prune_prefix)
            .and_then(|prefix| {
                let at = origin(text, prefix.span());
                let prefix = prefix.into_inner();
                match check_prune_prefix(&prefix) {
                    Ok(()) => Some(prefix),
                    Err(reason) => {
                        let error = DesiredError::new(Some(&file), Some(&at), None, None, reason);
                        errors.push(error);
                        None
                    }
                }
            });
        // Checked now, with the shape: a file refused for them reads none of its sources.
        let accounts = check_accounts(Some(&file), raw_accounts, &mut errors);
        Ok(Parsed {
            accounts,
            sets: raw_sets,
            lists: raw,
            byoc,
            prune_prefix,
            errors,
        })
    }
}

/// A file as read, before it is checked: see [`Desired::parse`].
pub(super) struct Parsed {
    /// The accounts, checked (their problems are in `errors`).
    pub(super) accounts: Accounts,
    pub(super) sets: Vec<RawSet>,
    pub(super) lists: Vec<RawList>,
    pub(super) byoc: Option<RawByoc>,
    /// `[settings] prune_prefix`, checked.
    pub(super) prune_prefix: Option<String>,
    /// The problems of shape found while reading.
    pub(super) errors: Vec<DesiredError>,
}

impl Parsed {
    /// Leaves out the entries that are sources (`{ dns = … }`, `{ file = … }`,
    /// `{ url = … }`), unread.
    pub(super) fn drop_sources(&mut self) {
        for entries in (self.sets.iter_mut().map(|s| &mut s.addresses))
            .chain(self.lists.iter_mut().map(|l| &mut l.addresses))
        {
            entries.retain(|e| !matches!(e, RawEntry::Source { .. }));
        }
    }

    /// Checks what was read: the desired state, or every problem found (those of reading
    /// included).
    pub(super) fn check(self, file: String) -> Result<Desired, DesiredError> {
        let checked =
            validate(Some(file), self.accounts, self.sets, self.lists, self.byoc).map(|desired| {
                Desired {
                    prune_prefix: self.prune_prefix,
                    ..desired
                }
            });
        with_earlier(checked, self.errors)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ByocTable {
    ip_records: Option<Vec<Spanned<toml::Value>>>,
    accounts: Option<Spanned<Vec<Spanned<String>>>>,
}

/// What one entry of `[byoc] ip_records` says.
fn ip_record_fields(value: toml::Value, at: &Origin) -> Result<RawIpRecord, String> {
    const SHAPE: &str = "an IP Record is a string (\"203.0.113.10\", \"203.0.113.16/28\") or a table { ip = \"203.0.113.10\", name = \"…\", sip_domain = \"…\" }";
    let string = |table: &mut toml::Table, key: &str| match table.remove(key) {
        Some(toml::Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(format!("`{key}` must be a string")),
        None => Ok(None),
    };
    match value {
        toml::Value::String(ip) => Ok(RawIpRecord {
            ip,
            name: None,
            sip_domain: None,
            origin: Some(at.clone()),
        }),
        toml::Value::Table(mut table) => {
            let ip =
                string(&mut table, "ip")?.ok_or_else(|| format!("`ip` is missing: {SHAPE}"))?;
            let name = string(&mut table, "name")?;
            let sip_domain = string(&mut table, "sip_domain")?.map(|text| Reference {
                kind: TargetKind::SipDomain,
                text,
                origin: Some(at.clone()),
            });
            if let Some(key) = table.keys().next() {
                return Err(format!(
                    "unknown key `{key}` (an IP Record table has `ip`, `name` and `sip_domain`)"
                ));
            }
            Ok(RawIpRecord {
                ip,
                name,
                sip_domain,
                origin: Some(at.clone()),
            })
        }
        _ => Err(SHAPE.into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    /// Each account's keys as written: checked one by one, so that a secret is refused by
    /// its key without its value being shown.
    accounts: Option<Spanned<BTreeMap<Spanned<String>, Spanned<AccountTable>>>>,
    #[serde(default)]
    sets: BTreeMap<Spanned<String>, Spanned<SetTable>>,
    #[serde(default)]
    lists: BTreeMap<Spanned<String>, Spanned<ListTable>>,
    byoc: Option<Spanned<ByocTable>>,
    settings: Option<Spanned<SettingsTable>>,
}

/// An `[accounts.NAME]` table's keys and values, with their positions.
type AccountTable = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// The `[settings]` table: how the file is applied, beyond what it names.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsTable {
    prune_prefix: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetTable {
    addresses: Vec<Spanned<toml::Value>>,
    accounts: Option<Spanned<Vec<Spanned<String>>>>,
}

/// The entries of an `addresses` array; each malformed one goes to `bad` with its position
/// and why.
fn entries(
    text: &str,
    values: Vec<Spanned<toml::Value>>,
    mut bad: impl FnMut(Origin, String),
) -> Vec<RawEntry> {
    let mut out = Vec::with_capacity(values.len());
    for value in values {
        let entry_origin = origin(text, value.span());
        out.push(match address_fields(value.into_inner()) {
            Ok(Fields::Address(ip, name)) => RawEntry::Address(RawAddress {
                ip,
                name,
                origin: Some(entry_origin),
                source: None,
            }),
            Ok(Fields::Set(name)) => RawEntry::Set {
                name,
                origin: Some(entry_origin),
            },
            Ok(Fields::Source(source)) => RawEntry::Source {
                source,
                origin: Some(entry_origin),
            },
            Err(reason) => {
                bad(entry_origin, reason);
                continue;
            }
        });
    }
    out
}

/// What one entry of `addresses` says.
enum Fields {
    /// `"…"` or `{ ip = "…", name = "…" }`.
    Address(String, Option<String>),
    /// `{ set = "…" }`.
    Set(String),
    /// `{ dns = "…" }`, `{ file = "…" }`, `{ url = "…", … }`.
    Source(Source),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListTable {
    /// The `FriendlyName`, when it is not the table's key.
    name: Option<String>,
    accounts: Option<Spanned<Vec<Spanned<String>>>>,
    addresses: Option<Vec<Spanned<toml::Value>>>,
    trunks: Option<Vec<Spanned<String>>>,
    sip_domains: Option<Vec<Spanned<String>>>,
    split: Option<bool>,
}

/// The line and column (from 1) of a byte offset, and the source text of the span.
fn origin(text: &str, span: std::ops::Range<usize>) -> Origin {
    let start = span.start.min(text.len());
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..start].chars().count() + 1;
    let entry = text.get(span.start..span.end.min(text.len())).unwrap_or("");
    Origin {
        line,
        column,
        entry: entry.to_owned(),
    }
}

/// The `ip` text and optional name of one entry of `addresses`, or the set it uses.
fn address_fields(value: toml::Value) -> Result<Fields, String> {
    const SHAPE: &str = "an address is a string (\"198.51.100.7\", \"198.51.100.0/24\"), a table { ip = \"198.51.100.7\", name = \"…\" }, or { set = \"NAME\" } for the addresses of [sets.NAME], or a source: { dns = \"HOST\" }, { file = \"PATH\" }, { url = \"https://…\" }";
    match value {
        toml::Value::String(ip) => Ok(Fields::Address(ip, None)),
        toml::Value::Table(mut table) if table.contains_key("set") => {
            let name = match table.remove("set") {
                Some(toml::Value::String(name)) => name,
                _ => return Err("`set` must be a string: the name of a [sets.NAME] table".into()),
            };
            if let Some(key) = table.keys().next() {
                return Err(format!(
                    "unknown key `{key}` (a set's use is {{ set = \"NAME\" }} alone)"
                ));
            }
            Ok(Fields::Set(name))
        }
        toml::Value::Table(table) if Source::is_source(&table) => {
            Source::from_table(table).map(Fields::Source)
        }
        toml::Value::Table(mut table) => {
            let ip = match table.remove("ip") {
                Some(toml::Value::String(ip)) => ip,
                Some(_) => return Err("`ip` must be a string".into()),
                None => return Err(format!("`ip` is missing: {SHAPE}")),
            };
            let name = match table.remove("name") {
                Some(toml::Value::String(name)) => Some(name),
                Some(_) => return Err("`name` must be a string".into()),
                None => None,
            };
            if let Some(key) = table.keys().next() {
                return Err(format!(
                    "unknown key `{key}` (an address table has `ip` and `name`)"
                ));
            }
            Ok(Fields::Address(ip, name))
        }
        _ => Err(SHAPE.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_count_characters() {
        let text = "a\nbé = \"x\"";
        let o = origin(text, 7..10);
        assert_eq!((o.line, o.column, o.entry.as_str()), (2, 5, " \"x"));
    }
}
