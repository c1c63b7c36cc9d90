//! The spec model: what one spec file says about its resource, read once and used by every
//! emitter (bindings, facade, emulator tables).
//!
//! The file is read as plain JSON values (after YAML parsing) so that vendor extensions
//! (`x-twilio`) and every constraint keyword are at hand; progenitor gets the same file through
//! `openapiv3` in `bindings.rs`.

mod envelope;
mod operations;
mod paths;
mod properties;

use serde_json::Value;

use super::naming::{pascal, singular, snake};
// The words the emulator's tables use too (`src/mock/table.rs` includes the same file).
pub use super::vocabulary::{Api, DateFormat, FieldKind, Property, Source};

/// The 2010 API's path prefix; `{AccountSid}` is filled by the client.
pub const ACCOUNT_PREFIX: &str = "/2010-04-01/Accounts/{AccountSid}";

/// A SID kind: a component schema `<Name>Sid` with `pattern: ^XX[0-9a-fA-F]{32}$`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SidKind {
    /// `IpRecordSid`: the schema's name and the Rust alias `crate::sid::IpRecordSid`.
    pub schema: String,
    /// `IpRecord`: the marker type `crate::sid::kind::IpRecord`.
    pub name: String,
    /// `IL`.
    pub prefix: String,
    pub description: String,
}

/// A path parameter that names a parent resource, such as `{TrunkSid}`.
#[derive(Debug, Clone)]
pub struct PathParam {
    /// `TrunkSid`, as in the path.
    pub name: String,
    pub kind: SidKind,
    pub description: String,
}

/// One step of a path: literal segments, then the parameter that follows them (none for the
/// collection at the end). `/SIP/Domains/{DomainSid}/Auth/Calls/IpAccessControlListMappings`
/// is `[SIP, Domains] {DomainSid}` and `[Auth, Calls, IpAccessControlListMappings]`.
#[derive(Debug, Clone)]
pub struct Group {
    pub literals: Vec<String>,
    pub param: Option<PathParam>,
}

impl Group {
    /// `SipIpAccessControlList` for `[SIP, IpAccessControlLists]`.
    pub fn singular_pascal(&self) -> String {
        singular(&self.literals.iter().map(|l| pascal(l)).collect::<String>())
    }

    /// `sip_ip_access_control_list`: the accessor of the instance handle (`…Context`) this
    /// group's parameter names.
    pub fn accessor(&self) -> String {
        snake(&self.singular_pascal())
    }

    /// `sip_ip_access_control_lists` for `[SIP, IpAccessControlLists]`.
    pub fn plural_snake(&self) -> String {
        snake(&self.literals.iter().map(|l| pascal(l)).collect::<String>())
    }
}

/// A form field of create or update.
#[derive(Debug, Clone)]
pub struct Field {
    /// `CidrPrefixLength`.
    pub wire: String,
    /// `cidr_prefix_length`: the Rust name, and the response property it is stored as.
    pub rust: String,
    pub required: bool,
    pub kind: FieldKind,
    /// The Rust type the bindings hold the value as: `crate::sid::IpRecordSid`,
    /// `::std::net::Ipv4Addr`, `::std::string::String`, `u8`, `i64`…
    pub rust_type: String,
    /// The spec's `default` (an integer: no spec states another kind), stored by Twilio when
    /// the field is absent.
    pub default: Option<i64>,
    pub description: String,
    pub example: Option<Value>,
    /// Twilio marks the value as PII.
    pub pii: bool,
}

/// The five operations a resource may declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    Create,
    Fetch,
    Update,
    Delete,
    List,
}

impl OpKind {
    pub fn verb(self) -> &'static str {
        match self {
            OpKind::Create => "create",
            OpKind::Fetch => "fetch",
            OpKind::Update => "update",
            OpKind::Delete => "delete",
            OpKind::List => "list",
        }
    }
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    pub kind: OpKind,
    /// The spec's operationId, such as `CreateSipIpAddress`.
    pub id: String,
    /// progenitor's method for it, such as `create_sip_ip_address`.
    pub method: String,
    pub summary: String,
    pub description: String,
    /// The form fields: required ones in the order of `required`, then the optional ones.
    pub fields: Vec<Field>,
    /// The request body schema's name, such as `CreateSipIpAddressRequest`.
    pub body_schema: Option<String>,
}

