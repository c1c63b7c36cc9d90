//! The low-level bindings: progenitor over one spec file, with three adjustments that keep the
//! generated types honest for this crate.
//!
//! - Constraint keywords (`pattern`, lengths, bounds, `default`) are taken out of the copy
//!   progenitor sees. The facade checks them before sending, with errors that name the wire
//!   parameter (progenitor's own checks would report "conversion failed" without one), and
//!   responses are read leniently. `default` would make progenitor send the value on every
//!   request and fail on a `null` in responses.
//! - Component schemas are replaced by the crate's own types (`model::Resource::replacements`):
//!   SIDs, IPv4 addresses, RFC 2822 dates, the error body, and enums with an `Unknown(String)`
//!   variant emitted here, so that a value Twilio adds later still decodes.
//! - Types holding a property Twilio marks as PII get a `Debug` that redacts it.
//! - With the crate's `schemars` feature, every resource, request and list-page type derives
//!   `schemars::JsonSchema`, so that users can embed them in their own documented APIs.

use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::{format_ident, quote};
use serde_json::Value;

use super::{model::Resource, naming};

/// Keywords the facade checks and progenitor must not see.
const CONSTRAINTS: &[&str] = &[
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "default",
];

/// The copy of the document progenitor reads.
pub fn for_progenitor(doc: &Value) -> Value {
    let mut doc = doc.clone();
    strip(&mut doc);
    doc
}

