//! A pass over progenitor's output that makes the resource types read as users need them:
//!
//! - every field gets the description the spec gives its property. typify documents a field
//!   only from a description beside the property; a property that is a `$ref` (`sid`,
//!   `account_sid`, `cidr_prefix_length`, …) has none there, since OpenAPI 3.0 ignores `$ref`
//!   siblings, so the description of the schema it refers to is taken instead;
//! - typify's `builder()` constructors leave the types: the resources are read from Twilio, not
//!   built, and the facade's builders are how requests are made.

use serde_json::Value;

use crate::naming;

/// Applies the pass to the items of progenitor's `types` module, with `doc` the spec file.
pub fn apply(items: &mut [syn::Item], doc: &Value) {
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let Some(schemas) = schemas else { return };
    for item in items.iter_mut() {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.ident != "types" {
            continue;
        }
        let Some((_, inner)) = &mut module.content else {
            continue;
        };
        inner.retain(|item| !is_builder_constructor(item));
        for inner in inner.iter_mut() {
            let syn::Item::Struct(item) = inner else {
                continue;
            };
            let Some(schema) = schemas
                .iter()
                .find(|(name, _)| item.ident == naming::pascal(name))
                .map(|(_, schema)| schema)
            else {
                continue;
            };
            document_fields(item, schema, doc);
        }
    }
}

/// `impl X { pub fn builder() -> builder::X { .. } }`, typify's only inherent impl.
fn is_builder_constructor(item: &syn::Item) -> bool {
    let syn::Item::Impl(imp) = item else {
        return false;
    };
    imp.trait_.is_none()
        && !imp.items.is_empty()
        && imp
            .items
            .iter()
            .all(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "builder"))
}

fn document_fields(item: &mut syn::ItemStruct, schema: &Value, doc: &Value) {
    let syn::Fields::Named(fields) = &mut item.fields else {
        return;
    };
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    for field in fields.named.iter_mut() {
        if field.attrs.iter().any(|a| a.path().is_ident("doc")) {
            continue;
        }
        let Some(ident) = &field.ident else { continue };
        let wire = serde_rename(&field.attrs).unwrap_or_else(|| ident.to_string());
        let Some(description) = properties.get(&wire).and_then(|p| description(p, doc)) else {
            continue;
        };
        field
            .attrs
            .insert(0, syn::parse_quote!(#[doc = #description]));
    }
}

/// `rename = "…"` of the field's `#[serde(..)]`, the property's name on the wire.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    rename
}

/// The property's own description, or that of the schema it refers to (`$ref`, or the single
/// `$ref` of an `allOf`), followed through further references.
fn description(property: &Value, doc: &Value) -> Option<String> {
    let mut schema = property;
    for _ in 0..8 {
        if let Some(text) = schema.get("description").and_then(Value::as_str) {
            return Some(text.trim().to_owned());
        }
        let reference = schema.get("$ref").or_else(|| {
            schema
                .get("allOf")
                .and_then(Value::as_array)
                .and_then(|all| all.iter().find_map(|s| s.get("$ref")))
        })?;
        let pointer = reference.as_str()?.strip_prefix('#')?;
        schema = doc.pointer(pointer)?;
    }
    None
}
