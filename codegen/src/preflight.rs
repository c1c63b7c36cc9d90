//! Checks for the spec shapes that make progenitor 0.15 panic or generate code that misbehaves
//! (each found with scratch builds; `tests/build_script.rs` breaks a spec in each way), so that a
//! broken spec fails the build with the file name and the problem instead of a backtrace from
//! inside the generator.

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

/// Checks for the spec shapes that make progenitor panic or generate code that misbehaves.
pub fn preflight(spec: &OpenAPI) -> Vec<String> {
    let mut problems = Vec::new();
    let mut ids = std::collections::HashSet::new();
    for (path, method, op) in spec.operations() {
        let here = format!("{} {path}", method.to_uppercase());
        let Some(id) = &op.operation_id else {
            problems.push(format!("{here}: missing operationId"));
            continue;
        };
        if !ids.insert(id.clone()) {
            problems.push(format!("{here}: operationId `{id}` is used twice"));
        }
        let codes: Vec<String> = op
            .responses
            .responses
            .keys()
            .map(|c| c.to_string())
            .collect();
        let success: Vec<&String> = codes.iter().filter(|c| c.starts_with('2')).collect();
        if success.len() != 1 {
            problems.push(format!(
                "{here} ({id}): declare exactly one success status, found {success:?}"
            ));
        }
        if op.responses.default.is_some() {
            problems.push(format!(
                "{here} ({id}): a `default` response beside a typed success status panics progenitor; use `4XX`"
            ));
        }
        if codes.iter().any(|c| c.starts_with('5')) {
            problems.push(format!(
                "{here} ({id}): leave 5xx undeclared; a non-JSON 5xx body would lose its status"
            ));
        }
        let errors: Vec<&String> = codes.iter().filter(|c| c.starts_with('4')).collect();
        if errors.len() > 1 {
            problems.push(format!(
                "{here} ({id}): use one `4XX` response with the shared error schema, found {errors:?}"
            ));
        }
        if let Some(ReferenceOr::Item(body)) = &op.request_body {
            if body.content.len() > 1 {
                problems.push(format!(
                    "{here} ({id}): only one request content type is supported"
                ));
            }
            for (ct, media) in &body.content {
                if !media.encoding.is_empty() {
                    problems.push(format!(
                        "{here} ({id}): `encoding` on {ct} panics progenitor"
                    ));
                }
                if ct == "application/x-www-form-urlencoded"
                    && let Some(ReferenceOr::Reference { reference }) = &media.schema
                {
                    let name = reference.rsplit('/').next().unwrap_or_default();
                    if let Some(schema) = component_schema(spec, name) {
                        check_flat_form(&here, name, spec, schema, &mut problems);
                    }
                }
            }
        }
    }
    problems
}

fn component_schema<'a>(spec: &'a OpenAPI, name: &str) -> Option<&'a Schema> {
    match spec.components.as_ref()?.schemas.get(name)? {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { .. } => None,
    }
}

/// Form bodies must be flat: arrays or objects fail to serialize at run time.
fn check_flat_form(here: &str, name: &str, spec: &OpenAPI, schema: &Schema, out: &mut Vec<String>) {
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        out.push(format!("{here}: form body `{name}` must be an object"));
        return;
    };
    for (field, prop) in &object.properties {
        let resolved = match prop {
            ReferenceOr::Item(s) => Some(s.as_ref()),
            ReferenceOr::Reference { reference } => {
                component_schema(spec, reference.rsplit('/').next().unwrap_or_default())
            }
        };
        if let Some(s) = resolved
            && matches!(
                s.schema_kind,
                SchemaKind::Type(Type::Object(_) | Type::Array(_))
            )
        {
            out.push(format!(
                    "{here}: form field `{name}.{field}` is an object or array; form bodies must be flat"
                ));
        }
    }
}

/// `format` on a `type: object` schema panics typify; openapiv3 drops the key, so look at the
/// document itself.
pub fn object_formats(value: &serde_json::Value, at: &str, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            let is_object = map.get("type").and_then(|t| t.as_str()) == Some("object");
            if is_object && map.contains_key("format") {
                out.push(format!("{at}: `format` on an object schema panics typify"));
            }
            for (key, child) in map {
                object_formats(child, &format!("{at}/{key}"), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                object_formats(child, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}
