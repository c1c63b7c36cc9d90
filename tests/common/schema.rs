//! Validation of JSON values against the OpenAPI 3.0 files in `spec/`.
//!
//! Each OpenAPI Schema Object is converted into a JSON Schema (draft 2020-12) document: the file's
//! `components.schemas` become `$defs` and `#/components/schemas/X` references become
//! `#/$defs/X`, so a response schema is validated exactly as written, references included.
//!
//! Conversion follows OpenAPI 3.0.3:
//! - `nullable: true` adds `"null"` to the `type` beside it and does nothing else, as OpenAPI
//!   3.0.3 states: `enum`, `allOf`, `anyOf`, … keep their meaning and may still reject `null`
//!   (an `enum` must list `null` itself to accept it). `nullable` without `type`, or beside a
//!   `$ref`, has no effect and is reported as an error; a nullable reference is written
//!   `anyOf: [{$ref: ...}, {enum: [null]}]`.
//! - Boolean `exclusiveMinimum`/`exclusiveMaximum` become the numeric keywords of 2020-12.
//! - Siblings of `$ref` are ignored, as OpenAPI 3.0 says.
//! - OpenAPI-only keywords (`example`, `x-*`, `discriminator`, `xml`, `externalDocs`, `readOnly`,
//!   `writeOnly`, `deprecated`) are dropped; any other unknown keyword is an error, so nothing is
//!   silently ignored.
//! - `format` is asserted: `date-time` (RFC 3339) and `uri` (RFC 3986, absolute) by jsonschema's
//!   built-in checks, `date-time-rfc-2822` by chrono's RFC 2822 parser. The numeric OpenAPI
//!   formats (`int32`, `int64`, `float`, `double`) and `password`/`binary` are annotations. Any
//!   other format name is an error when the schema is compiled.

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
};

use serde_json::{Map, Value, json};

/// HTTP methods an OpenAPI 3.0 Path Item can hold.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One `spec/*.yaml` file, parsed twice: as YAML (to see the file as written, e.g. unquoted
/// numeric keys) and as JSON (to navigate and validate).
pub struct SpecFile {
    /// File stem, e.g. `ip_record`.
    pub stem: String,
    pub path: PathBuf,
    pub yaml: serde_yaml::Value,
    pub json: Value,
}

/// One operation of a spec file.
pub struct Operation<'a> {
    pub spec: &'a str,
    pub path: &'a str,
    /// Lower-case method, as the key in the Path Item.
    pub method: &'a str,
    pub operation_id: Option<&'a str>,
    pub path_item: &'a Value,
    pub op: &'a Value,
    /// The whole document the operation belongs to.
    pub doc: &'a Value,
}

impl Operation<'_> {
    /// `file.yaml paths./x.get` — for messages.
    pub fn location(&self) -> String {
        format!(
            "spec/{}.yaml paths.{}.{}",
            self.spec, self.path, self.method
        )
    }
}

/// The directory holding the spec files: `spec/` of the crate, or the directory named by
/// `SPEC_TEST_DIR` (to run the checks against modified copies, e.g. when checking that a broken
/// spec is caught).
pub fn spec_dir() -> PathBuf {
    match std::env::var_os("SPEC_TEST_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("spec"),
    }
}

/// Reads and parses every `spec/*.yaml`, sorted by file name. Panics naming the file on error.
pub fn load_spec_files() -> Vec<SpecFile> {
    let dir = spec_dir();
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no *.yaml in {}", dir.display());
    paths
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let yaml: serde_yaml::Value = serde_yaml::from_str(&text)
                .unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display()));
            let json: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| {
                panic!(
                    "{} does not map onto JSON (non-string key?): {e}",
                    path.display()
                )
            });
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("UTF-8 file name")
                .to_owned();
            SpecFile {
                stem,
                path,
                yaml,
                json,
            }
        })
        .collect()
}

/// Resolves a local reference (`#/a/b`) inside `doc`.
pub fn resolve_pointer<'a>(doc: &'a Value, reference: &str) -> Result<&'a Value, String> {
    let Some(fragment) = reference.strip_prefix('#') else {
        return Err(format!(
            "`{reference}` is not a local reference (it must start with `#`)"
        ));
    };
    let pointer = percent_decode(fragment)?;
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return Err(format!("`{reference}` is not a JSON pointer fragment"));
    }
    doc.pointer(&pointer)
        .ok_or_else(|| format!("`{reference}` does not resolve"))
}

