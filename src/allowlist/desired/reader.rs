//! Reading a desired-state file, with the line, column and text of every entry for the
//! errors.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{
    Desired, DesiredError, Origin, Reference,
    validate::{RawAddress, RawEntry, RawList, RawSet, validate},
};
use crate::allowlist::{sources::Source, target::TargetKind};

impl Desired {
    /// Reads a desired-state file (see the module documentation for the format). `file_name`
    /// is only used in error messages.
    ///
    /// # Errors
    ///
    /// The first problem found, with the file, line, column and entry: TOML syntax, an unknown
    /// or missing key, an invalid IPv4 address or prefix, `/0`, host bits set in a range, the
    /// same entry twice, more than 100 addresses, a name that is empty or over 255 characters.
    /// A file with sources (`{ dns = … }`, `{ file = … }`, `{ url = … }`) is read with
    /// [`from_toml_with_sources`](Self::from_toml_with_sources); here it is refused.
    pub fn from_toml(text: &str, file_name: impl Into<String>) -> Result<Desired, DesiredError> {
        let file = file_name.into();
        let (raw_sets, raw) = Self::parse(text, &file)?;
        validate(Some(file), raw_sets, raw)
    }

    /// The sets and lists of a file, in the file's order, each entry with its position; not
    /// yet checked (and its sources not yet read).
    pub(super) fn parse(
        text: &str,
        file: &str,
    ) -> Result<(Vec<RawSet>, Vec<RawList>), DesiredError> {
        let file = file.to_owned();
        let fail = |origin: Option<Origin>, reason: String| {
            DesiredError::new(Some(&file), origin.as_ref(), None, None, reason)
        };
        let document: Document = toml::from_str(text).map_err(|e| {
            let origin = e.span().map(|span| origin(text, span));
            fail(origin, e.message().trim_end().to_owned())
        })?;
        let mut sets: Vec<_> = document.sets.into_iter().collect();
        sets.sort_by_key(|(key, _)| key.span().start);
        let mut raw_sets = Vec::with_capacity(sets.len());
        for (key, table) in sets {
            let set_origin = origin(text, key.span());
            let name = key.into_inner();
            let addresses =
                entries(text, table.into_inner().addresses).map_err(|(o, reason)| {
                    DesiredError::new(Some(&file), Some(&o), None, None, reason).in_set(&name)
                })?;
            raw_sets.push(RawSet {
                name,
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
            let name = key.into_inner();
            let table = table.into_inner();
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
            let addresses = table
                .addresses
                .ok_or_else(|| missing("addresses", ": an empty list allows no one"))?;
            let trunks = table.trunks.ok_or_else(|| {
                missing(
                    TargetKind::Trunk.file_key(),
                    " to attach the list to no trunk",
                )
            })?;
            let sip_domains = table.sip_domains.ok_or_else(|| {
                missing(
                    TargetKind::SipDomain.file_key(),
                    " to map the list to no SIP domain",
                )
            })?;
            let entries = entries(text, addresses).map_err(|(o, reason)| {
                DesiredError::new(Some(&file), Some(&o), Some(&name), None, reason)
            })?;
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
        Ok((raw_sets, raw))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    #[serde(default)]
    sets: BTreeMap<Spanned<String>, Spanned<SetTable>>,
    #[serde(default)]
    lists: BTreeMap<Spanned<String>, Spanned<ListTable>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetTable {
    addresses: Vec<Spanned<toml::Value>>,
}

/// The entries of an `addresses` array, or the position of a malformed one and why.
fn entries(
    text: &str,
    values: Vec<Spanned<toml::Value>>,
) -> Result<Vec<RawEntry>, (Origin, String)> {
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
            Err(reason) => return Err((entry_origin, reason)),
        });
    }
    Ok(out)
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