/// A string enum component schema.
#[derive(Debug, Clone)]
pub struct EnumSchema {
    /// The component's name, such as `trunk_enum_transfer_setting`.
    pub schema: String,
    /// `TrunkEnumTransferSetting`.
    pub rust: String,
    pub values: Vec<String>,
    pub description: String,
}

/// Everything one spec file says about its resource.
#[derive(Debug, Clone)]
pub struct Resource {
    /// `sip_ip_address`: the file's stem.
    pub module: String,
    /// `spec/sip_ip_address.yaml`.
    pub file: String,
    pub title: String,
    pub description: String,
    /// `api`, `voice`, `trunking`: the first label of the server's host.
    pub product: String,
    /// `https://api.twilio.com`.
    pub server: String,
    pub api: Api,
    /// `SipIpAddress`: the response schema's name.
    pub class: String,
    pub list_path: String,
    pub instance_path: String,
    /// The list envelope's array key, such as `ip_addresses`.
    pub list_key: String,
    /// The list response schema's name, such as `ListSipIpAddressResponse`.
    pub list_schema: Option<String>,
    /// The kind of the resource's own SID.
    pub sid: SidKind,
    /// The path after the API prefix, in groups; the last one is the collection.
    pub groups: Vec<Group>,
    /// The accessor on the parent handle, such as `ip_addresses`.
    pub mount: String,
    pub operations: Vec<Operation>,
    pub properties: Vec<Property>,
    /// The properties Twilio marks as PII (`x-twilio: {pii: …}`), by name.
    pub pii_properties: Vec<String>,
    pub enums: Vec<EnumSchema>,
    /// Every SID kind the file declares.
    pub sid_kinds: Vec<SidKind>,
    /// Component schemas replaced by Rust types in the bindings: (schema, Rust path).
    pub replacements: Vec<(String, String)>,
}

impl Resource {
    pub fn op(&self, kind: OpKind) -> Option<&Operation> {
        self.operations.iter().find(|o| o.kind == kind)
    }

    /// The parent path parameters, outermost first (`{AccountSid}` excluded).
    pub fn parents(&self) -> Vec<&PathParam> {
        self.groups
            .iter()
            .filter_map(|g| g.param.as_ref())
            .collect()
    }

    /// The create field whose SID becomes the resource's own (an association, such as a
    /// trunk's IP access control list, whose SID is the list's).
    pub fn association(&self) -> Option<&Field> {
        self.op(OpKind::Create)?.fields.iter().find(|f| {
            f.required && matches!(&f.kind, FieldKind::Sid { prefix } if *prefix == self.sid.prefix)
        })
    }

    /// One of the SID kinds the file declares, by its prefix.
    pub fn sid_kind(&self, prefix: &str) -> Option<&SidKind> {
        self.sid_kinds.iter().find(|k| k.prefix == prefix)
    }

    /// The collection handle's type: `SipIpAddresses`.
    pub fn collection_type(&self) -> String {
        super::naming::plural(&self.class)
    }
}

/// Reads a spec file into the model, or lists what keeps it from following the conventions
/// (`spec/README.md`).
pub fn read(file: &str, module: &str, doc: &Value) -> Result<Resource, Vec<String>> {
    let mut problems = Vec::new();
    let resource = Reader {
        doc,
        module,
        problems: &mut problems,
    }
    .resource(file);
    match resource {
        Some(r) if problems.is_empty() => Ok(r),
        _ => Err(problems),
    }
}

struct Reader<'a> {
    doc: &'a Value,
    module: &'a str,
    problems: &'a mut Vec<String>,
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Whether a property schema allows `null` in OpenAPI 3.0: `nullable: true` beside its `type`,
/// or an `anyOf` with an `enum: [null]` branch (how a `$ref` is made nullable, since `nullable`
/// beside a `$ref` or without `type` has no effect).
fn admits_null(schema: &Value) -> bool {
    schema.get("nullable").and_then(Value::as_bool) == Some(true)
        || schema
            .get("anyOf")
            .and_then(Value::as_array)
            .is_some_and(|branches| {
                branches.iter().any(|b| {
                    b.get("enum")
                        .and_then(Value::as_array)
                        .is_some_and(|values| values.iter().all(Value::is_null))
                })
            })
}

/// `#/components/schemas/Name` → `Name`.
fn ref_name(value: &Value) -> Option<&str> {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
}

