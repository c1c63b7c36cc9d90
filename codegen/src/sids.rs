//! The typed SID kinds: one per `<Kind>Sid` schema across the spec files, for
//! `src/sid.rs`'s `sid_kinds!`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::model::Resource;

/// The one SID kind no spec file declares: API keys (`SK…`) are credentials, a Basic-auth
/// user name, not a resource of this crate.
const API_KEY: (&str, &str, &str, &str) = (
    "ApiKeySid",
    "ApiKey",
    "SK",
    "An API key SID (`SK…`): a Basic-auth user name, never an account.",
);

/// `sid_kinds! { … }` over every kind, or the kinds that two files declare differently.
pub fn emit(resources: &[Resource]) -> Result<TokenStream, Vec<String>> {
    let mut kinds: BTreeMap<String, (String, String, String, String)> = BTreeMap::new();
    let mut problems = Vec::new();
    for r in resources {
        for kind in &r.sid_kinds {
            let doc = if kind.description.is_empty() {
                format!("{} SID (`{}…`).", kind.name, kind.prefix)
            } else {
                format!(
                    "{} (`{}…`)",
                    kind.description.trim_end_matches('.'),
                    kind.prefix
                )
            };
            let entry = (kind.name.clone(), kind.prefix.clone(), doc, r.file.clone());
            match kinds.get(&kind.schema) {
                Some((_, prefix, _, file)) if prefix != &kind.prefix => problems.push(format!(
                    "{} says `{}` starts with `{}`, but {file} says `{prefix}`",
                    r.file, kind.schema, kind.prefix
                )),
                Some(_) => {}
                None => {
                    kinds.insert(kind.schema.clone(), entry);
                }
            }
        }
    }
    let (schema, name, prefix, doc) = API_KEY;
    kinds.insert(
        schema.into(),
        (name.into(), prefix.into(), doc.into(), String::new()),
    );
    let mut prefixes: BTreeMap<&str, &str> = BTreeMap::new();
    for (schema, (_, prefix, _, _)) in &kinds {
        if let Some(other) = prefixes.insert(prefix, schema) {
            problems.push(format!(
                "`{schema}` and `{other}` share the prefix `{prefix}`; one SID kind, one schema name"
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let entries = kinds.iter().map(|(schema, (name, prefix, doc, _))| {
        let (alias, kind) = (format_ident!("{}", schema), format_ident!("{}", name));
        quote! { #[doc = #doc] #alias, #kind, #prefix, #name; }
    });
    Ok(quote! {
        sid_kinds! { #(#entries)* }
    })
}