/// Follows `$ref` (of a Response, Parameter, Request Body, Example, ...) until a value without
/// one is reached.
pub fn resolve<'a>(doc: &'a Value, mut value: &'a Value) -> Result<&'a Value, String> {
    for _ in 0..32 {
        match value.get("$ref") {
            Some(Value::String(reference)) => value = resolve_pointer(doc, reference)?,
            Some(other) => return Err(format!("`$ref` is not a string: {other}")),
            None => return Ok(value),
        }
    }
    Err("`$ref` chain longer than 32 (a cycle?)".into())
}

fn percent_decode(s: &str) -> Result<String, String> {
    if !s.contains('%') {
        return Ok(s.to_owned());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad percent-encoding in `{s}`"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("percent-encoding in `{s}` is not UTF-8"))
}

/// Keywords copied unchanged from an OpenAPI Schema Object (their meaning is the same in JSON
/// Schema 2020-12).
const COPIED: &[&str] = &[
    "title",
    "description",
    "default",
    "format",
    "multipleOf",
    "maximum",
    "minimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
];

/// OpenAPI-only keywords with no validation meaning.
const DROPPED: &[&str] = &[
    "example",
    "discriminator",
    "xml",
    "externalDocs",
    "readOnly",
    "writeOnly",
    "deprecated",
];

const OPENAPI_TYPES: [&str; 6] = ["integer", "number", "string", "boolean", "array", "object"];

/// Converts one OpenAPI 3.0 Schema Object into JSON Schema 2020-12. `#/components/schemas/X`
/// references become `#/$defs/X`; any other reference is an error. `at` names the location for
/// error messages.
pub fn convert_schema(schema: &Value, at: &str) -> Result<Value, String> {
    let Value::Object(obj) = schema else {
        return Err(format!(
            "{at}: a Schema Object must be a mapping, found {schema}"
        ));
    };
    let nullable = match obj.get("nullable") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => return Err(format!("{at}/nullable: must be a boolean, found {other}")),
    };

    if let Some(reference) = obj.get("$ref") {
        let Value::String(reference) = reference else {
            return Err(format!("{at}/$ref: must be a string, found {reference}"));
        };
        let Some(name) = reference.strip_prefix("#/components/schemas/") else {
            return Err(format!(
                "{at}/$ref: `{reference}` is not a local `#/components/schemas/...` reference"
            ));
        };
        if obj.contains_key("nullable") {
            return Err(format!(
                "{at}: `nullable` beside `$ref` has no effect in OpenAPI 3.0 (siblings of `$ref` are ignored); use `anyOf: [{{$ref: ...}}, {{enum: [null]}}]`"
            ));
        }
        return Ok(json!({ "$ref": format!("#/$defs/{name}") }));
    }

    let mut out = Map::new();
    let mut exclusive_min = false;
    let mut exclusive_max = false;
    for (key, value) in obj {
        let here = format!("{at}/{key}");
        match key.as_str() {
            "nullable" => {}
            "type" => match value.as_str() {
                Some(t) if OPENAPI_TYPES.contains(&t) => {
                    out.insert(key.clone(), value.clone());
                }
                _ => return Err(format!("{here}: not an OpenAPI 3.0 type: {value}")),
            },
            "exclusiveMinimum" | "exclusiveMaximum" => {
                let Value::Bool(b) = value else {
                    return Err(format!(
                        "{here}: must be a boolean in OpenAPI 3.0, found {value}"
                    ));
                };
                if key == "exclusiveMinimum" {
                    exclusive_min = *b;
                } else {
                    exclusive_max = *b;
                }
            }
            "properties" => {
                let Value::Object(props) = value else {
                    return Err(format!("{here}: must be a mapping"));
                };
                let mut converted = Map::new();
                for (name, sub) in props {
                    converted.insert(
                        name.clone(),
                        convert_schema(sub, &format!("{here}/{name}"))?,
                    );
                }
                out.insert(key.clone(), Value::Object(converted));
            }
            "additionalProperties" => {
                let converted = match value {
                    Value::Bool(_) => value.clone(),
                    _ => convert_schema(value, &here)?,
                };
                out.insert(key.clone(), converted);
            }
            "items" | "not" => {
                out.insert(key.clone(), convert_schema(value, &here)?);
            }
            "allOf" | "anyOf" | "oneOf" => {
                let Value::Array(subs) = value else {
                    return Err(format!("{here}: must be a list"));
                };
                let converted = subs
                    .iter()
                    .enumerate()
                    .map(|(i, sub)| convert_schema(sub, &format!("{here}/{i}")))
                    .collect::<Result<Vec<_>, _>>()?;
                out.insert(key.clone(), Value::Array(converted));
            }
            k if COPIED.contains(&k) => {
                out.insert(key.clone(), value.clone());
            }
            k if DROPPED.contains(&k) || k.starts_with("x-") => {}
            _ => return Err(format!("{here}: unsupported Schema Object keyword `{key}`")),
        }
    }
    if exclusive_min {
        let min = out
            .remove("minimum")
            .ok_or_else(|| format!("{at}: exclusiveMinimum without minimum"))?;
        out.insert("exclusiveMinimum".into(), min);
    }
    if exclusive_max {
        let max = out
            .remove("maximum")
            .ok_or_else(|| format!("{at}: exclusiveMaximum without maximum"))?;
        out.insert("exclusiveMaximum".into(), max);
    }
    if out.get("items").is_some() && out.get("type").and_then(Value::as_str) != Some("array") {
        // Allowed by JSON Schema, but OpenAPI 3.0 requires `type: array` beside `items`.
        return Err(format!("{at}: `items` without `type: array`"));
    }

    if nullable {
        // OpenAPI 3.0.3: `nullable: true` adds `null` to the `type` of the same Schema Object and
        // does nothing else; every other keyword (`enum`, `allOf`, …) keeps its meaning and may
        // still reject `null`. Without `type` it has no effect, which is always a mistake here.
        match out.get("type").cloned() {
            Some(Value::String(t)) => {
                out.insert("type".into(), json!([t, "null"]));
            }
            _ => {
                return Err(format!(
                    "{at}: `nullable: true` without `type` has no effect in OpenAPI 3.0; use `anyOf: [<schema>, {{enum: [null]}}]`"
                ));
            }
        }
    }
    Ok(Value::Object(out))
}