fn strip(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for key in CONSTRAINTS {
                // `default` is also a possible property name; only schema keywords are removed.
                if map.get(*key).is_some_and(|v| !v.is_object()) {
                    map.remove(*key);
                }
            }
            for (key, child) in map.iter_mut() {
                match key.as_str() {
                    // Example values are data, not schemas.
                    "example" | "examples" => {}
                    "properties" | "schemas" => {
                        if let Value::Object(named) = child {
                            named.values_mut().for_each(strip);
                        }
                    }
                    _ => strip(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

fn replacement_impls(rust: &str) -> Vec<TypeImpl> {
    match rust {
        "crate::error::ApiErrorBody" | "crate::time::Rfc2822DateTime" => vec![TypeImpl::Display],
        "u8" | "u16" | "u32" | "i32" | "i64" | "bool" => {
            vec![TypeImpl::Display, TypeImpl::FromStr, TypeImpl::Default]
        }
        _ => vec![TypeImpl::Display, TypeImpl::FromStr],
    }
}

/// Runs progenitor and adjusts its output; the result is one module's token stream.
pub fn generate(resource: &Resource, doc: &Value) -> Result<TokenStream, Vec<String>> {
    let spec: openapiv3::OpenAPI = serde_json::from_value(for_progenitor(doc))
        .map_err(|e| vec![format!("not a valid OpenAPI 3.0 document: {e}")])?;
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // The facade implements `ClientHooks` (auth, user agent, retries, tracing) for every
        // generated client; `Expected` makes a forgotten impl a compile error. The inner value
        // is where the hooks record what the retry loop needs of each attempt.
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote! { crate::transport::Attempt })
        // Resources compare equal field by field, so callers (and tests) can diff them.
        .with_derive("PartialEq");
    for (schema, rust) in &resource.replacements {
        // typify matches a replacement by the Rust name it would give the schema
        // (`trunk_enum_transfer_setting` → `TrunkEnumTransferSetting`).
        let name = naming::pascal(schema);
        settings.with_replacement(&name, rust, replacement_impls(rust).into_iter());
    }
    let mut generator = Generator::new(&settings);
    // progenitor reports some problems by panicking; keep the message, drop the backtrace.
    let tokens = quietly(|| generator.generate_tokens(&spec));
    let tokens = match tokens {
        Ok(Ok(tokens)) => tokens,
        Ok(Err(e)) => return Err(vec![format!("progenitor rejected the spec: {e}")]),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            return Err(vec![format!("progenitor panicked: {msg}")]);
        }
    };
    // progenitor documents each operation with an `ignore`d example of its own client and
    // builders, which are private here: as `text` they stay readable in the source without
    // being doctests that never run (users' examples are the facade's, which are compiled).
    let tokens = tokens.to_string().replace("```ignore", "```text");
    let mut file: syn::File =
        syn::parse_str(&tokens).map_err(|e| vec![format!("generated code does not parse: {e}")])?;
    let pii: Vec<String> = resource
        .pii_properties
        .iter()
        .map(|name| naming::snake(name))
        .chain(
            resource
                .operations
                .iter()
                .flat_map(|o| &o.fields)
                .filter(|f| f.pii)
                .map(|f| f.rust.clone()),
        )
        .collect();
    if !pii.is_empty() {
        redact_items(&mut file.items, &pii);
    }
    derive_json_schema(&mut file.items);
    crate::field_docs::apply(&mut file.items, doc);
    let enums = resource.enums.iter().map(emit_enum);
    Ok(quote! {
        #file
        /// Enums of this resource. Each keeps an `Unknown` variant, so that a value Twilio adds
        /// later decodes instead of failing the whole response.
        pub mod enums {
            #(#enums)*
        }
    })
}

thread_local! {
    /// Set while progenitor runs on this thread: its panics are reported as problems instead.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, catching a panic without printing it. Other threads' panics (tests running in
/// parallel) still print.
fn quietly<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                default(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result
}

/// Adds `#[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]` to the types of the
/// `types` module (not to its builders): the resources, requests and list pages.
fn derive_json_schema(items: &mut [syn::Item]) {
    let attr: syn::Attribute =
        syn::parse_quote!(#[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]);
    for item in items.iter_mut() {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.ident != "types" {
            continue;
        }
        for inner in module
            .content
            .iter_mut()
            .flat_map(|(_, items)| items.iter_mut())
        {
            match inner {
                syn::Item::Struct(s) => s.attrs.push(attr.clone()),
                syn::Item::Enum(e) => e.attrs.push(attr.clone()),
                _ => {}
            }
        }
    }
}

/// Replaces the derived `Debug` of every struct with a PII field by one that redacts it.
fn redact_items(items: &mut Vec<syn::Item>, pii: &[String]) {
    let mut impls = Vec::new();
    for item in items.iter_mut() {
        match item {
            syn::Item::Mod(module) => {
                if let Some((_, inner)) = &mut module.content {
                    redact_items(inner, pii);
                }
            }
            syn::Item::Struct(item) => {
                let syn::Fields::Named(fields) = &item.fields else {
                    continue;
                };
                let has_pii = fields.named.iter().any(|f| {
                    f.ident
                        .as_ref()
                        .is_some_and(|i| pii.contains(&i.to_string()))
                });
                if !has_pii || !remove_derive(&mut item.attrs, "Debug") {
                    continue;
                }
                let name = &item.ident;
                let shown = name.to_string();
                let lines = fields.named.iter().filter_map(|f| {
                    let ident = f.ident.as_ref()?;
                    let label = ident.to_string();
                    let ty = &f.ty;
                    let is_option = quote!(#ty).to_string().contains("Option <");
                    Some(if !pii.contains(&label) {
                        quote! { .field(#label, &self.#ident) }
                    } else if is_option {
                        quote! { .field(#label, &self.#ident.as_ref().map(|_| crate::validate::RedactedPii)) }
                    } else {
                        quote! { .field(#label, &crate::validate::RedactedPii) }
                    })
                });
                impls.push(syn::parse_quote! {
                    /// Prints every field but those Twilio marks as PII, which show as
                    /// `** redacted (PII) **`.
                    impl ::std::fmt::Debug for #name {
                        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            f.debug_struct(#shown) #(#lines)* .finish()
                        }
                    }
                });
            }
            _ => {}
        }
    }
    items.extend(impls);
}

/// Removes `name` from a `#[derive(...)]`; whether it was there.
fn remove_derive(attrs: &mut [syn::Attribute], name: &str) -> bool {
    let mut removed = false;
    for attr in attrs.iter_mut() {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        let kept: Vec<&syn::Path> = paths
            .iter()
            .filter(|p| {
                let keep = p.segments.last().is_none_or(|s| s.ident != name);
                removed |= !keep;
                keep
            })
            .collect();
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
    removed
}

/// A forward-compatible enum for one string enum schema.
fn emit_enum(schema: &super::model::EnumSchema) -> TokenStream {
    let name = format_ident!("{}", schema.rust);
    let mut variants = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for value in &schema.values {
        let mut variant = naming::variant(value);
        while !seen.insert(variant.clone()) || variant == "Unknown" {
            variant.push('_');
        }
        variants.push((format_ident!("{}", variant), value.clone()));
    }
    let doc = if schema.description.is_empty() {
        format!("Twilio's `{}` values.", schema.schema)
    } else {
        schema.description.clone()
    };
    let values_doc = format!(
        "Values: {}. Any other value decodes as [`Self::Unknown`].",
        schema
            .values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let schema_name = schema.rust.clone();
    let schema_doc = format!("{doc} {values_doc}");
    let values = schema.values.clone();
    let decls = variants.iter().map(|(v, value)| {
        let doc = format!("`{value}`");
        quote! { #[doc = #doc] #v, }
    });
    let to_str = variants
        .iter()
        .map(|(v, value)| quote! { Self::#v => #value, });
    let from_str = variants
        .iter()
        .map(|(v, value)| quote! { #value => Self::#v, });
    quote! {
        #[doc = #doc]
        #[doc = ""]
        #[doc = #values_doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#decls)*
            /// A value this version of the crate does not know (Twilio added it later).
            Unknown(::std::string::String),
        }

        impl #name {
            /// The value as Twilio writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Unknown(other) => other,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(match value {
                    #(#from_str)*
                    other => Self::Unknown(other.to_owned()),
                })
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        /// A string: one of the known values, or any other (a value Twilio adds later).
        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                #schema_name.into()
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({
                    "description": #schema_doc,
                    "anyOf": [
                        { "type": "string", "enum": [#(#values),*] },
                        { "type": "string" }
                    ]
                })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(value.parse().unwrap_or_else(|never: ::std::convert::Infallible| match never {}))
            }
        }
    }
}
