//! Pass: the resource schema (what create, fetch and update answer) and the list envelope
//! (its array key, and `meta` or `next_page_uri` as the API generation needs).

use serde_json::Value;

use super::{Api, Reader, paths::Paths, ref_name};

/// The resource schema's name, the list envelope's array key and the list schema's name.
pub(super) struct Envelope {
    pub(super) class: String,
    pub(super) list_key: String,
    pub(super) list_schema: Option<String>,
}

impl Reader<'_> {
    pub(super) fn envelope(&mut self, paths: &Paths<'_>) -> Option<Envelope> {
        let (list_item, instance_item) = (paths.list_item, paths.instance_item);
        let mut class = None;
        for (item, method, status) in [
            (list_item, "post", "201"),
            (instance_item, "get", "200"),
            (instance_item, "post", "200"),
        ] {
            if let Some(op) = item.get(method) {
                match self.response_schema(op, status) {
                    Some(name) if class.as_ref().is_none_or(|c| c == &name) => class = Some(name),
                    Some(name) => self.problem(format!(
                        "create, fetch and update must answer the same schema, found `{}` and `{name}`",
                        class.clone().unwrap_or_default()
                    )),
                    None => self.problem(format!(
                        "{} {status} must answer a `$ref` to the resource schema",
                        method.to_uppercase()
                    )),
                }
            }
        }
        let list_schema = list_item
            .get("get")
            .and_then(|op| self.response_schema(op, "200"));
        let mut list_key = String::new();
        if let Some(name) = &list_schema {
            let schema = self.schema(name).cloned().unwrap_or(Value::Null);
            let arrays: Vec<(String, Option<String>)> = schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter(|(_, p)| p.get("type").and_then(Value::as_str) == Some("array"))
                .map(|(k, p)| {
                    (
                        k.clone(),
                        p.get("items").and_then(ref_name).map(str::to_owned),
                    )
                })
                .collect();
            match arrays.as_slice() {
                [(key, item)] => {
                    list_key = key.clone();
                    match (&class, item) {
                        (Some(c), Some(i)) if c != i => self.problem(format!(
                            "`{name}.{key}` must hold `{c}`, the resource schema, found `{i}`"
                        )),
                        (None, Some(i)) => class = Some(i.clone()),
                        _ => {}
                    }
                }
                _ => self.problem(format!(
                    "`{name}` must have exactly one array property (the envelope key)"
                )),
            }
            let has = |p: &str| schema.pointer(&format!("/properties/{p}")).is_some();
            match paths.api {
                Api::V1 if !has("meta") => {
                    self.problem(format!("`{name}` is a v1 list: it needs `meta`"))
                }
                Api::V2010 if !has("next_page_uri") => {
                    self.problem(format!("`{name}` is a 2010 list: it needs `next_page_uri`"))
                }
                _ => {}
            }
        }
        let Some(class) = class else {
            self.problem("no operation names the resource schema");
            return None;
        };
        Some(Envelope {
            class,
            list_key,
            list_schema,
        })
    }
}
