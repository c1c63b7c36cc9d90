//! Pass: the resource schema's properties, each with where the emulator takes its value from,
//! whether it is PII and whether it may be `null`.

use serde_json::Value;

use super::{Group, Property, Reader, Source, is_pii};
use crate::naming::snake;

impl Reader<'_> {
    pub(super) fn properties(&mut self, class: &str, groups: &[Group]) -> Option<Vec<Property>> {
        let Some(schema) = self.schema(class).cloned() else {
            self.problem(format!("schema `{class}` is missing"));
            return None;
        };
        let parents: Vec<String> = groups
            .iter()
            .filter_map(|g| g.param.as_ref().map(|p| snake(&p.name)))
            .collect();
        let mut properties = Vec::new();
        for (name, prop) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let (_, resolved) = self.resolve(prop);
            let pii = is_pii(prop) || is_pii(resolved);
            let nullable = [prop, resolved]
                .iter()
                .any(|s| s.get("nullable").and_then(Value::as_bool) == Some(true));
            let format = resolved.get("format").and_then(Value::as_str).unwrap_or("");
            let rfc2822 = format == "date-time-rfc-2822";
            let source = match name.as_str() {
                "sid" => Source::Sid,
                "account_sid" => Source::AccountSid,
                "date_created" => Source::DateCreated { rfc2822 },
                "date_updated" => Source::DateUpdated { rfc2822 },
                "url" => Source::Url,
                "uri" => Source::Uri,
                other => match parents.iter().position(|p| p == other) {
                    Some(i) => Source::Parent(i),
                    None => Source::Value,
                },
            };
            if prop.get("enum").is_some() {
                self.problem(format!(
                    "`{class}.{name}`: an enum must be a component schema (`$ref`), so that it stays forward compatible"
                ));
            }
            properties.push(Property {
                name: name.clone(),
                source,
                pii,
                nullable,
            });
        }
        if !properties.iter().any(|p| p.source == Source::Sid) {
            self.problem(format!("`{class}` needs a `sid` property"));
        }
        Some(properties)
    }
}