impl Reader<'_> {
    fn problem(&mut self, message: impl Into<String>) {
        self.problems.push(message.into());
    }

    fn schemas(&self) -> Option<&serde_json::Map<String, Value>> {
        self.doc.pointer("/components/schemas")?.as_object()
    }

    fn schema(&self, name: &str) -> Option<&Value> {
        self.schemas()?.get(name)
    }

    /// A schema with one level of `$ref` followed (and its name, when it is a component).
    fn resolve<'v>(&'v self, schema: &'v Value) -> (Option<&'v str>, &'v Value) {
        match ref_name(schema) {
            Some(name) => (Some(name), self.schema(name).unwrap_or(&Value::Null)),
            None => (None, schema),
        }
    }

    /// A `$ref` to `#/components/parameters/...` followed.
    fn parameter<'v>(&'v self, param: &'v Value) -> &'v Value {
        match param.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.rsplit('/').next().unwrap_or_default();
                self.doc
                    .pointer(&format!("/components/parameters/{name}"))
                    .unwrap_or(&Value::Null)
            }
            None => param,
        }
    }

    fn sid_kind(&self, name: &str, schema: &Value) -> Option<SidKind> {
        let pattern = schema.get("pattern")?.as_str()?;
        let prefix = pattern
            .strip_prefix('^')?
            .strip_suffix("[0-9a-fA-F]{32}$")?;
        let kind = name.strip_suffix("Sid")?;
        let ok = prefix.len() == 2 && prefix.chars().all(|c| c.is_ascii_uppercase());
        ok.then(|| SidKind {
            schema: name.to_owned(),
            name: kind.to_owned(),
            prefix: prefix.to_owned(),
            description: text(schema, "description"),
        })
    }

    fn sid_kinds(&self) -> Vec<SidKind> {
        let mut kinds = Vec::new();
        for (name, schema) in self.schemas().into_iter().flatten() {
            if let Some(kind) = self.sid_kind(name, schema) {
                kinds.push(kind);
            }
        }
        kinds
    }

    fn enums(&self) -> Vec<EnumSchema> {
        let mut enums = Vec::new();
        for (name, schema) in self.schemas().into_iter().flatten() {
            if let Some(values) = schema.get("enum").and_then(Value::as_array) {
                enums.push(EnumSchema {
                    schema: name.clone(),
                    rust: pascal(name),
                    values: values
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect(),
                    description: text(schema, "description"),
                });
            }
        }
        enums
    }

    /// The Rust type for an integer schema, from its bounds: the narrowest unsigned type that
    /// holds `minimum..=maximum`, else `i64`.
    fn integer_type(schema: &Value) -> String {
        let min = schema.get("minimum").and_then(Value::as_i64);
        let max = schema.get("maximum").and_then(Value::as_i64);
        match (min, max) {
            (Some(lo), Some(hi)) if lo >= 0 && hi <= u8::MAX as i64 => "u8",
            (Some(lo), Some(hi)) if lo >= 0 && hi <= u16::MAX as i64 => "u16",
            (Some(lo), Some(hi)) if lo >= 0 && hi <= u32::MAX as i64 => "u32",
            _ if schema.get("format").and_then(Value::as_str) == Some("int32") => "i32",
            _ => "i64",
        }
        .into()
    }

    /// The component schemas the bindings take from the crate instead of generating: SIDs,
    /// IPv4 addresses, RFC 2822 dates, the error body, enums (forward compatible), and scalar
    /// schemas (whose constraints the facade checks with errors naming the parameter).
    fn replacements(&self, sid_kinds: &[SidKind], enums: &[EnumSchema]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (name, schema) in self.schemas().into_iter().flatten() {
            let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
            let ty = schema.get("type").and_then(Value::as_str).unwrap_or("");
            let rust = if let Some(kind) = sid_kinds.iter().find(|k| &k.schema == name) {
                format!("crate::sid::{}", kind.schema)
            } else if name == "TwilioError" {
                "crate::error::ApiErrorBody".into()
            } else if let Some(e) = enums.iter().find(|e| &e.schema == name) {
                format!("crate::generated::{}::enums::{}", self.module, e.rust)
            } else if ty == "string" && format == "ipv4" {
                "::std::net::Ipv4Addr".into()
            } else if ty == "string" && format == "date-time-rfc-2822" {
                "crate::time::Rfc2822DateTime".into()
            } else if ty == "string" && format == "date-time" {
                "::chrono::DateTime<::chrono::offset::Utc>".into()
            } else if ty == "string" {
                "::std::string::String".into()
            } else if ty == "integer" {
                Self::integer_type(schema)
            } else if ty == "boolean" {
                "bool".into()
            } else {
                continue;
            };
            out.push((name.clone(), rust));
        }
        out
    }

    /// What a form field holds, and the Rust type the bindings hold it as.
    fn field_type(
        &mut self,
        wire: &str,
        schema: &Value,
        sid_kinds: &[SidKind],
        enums: &[EnumSchema],
    ) -> Option<(FieldKind, String)> {
        let (name, resolved) = self.resolve(schema);
        if let Some(name) = name {
            if let Some(kind) = sid_kinds.iter().find(|k| k.schema == name) {
                let prefix = kind.prefix.clone().into();
                return Some((
                    FieldKind::Sid { prefix },
                    format!("crate::sid::{}", kind.schema),
                ));
            }
            if enums.iter().any(|e| e.schema == name) {
                self.problem(format!(
                    "form field `{wire}`: an enum in a form body is not supported yet (no spec has one); the generator and the emulator would both need it"
                ));
                return None;
            }
        } else if resolved.get("enum").is_some() {
            self.problem(format!(
                "form field `{wire}`: an enum must be a component schema (`$ref`), so that its Rust type is shared and forward compatible"
            ));
            return None;
        }
        let int = |key: &str| resolved.get(key).and_then(Value::as_i64);
        let uint = |key: &str| resolved.get(key).and_then(Value::as_u64);
        match resolved.get("type").and_then(Value::as_str) {
            Some("string") if resolved.get("format").and_then(Value::as_str) == Some("ipv4") => {
                Some((FieldKind::Ipv4, "::std::net::Ipv4Addr".into()))
            }
            Some("string") => Some((
                FieldKind::Text {
                    min_length: uint("minLength"),
                    max_length: uint("maxLength"),
                    pattern: resolved
                        .get("pattern")
                        .and_then(Value::as_str)
                        .map(|p| p.to_owned().into()),
                },
                "::std::string::String".into(),
            )),
            Some("integer") => Some((
                FieldKind::Integer {
                    minimum: int("minimum"),
                    maximum: int("maximum"),
                },
                if name.is_some() {
                    Self::integer_type(resolved)
                } else if resolved.get("format").and_then(Value::as_str) == Some("int32") {
                    "i32".into()
                } else {
                    "i64".into()
                },
            )),
            other => {
                self.problem(format!(
                    "form field `{wire}`: type {other:?} is not supported in a form body (string, integer, an IPv4 address or a SID)"
                ));
                None
            }
        }
    }

    fn fields(
        &mut self,
        body_schema: &str,
        sid_kinds: &[SidKind],
        enums: &[EnumSchema],
    ) -> Vec<Field> {
        let Some(schema) = self.schema(body_schema).cloned() else {
            self.problem(format!("request body schema `{body_schema}` is missing"));
            return Vec::new();
        };
        let required: Vec<String> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let empty = serde_json::Map::new();
        let props = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for name in &required {
            if !props.contains_key(name) {
                self.problem(format!(
                    "`{body_schema}` requires `{name}`, which is not among its properties"
                ));
            }
        }
        let mut ordered: Vec<&String> =
            required.iter().filter(|r| props.contains_key(*r)).collect();
        ordered.extend(props.keys().filter(|k| !required.contains(k)));
        let mut fields = Vec::new();
        for wire in ordered {
            let prop = &props[wire];
            let Some((kind, rust_type)) = self.field_type(wire, prop, sid_kinds, enums) else {
                continue;
            };
            let (_, resolved) = self.resolve(prop);
            let default = resolved
                .get("default")
                .or_else(|| prop.get("default"))
                .map(|value| match &kind {
                    FieldKind::Integer { .. } => value.as_i64(),
                    _ => None,
                });
            // Reported once `resolved`, borrowed from the document, is no longer needed.
            let unsupported_default = matches!(default, Some(None));
            let default = default.flatten();
            let mut description = text(prop, "description");
            if description.is_empty() {
                description = text(resolved, "description");
            }
            fields.push(Field {
                wire: wire.clone(),
                rust: snake(wire),
                required: required.contains(wire),
                kind,
                rust_type,
                default,
                description,
                example: resolved
                    .get("example")
                    .or_else(|| prop.get("example"))
                    .cloned(),
                pii: is_pii(prop) || is_pii(resolved),
            });
            if unsupported_default {
                self.problem(format!(
                    "form field `{wire}`: only an integer field's `default` is supported (no spec states another)"
                ));
            }
        }
        fields
    }

    fn operation(
        &mut self,
        kind: OpKind,
        op: &Value,
        sid_kinds: &[SidKind],
        enums: &[EnumSchema],
    ) -> Operation {
        let id = text(op, "operationId");
        let body_schema = op
            .pointer("/requestBody/content/application~1x-www-form-urlencoded/schema")
            .and_then(ref_name)
            .map(str::to_owned);
        if op.get("requestBody").is_some() && body_schema.is_none() {
            self.problem(format!(
                "{id}: the form body must `$ref` a component schema (application/x-www-form-urlencoded)"
            ));
        }
        let fields = match &body_schema {
            Some(name) => self.fields(name, sid_kinds, enums),
            None => Vec::new(),
        };
        Operation {
            kind,
            method: snake(&id),
            id,
            summary: text(op, "summary"),
            description: text(op, "description"),
            fields,
            body_schema,
        }
    }

    /// The component schema a success response names.
    fn response_schema(&self, op: &Value, status: &str) -> Option<String> {
        op.pointer(&format!(
            "/responses/{status}/content/application~1json/schema"
        ))
        .and_then(ref_name)
        .map(str::to_owned)
    }

    fn path_param(&mut self, item: &Value, name: &str, sid_kinds: &[SidKind]) -> Option<PathParam> {
        let params = item.get("parameters").and_then(Value::as_array);
        let param = params
            .into_iter()
            .flatten()
            .map(|p| self.parameter(p))
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
            .cloned();
        let Some(param) = param else {
            self.problem(format!(
                "path parameter `{name}` must be declared on the path item"
            ));
            return None;
        };
        let schema = param.get("schema").cloned().unwrap_or(Value::Null);
        let kind = ref_name(&schema).and_then(|n| sid_kinds.iter().find(|k| k.schema == n));
        match kind {
            Some(kind) => Some(PathParam {
                name: name.to_owned(),
                kind: kind.clone(),
                description: text(&param, "description"),
            }),
            None => {
                self.problem(format!(
                    "path parameter `{name}` must `$ref` a SID schema (`<Kind>Sid` with pattern ^XX[0-9a-fA-F]{{32}}$)"
                ));
                None
            }
        }
    }

    /// The whole file, pass by pass (each in a module of its own beside this one).
    fn resource(&mut self, file: &str) -> Option<Resource> {
        let (product, server) = self.server();
        let sid_kinds = self.sid_kinds();
        let enums = self.enums();
        let paths = self.paths()?;
        let groups = self.groups(&paths, &sid_kinds);
        let mount = paths
            .list_item
            .pointer("/x-twilio/mountName")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| groups.last().map(Group::plural_snake).unwrap_or_default());
        let own = self.path_param(paths.instance_item, "Sid", &sid_kinds);
        let operations = self.operations(&paths, &sid_kinds, &enums);
        let envelope = self.envelope(&paths)?;
        let (properties, pii_properties) = self.properties(&envelope.class, &groups)?;

        let info = self.doc.get("info").unwrap_or(&Value::Null);
        Some(Resource {
            module: self.module.to_owned(),
            file: file.to_owned(),
            title: text(info, "title"),
            description: text(info, "description"),
            product,
            server,
            api: paths.api,
            class: envelope.class,
            list_path: paths.list_path,
            instance_path: paths.instance_path,
            list_key: envelope.list_key,
            list_schema: envelope.list_schema,
            sid: own?.kind,
            groups,
            mount,
            operations,
            properties,
            pii_properties,
            replacements: self.replacements(&sid_kinds, &enums),
            enums,
            sid_kinds,
        })
    }
}

/// Twilio's PII marker, `x-twilio: {pii: {...}}`.
fn is_pii(schema: &Value) -> bool {
    schema.pointer("/x-twilio/pii").is_some()
}

fn url_host(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', ':']).next()?;
    (!host.is_empty()).then_some(host)
}