/// Compiles a JSON Schema document with the format checks described in the module docs.
pub fn compile(document: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .should_ignore_unknown_formats(false)
        .with_format("date-time-rfc-2822", |s: &str| {
            chrono::DateTime::parse_from_rfc2822(s).is_ok()
        })
        .with_format("int32", |_: &str| true)
        .with_format("int64", |_: &str| true)
        .with_format("float", |_: &str| true)
        .with_format("double", |_: &str| true)
        .with_format("password", |_: &str| true)
        .with_format("binary", |_: &str| true)
        .build(document)
        .map_err(|e| format!("schema does not compile: {e}"))
}

/// Validates `value`; on failure lists every error with its JSON pointer in the instance and the
/// keyword location in the schema.
fn check(validator: &jsonschema::Validator, value: &Value) -> Result<(), Vec<String>> {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| {
            let pointer = e.instance_path().to_string();
            let shown = if pointer.is_empty() {
                "\"\" (root)".to_owned()
            } else {
                format!("{pointer:?}")
            };
            format!("at {shown}: {e} [schema {}]", e.schema_path())
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

pub struct SpecValidator {
    files: Vec<SpecFile>,
    /// Converted `components.schemas` of each file, by stem.
    defs: BTreeMap<String, Map<String, Value>>,
    /// Component schemas that could not be converted, by stem. Validation against such a file
    /// fails with these messages; `conversion_errors` lists them for a test of their own.
    broken: BTreeMap<String, Vec<String>>,
}

impl SpecValidator {
    /// Loads every spec/*.yaml (path via env!("CARGO_MANIFEST_DIR")). Panics naming the file if
    /// one is not YAML; a component schema that cannot be converted is recorded instead (see
    /// `conversion_errors`), so that the structural tests still run.
    pub fn load() -> Self {
        let files = load_spec_files();
        let mut defs = BTreeMap::new();
        let mut broken: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for file in &files {
            let mut converted = Map::new();
            let mut errors = Vec::new();
            match file.json.pointer("/components/schemas") {
                None => {}
                Some(Value::Object(schemas)) => {
                    for (name, schema) in schemas {
                        let at = format!("spec/{}.yaml#/components/schemas/{name}", file.stem);
                        match convert_schema(schema, &at) {
                            Ok(c) => {
                                converted.insert(name.clone(), c);
                            }
                            Err(e) => {
                                errors.push(e);
                                converted.insert(name.clone(), Value::Bool(false));
                            }
                        }
                    }
                }
                Some(_) => errors.push(format!(
                    "spec/{}.yaml#/components/schemas: not a mapping",
                    file.stem
                )),
            }
            defs.insert(file.stem.clone(), converted);
            if !errors.is_empty() {
                broken.insert(file.stem.clone(), errors);
            }
        }
        Self {
            files,
            defs,
            broken,
        }
    }

    /// Every component schema that could not be converted to JSON Schema, with its location.
    pub fn conversion_errors(&self) -> Vec<String> {
        self.broken.values().flatten().cloned().collect()
    }

    pub fn files(&self) -> &[SpecFile] {
        &self.files
    }

    pub fn file(&self, stem: &str) -> Option<&SpecFile> {
        self.files.iter().find(|f| f.stem == stem)
    }

    /// Every operation of every file, files in name order.
    pub fn operations(&self) -> Vec<Operation<'_>> {
        let mut ops = Vec::new();
        for file in &self.files {
            let Some(paths) = file.json.get("paths").and_then(Value::as_object) else {
                continue;
            };
            for (path, item) in paths {
                for method in METHODS {
                    if let Some(op) = item.get(method) {
                        ops.push(Operation {
                            spec: &file.stem,
                            path,
                            method,
                            operation_id: op.get("operationId").and_then(Value::as_str),
                            path_item: item,
                            op,
                            doc: &file.json,
                        });
                    }
                }
            }
        }
        ops
    }

    pub fn operation(&self, operation_id: &str) -> Option<Operation<'_>> {
        self.operations()
            .into_iter()
            .find(|op| op.operation_id == Some(operation_id))
    }

    /// A JSON Schema document for `root` (already converted) with the file's `$defs`.
    fn document(&self, spec: &str, root: Value) -> Result<Value, String> {
        let defs = self
            .defs
            .get(spec)
            .ok_or_else(|| format!("no spec file `{spec}` (known: {:?})", self.stems()))?;
        if let Some(errors) = self.broken.get(spec) {
            return Err(format!(
                "component schemas do not convert:\n  {}",
                errors.join("\n  ")
            ));
        }
        let mut doc = match root {
            Value::Object(map) => map,
            other => return Err(format!("root schema is not an object: {other}")),
        };
        doc.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        doc.insert("$defs".into(), Value::Object(defs.clone()));
        Ok(Value::Object(doc))
    }

    fn stems(&self) -> Vec<&str> {
        self.files.iter().map(|f| f.stem.as_str()).collect()
    }

    /// The converted JSON Schema document of an OpenAPI Schema Object found in file `spec`.
    pub fn json_schema(&self, spec: &str, openapi_schema: &Value) -> Result<Value, String> {
        let root = convert_schema(openapi_schema, &format!("spec/{spec}.yaml"))?;
        self.document(spec, root)
    }

    /// Validates a value against an OpenAPI Schema Object of file `spec` (inline, or a `$ref`).
    pub fn validate_openapi_schema(
        &self,
        spec: &str,
        openapi_schema: &Value,
        value: &Value,
    ) -> Result<(), String> {
        let document = self.json_schema(spec, openapi_schema)?;
        let validator = compile(&document).map_err(|e| format!("spec/{spec}.yaml: {e}"))?;
        check(&validator, value).map_err(|errors| {
            format!(
                "spec/{spec}.yaml: value does not validate:\n  {}",
                errors.join("\n  ")
            )
        })
    }

    /// Validates a response body of an operation (by operationId such as "CreateIpRecord",
    /// "ListSipIpAddress") and HTTP status against the spec: the exact declared status ("201") or
    /// its range key ("4XX"); error if the operation or status is not declared or the body does
    /// not validate. Error text names the operation, status and the failing JSON pointer(s).
    ///
    /// A response declared without content (204) accepts only `Value::Null`, standing for an
    /// empty body.
    pub fn validate_response(
        &self,
        operation_id: &str,
        status: u16,
        body: &serde_json::Value,
    ) -> Result<(), String> {
        let op = self
            .operation(operation_id)
            .ok_or_else(|| format!("{operation_id} {status}: no operation `{operation_id}`"))?;
        let spec = op.spec;
        let responses = op
            .op
            .get("responses")
            .and_then(Value::as_object)
            .ok_or_else(|| format!("{operation_id} {status}: the operation has no responses"))?;
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        let (key, response) = [exact.as_str(), range.as_str()]
            .into_iter()
            .find_map(|k| responses.get(k).map(|r| (k, r)))
            .ok_or_else(|| {
                format!(
                    "{operation_id} {status}: status not declared (spec/{spec}.yaml declares {:?})",
                    responses.keys().collect::<Vec<_>>()
                )
            })?;
        let context = format!("{operation_id} {status} (spec/{spec}.yaml response `{key}`)");
        let response = resolve(op.doc, response).map_err(|e| format!("{context}: {e}"))?;
        let Some(content) = response.get("content").and_then(Value::as_object) else {
            return if body.is_null() {
                Ok(())
            } else {
                Err(format!(
                    "{context}: the response declares no content, but a body was given: {body}"
                ))
            };
        };
        let media = content
            .get("application/json")
            .or_else(|| {
                content
                    .iter()
                    .find(|(k, _)| k.starts_with("application/") && k.ends_with("json"))
                    .map(|(_, v)| v)
            })
            .ok_or_else(|| {
                format!(
                    "{context}: no JSON media type (declared: {:?})",
                    content.keys().collect::<Vec<_>>()
                )
            })?;
        let schema = media
            .get("schema")
            .ok_or_else(|| format!("{context}: the media type has no schema"))?;
        let document = self
            .json_schema(spec, schema)
            .map_err(|e| format!("{context}: {e}"))?;
        let validator = compile(&document).map_err(|e| format!("{context}: {e}"))?;
        check(&validator, body).map_err(|errors| {
            format!(
                "{context}: body does not validate:\n  {}",
                errors.join("\n  ")
            )
        })
    }

    /// Validates a value against a named component schema of a spec file (file stem e.g.
    /// "ip_record").
    pub fn validate_schema(
        &self,
        spec: &str,
        schema: &str,
        value: &serde_json::Value,
    ) -> Result<(), String> {
        let defs = self
            .defs
            .get(spec)
            .ok_or_else(|| format!("no spec file `{spec}` (known: {:?})", self.stems()))?;
        if !defs.contains_key(schema) {
            return Err(format!(
                "spec/{spec}.yaml has no component schema `{schema}` (known: {:?})",
                defs.keys().collect::<Vec<_>>()
            ));
        }
        let reference = json!({ "$ref": format!("#/components/schemas/{schema}") });
        self.validate_openapi_schema(spec, &reference, value)
            .map_err(|e| format!("{schema}: {e}"))
    }

    /// All (spec stem, operation id, status, example name, example value) response examples, for
    /// tests. Covers `examples` (resolving `#/components/examples` references) and `example` of
    /// every JSON media type of every response, shared error responses included.
    pub fn response_examples(&self) -> Vec<(String, String, String, String, serde_json::Value)> {
        let mut out = Vec::new();
        for op in self.operations() {
            let id = op.operation_id.unwrap_or("<no operationId>");
            let Some(responses) = op.op.get("responses").and_then(Value::as_object) else {
                continue;
            };
            for (status, response) in responses {
                let response = resolve(op.doc, response)
                    .unwrap_or_else(|e| panic!("{} response {status}: {e}", op.location()));
                let Some(content) = response.get("content").and_then(Value::as_object) else {
                    continue;
                };
                for (media_type, media) in content {
                    if !media_type.ends_with("json") {
                        continue;
                    }
                    if let Some(example) = media.get("example") {
                        out.push((
                            op.spec.to_owned(),
                            id.to_owned(),
                            status.clone(),
                            "example".to_owned(),
                            example.clone(),
                        ));
                    }
                    let Some(examples) = media.get("examples").and_then(Value::as_object) else {
                        continue;
                    };
                    for (name, example) in examples {
                        let example = resolve(op.doc, example).unwrap_or_else(|e| {
                            panic!("{} response {status} example {name}: {e}", op.location())
                        });
                        let value = example.get("value").unwrap_or_else(|| {
                            panic!(
                                "{} response {status} example {name}: no inline `value` \
                                 (externalValue is not supported)",
                                op.location()
                            )
                        });
                        out.push((
                            op.spec.to_owned(),
                            id.to_owned(),
                            status.clone(),
                            name.clone(),
                            value.clone(),
                        ));
                    }
                }
            }
        }
        out
    }
}
