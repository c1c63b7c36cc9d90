//! Pass: the resource schema's properties, each with where the emulator takes its value from,
//! whether it is PII and whether it may be `null`.

use serde_json::Value;

use super::{DateFormat, Group, Property, Reader, Source, admits_null, is_pii};
use crate::naming::snake;

impl Reader<'_> {
    /// The properties, and the names of those Twilio marks as PII.
    pub(super) fn properties(
        &mut self,
        class: &str,
        groups: &[Group],
    ) -> Option<(Vec<Property>, Vec<String>)> {
        let Some(schema) = self.schema(class).cloned() else {
            self.problem(format!("schema `{class}` is missing"));
            return None;
        };
        let parents: Vec<String> = groups
            .iter()
            .filter_map(|g| g.param.as_ref().map(|p| snake(&p.name)))
            .collect();
        let mut properties = Vec::new();
        let mut pii_properties = Vec::new();
        for (name, prop) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let (_, resolved) = self.resolve(prop);
            if is_pii(prop) || is_pii(resolved) {
                pii_properties.push(name.clone());
            }
            let nullable = [prop, resolved].iter().any(|s| admits_null(s));
            let format = resolved.get("format").and_then(Value::as_str).unwrap_or("");
            let date_format = if format == "date-time-rfc-2822" {
                DateFormat::Rfc2822
            } else {
                DateFormat::Iso8601
            };
            let subresources = match prop.get("x-subresources") {
                None => Vec::new(),
                Some(names) => {
                    let names: Vec<String> = names
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .filter(|n| !n.is_empty() && snake(n) == *n)
                        .map(str::to_owned)
                        .collect();
                    if names.is_empty()
                        || Some(names.len()) != prop["x-subresources"].as_array().map(Vec::len)
                        || prop.get("type").and_then(Value::as_str) != Some("object")
                    {
                        self.problem(format!(
                            "`{class}.{name}`: `x-subresources` must be a list of snake_case subresource names on a `type: object` property"
                        ));
                    }
                    names
                }
            };
            let source = match name.as_str() {
                _ if !subresources.is_empty() => Source::Links,
                "sid" => Source::Sid,
                "account_sid" => Source::AccountSid,
                "date_created" => Source::DateCreated(date_format),
                "date_updated" => Source::DateUpdated(date_format),
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
                name: name.clone().into(),
                source,
                nullable,
                subresources: subresources.into_iter().map(Into::into).collect(),
            });
        }
        if !properties.iter().any(|p| p.source == Source::Sid) {
            self.problem(format!("`{class}` needs a `sid` property"));
        }
        Some((properties, pii_properties))
    }
}
