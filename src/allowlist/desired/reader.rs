//! Reading a desired-state file, with the line, column and text of every entry for the
//! errors.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{
    Desired, DesiredError, Origin, Reference,
    validate::{RawAddress, RawList, validate},
};
use crate::allowlist::target::TargetKind;

impl Desired {
    /// Reads a desired-state file (see the module documentation for the format). `file_name`
    /// is only used in error messages.
    ///
    /// # Errors
    ///
    /// The first problem found, with the file, line, column and entry: TOML syntax, an unknown
    /// or missing key, an invalid IPv4 address or prefix, `/0`, host bits set in a range, the
    /// same entry twice, more than 100 addresses, a name that is empty or over 255 characters.
    pub fn from_toml(text: &str, file_name: impl Into<String>) -> Result<Desired, DesiredError> {
        let file = file_name.into();
        let fail = |origin: Option<Origin>, reason: String| {
            DesiredError::new(Some(&file), origin.as_ref(), None, None, reason)
        };
        let document: Document = toml::from_str(text).map_err(|e| {
            let origin = e.span().map(|span| origin(text, span));
            fail(origin, e.message().trim_end().to_owned())
        })?;
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
            let mut entries = Vec::with_capacity(addresses.len());
            for value in addresses {
                let entry_origin = origin(text, value.span());
                let (ip, name_given) = address_fields(value.into_inner()).map_err(|reason| {
                    DesiredError::new(Some(&file), Some(&entry_origin), Some(&name), None, reason)
                })?;
                entries.push(RawAddress {
                    ip,
                    name: name_given,
                    origin: Some(entry_origin),
                });
            }
            let reference = |kind: TargetKind| {
                move |r: Spanned<String>| Reference {
                    kind,
                    origin: Some(origin(text, r.span())),
                    text: r.into_inner(),
                }
            };
            raw.push(RawList {
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
        validate(Some(file.clone()), raw)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    #[serde(default)]
    lists: BTreeMap<Spanned<String>, Spanned<ListTable>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListTable {
    addresses: Option<Vec<Spanned<toml::Value>>>,
    trunks: Option<Vec<Spanned<String>>>,
    sip_domains: Option<Vec<Spanned<String>>>,
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

/// The `ip` text and optional name of one entry of `addresses`.
fn address_fields(value: toml::Value) -> Result<(String, Option<String>), String> {
    const SHAPE: &str = "an address is a string (\"198.51.100.7\", \"198.51.100.0/24\") or a table { ip = \"198.51.100.7\", name = \"…\" }";
    match value {
        toml::Value::String(ip) => Ok((ip, None)),
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
            Ok((ip, name))
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
