//! Properties of the four curated OpenAPI files in `spec/`, checked against
//! `../shared/notes/twilio-api-facts.md`: structure, operations, references, status codes,
//! parameters and their constraints, examples, date formats, and the validator used for them.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::schema::{METHODS, SpecValidator, convert_schema, resolve, resolve_pointer};
use serde_json::{Value, json};

/// (file stem, the one server URL, number of operations, 2010 API?).
#[rustfmt::skip]
const FILES: [(&str, &str, usize, bool); 4] = [
    ("ip_record",                    "https://voice.twilio.com",    5, false),
    ("source_ip_mapping",            "https://voice.twilio.com",    5, false),
    ("trunk_ip_access_control_list", "https://trunking.twilio.com", 4, false),
    ("sip_ip_address",               "https://api.twilio.com",      5, true),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Create,
    List,
    Fetch,
    Update,
    Delete,
}

impl Kind {
    fn method(self) -> &'static str {
        match self {
            Kind::Create | Kind::Update => "post",
            Kind::List | Kind::Fetch => "get",
            Kind::Delete => "delete",
        }
    }

    fn success(self) -> &'static str {
        match self {
            Kind::Create => "201",
            Kind::List | Kind::Fetch | Kind::Update => "200",
            Kind::Delete => "204",
        }
    }
}

const IP_RECORDS: &str = "/v1/IpRecords";
const IP_RECORD: &str = "/v1/IpRecords/{Sid}";
const MAPPINGS: &str = "/v1/SourceIpMappings";
const MAPPING: &str = "/v1/SourceIpMappings/{Sid}";
const TRUNK_ACLS: &str = "/v1/Trunks/{TrunkSid}/IpAccessControlLists";
const TRUNK_ACL: &str = "/v1/Trunks/{TrunkSid}/IpAccessControlLists/{Sid}";
const SIP_ADDRESSES: &str = "/2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists/{IpAccessControlListSid}/IpAddresses.json";
const SIP_ADDRESS: &str = "/2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists/{IpAccessControlListSid}/IpAddresses/{Sid}.json";

/// The 19 operations of the facts file: (file, operationId, path, kind).
#[rustfmt::skip]
const OPERATIONS: [(&str, &str, &str, Kind); 19] = [
    ("ip_record", "CreateIpRecord", IP_RECORDS, Kind::Create),
    ("ip_record", "ListIpRecord",   IP_RECORDS, Kind::List),
    ("ip_record", "FetchIpRecord",  IP_RECORD,  Kind::Fetch),
    ("ip_record", "UpdateIpRecord", IP_RECORD,  Kind::Update),
    ("ip_record", "DeleteIpRecord", IP_RECORD,  Kind::Delete),
    ("source_ip_mapping", "CreateSourceIpMapping", MAPPINGS, Kind::Create),
    ("source_ip_mapping", "ListSourceIpMapping",   MAPPINGS, Kind::List),
    ("source_ip_mapping", "FetchSourceIpMapping",  MAPPING,  Kind::Fetch),
    ("source_ip_mapping", "UpdateSourceIpMapping", MAPPING,  Kind::Update),
    ("source_ip_mapping", "DeleteSourceIpMapping", MAPPING,  Kind::Delete),
    ("trunk_ip_access_control_list", "CreateIpAccessControlList", TRUNK_ACLS, Kind::Create),
    ("trunk_ip_access_control_list", "ListIpAccessControlList",   TRUNK_ACLS, Kind::List),
    ("trunk_ip_access_control_list", "FetchIpAccessControlList",  TRUNK_ACL,  Kind::Fetch),
    ("trunk_ip_access_control_list", "DeleteIpAccessControlList", TRUNK_ACL,  Kind::Delete),
    ("sip_ip_address", "CreateSipIpAddress", SIP_ADDRESSES, Kind::Create),
    ("sip_ip_address", "ListSipIpAddress",   SIP_ADDRESSES, Kind::List),
    ("sip_ip_address", "FetchSipIpAddress",  SIP_ADDRESS,   Kind::Fetch),
    ("sip_ip_address", "UpdateSipIpAddress", SIP_ADDRESS,   Kind::Update),
    ("sip_ip_address", "DeleteSipIpAddress", SIP_ADDRESS,   Kind::Delete),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Loc {
    Path,
    Query,
    Form,
}

#[derive(Clone, Copy, Debug)]
enum Constraint {
    /// A SID with this two-letter prefix.
    Sid(&'static str),
    PageSize,
    Page,
    PageToken,
    FriendlyName,
    CidrPrefixLength,
    Ipv4,
}

const LISTS: [&str; 4] = [
    "ListIpRecord",
    "ListSourceIpMapping",
    "ListIpAccessControlList",
    "ListSipIpAddress",
];
const SIP_ALL: [&str; 5] = [
    "CreateSipIpAddress",
    "ListSipIpAddress",
    "FetchSipIpAddress",
    "UpdateSipIpAddress",
    "DeleteSipIpAddress",
];
const SIP_INSTANCE: [&str; 3] = [
    "FetchSipIpAddress",
    "UpdateSipIpAddress",
    "DeleteSipIpAddress",
];
const IP_RECORD_INSTANCE: [&str; 3] = ["FetchIpRecord", "UpdateIpRecord", "DeleteIpRecord"];
const MAPPING_INSTANCE: [&str; 3] = [
    "FetchSourceIpMapping",
    "UpdateSourceIpMapping",
    "DeleteSourceIpMapping",
];
const TRUNK_ALL: [&str; 4] = [
    "CreateIpAccessControlList",
    "ListIpAccessControlList",
    "FetchIpAccessControlList",
    "DeleteIpAccessControlList",
];
const TRUNK_INSTANCE: [&str; 2] = ["FetchIpAccessControlList", "DeleteIpAccessControlList"];

/// Every parameter and form field of the facts file: (operations, location, wire name, required,
/// constraint). Operations not listed for a location have no parameter there.
#[rustfmt::skip]
const PARAMETERS: &[(&[&str], Loc, &str, bool, Constraint)] = &[
    // Path parameters.
    (&IP_RECORD_INSTANCE, Loc::Path, "Sid",                    true, Constraint::Sid("IL")),
    (&MAPPING_INSTANCE,   Loc::Path, "Sid",                    true, Constraint::Sid("IB")),
    (&TRUNK_ALL,          Loc::Path, "TrunkSid",               true, Constraint::Sid("TK")),
    (&TRUNK_INSTANCE,     Loc::Path, "Sid",                    true, Constraint::Sid("AL")),
    (&SIP_ALL,            Loc::Path, "AccountSid",             true, Constraint::Sid("AC")),
    (&SIP_ALL,            Loc::Path, "IpAccessControlListSid", true, Constraint::Sid("AL")),
    (&SIP_INSTANCE,       Loc::Path, "Sid",                    true, Constraint::Sid("IP")),
    // List query parameters.
    (&LISTS, Loc::Query, "PageSize",  false, Constraint::PageSize),
    (&LISTS, Loc::Query, "Page",      false, Constraint::Page),
    (&LISTS, Loc::Query, "PageToken", false, Constraint::PageToken),
    // Form fields.
    (&["CreateIpRecord"],            Loc::Form, "IpAddress",              true,  Constraint::Ipv4),
    (&["CreateIpRecord"],            Loc::Form, "FriendlyName",           false, Constraint::FriendlyName),
    (&["CreateIpRecord"],            Loc::Form, "CidrPrefixLength",       false, Constraint::CidrPrefixLength),
    (&["UpdateIpRecord"],            Loc::Form, "FriendlyName",           false, Constraint::FriendlyName),
    (&["CreateSourceIpMapping"],     Loc::Form, "IpRecordSid",            true,  Constraint::Sid("IL")),
    (&["CreateSourceIpMapping"],     Loc::Form, "SipDomainSid",           true,  Constraint::Sid("SD")),
    (&["UpdateSourceIpMapping"],     Loc::Form, "SipDomainSid",           true,  Constraint::Sid("SD")),
    (&["CreateIpAccessControlList"], Loc::Form, "IpAccessControlListSid", true,  Constraint::Sid("AL")),
    (&["CreateSipIpAddress"],        Loc::Form, "FriendlyName",           true,  Constraint::FriendlyName),
    (&["CreateSipIpAddress"],        Loc::Form, "IpAddress",              true,  Constraint::Ipv4),
    (&["CreateSipIpAddress"],        Loc::Form, "CidrPrefixLength",       false, Constraint::CidrPrefixLength),
    (&["UpdateSipIpAddress"],        Loc::Form, "IpAddress",              false, Constraint::Ipv4),
    (&["UpdateSipIpAddress"],        Loc::Form, "FriendlyName",           false, Constraint::FriendlyName),
    (&["UpdateSipIpAddress"],        Loc::Form, "CidrPrefixLength",       false, Constraint::CidrPrefixLength),
];

const IPV4_VALID: [&str; 5] = [
    "0.0.0.0",
    "192.168.1.1",
    "255.255.255.255",
    "10.2.3.4",
    "1.0.99.249",
];
const IPV4_INVALID: [&str; 17] = [
    "256.1.1.1",
    "1.2.3.04",
    "1.2.3.00",
    "1.02.3.4",
    "1.2.3",
    "01.2.3.4",
    "10.0.0.*",
    "::1",
    "1.2.3.4.5",
    "1.2.3.256",
    " 1.2.3.4",
    "1.2.3.4 ",
    "1.2.3.4\n",
    "1.2.3.4/32",
    "",
    "a.b.c.d",
    "::ffff:1.2.3.4",
];

fn file_host(stem: &str) -> (&'static str, usize, bool) {
    let (_, host, count, is_2010) = FILES
        .iter()
        .find(|(s, ..)| *s == stem)
        .unwrap_or_else(|| panic!("spec/{stem}.yaml is not one of the four expected files"));
    (host, *count, *is_2010)
}

fn str_at<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// Collects every problem and panics once with all of them.
#[derive(Default)]
struct Problems(Vec<String>);

impl Problems {
    fn check(&mut self, ok: bool, msg: impl FnOnce() -> String) {
        if !ok {
            self.0.push(msg());
        }
    }

    fn push(&mut self, msg: String) {
        self.0.push(msg);
    }

    fn finish(self, what: &str) {
        assert!(
            self.0.is_empty(),
            "{what}: {} problem(s):\n- {}",
            self.0.len(),
            self.0.join("\n- ")
        );
    }
}

/// Every JSON value in a document with its JSON pointer.
fn walk<'a>(value: &'a Value, pointer: String, out: &mut Vec<(String, &'a Value)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let escaped = k.replace('~', "~0").replace('/', "~1");
                walk(v, format!("{pointer}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push((pointer, value));
}

/// The parameters of an operation, path-level and operation-level merged (the operation wins),
/// resolved: (name, in) -> parameter object. Problems go to `problems`.
fn parameters<'a>(
    op: &common::schema::Operation<'a>,
    problems: &mut Problems,
) -> BTreeMap<(String, String), &'a Value> {
    let mut out = BTreeMap::new();
    for (level, holder) in [("path item", op.path_item), ("operation", op.op)] {
        let Some(list) = holder.get("parameters") else {
            continue;
        };
        let Some(list) = list.as_array() else {
            problems.push(format!(
                "{}: {level} parameters is not a list",
                op.location()
            ));
            continue;
        };
        let mut seen = BTreeSet::new();
        for (i, p) in list.iter().enumerate() {
            let p = match resolve(op.doc, p) {
                Ok(p) => p,
                Err(e) => {
                    problems.push(format!("{}: {level} parameters/{i}: {e}", op.location()));
                    continue;
                }
            };
            let (Some(name), Some(inn)) = (str_at(p, "name"), str_at(p, "in")) else {
                problems.push(format!(
                    "{}: {level} parameters/{i} lacks name or in",
                    op.location()
                ));
                continue;
            };
            let key = (name.to_owned(), inn.to_owned());
            problems.check(seen.insert(key.clone()), || {
                format!(
                    "{}: {level} parameter {name} in {inn} declared twice",
                    op.location()
                )
            });
            out.insert(key, p);
        }
    }
    out
}

/// The form schema of an operation's request body, resolved, if it has one.
fn form_schema<'a>(
    op: &common::schema::Operation<'a>,
    problems: &mut Problems,
) -> Option<(bool, &'a Value)> {
    let body = op.op.get("requestBody")?;
    let at = op.location();
    let body = match resolve(op.doc, body) {
        Ok(b) => b,
        Err(e) => {
            problems.push(format!("{at} requestBody: {e}"));
            return None;
        }
    };
    let required = body.get("required").and_then(Value::as_bool) == Some(true);
    let Some(content) = body.get("content").and_then(Value::as_object) else {
        problems.push(format!("{at} requestBody: no content"));
        return None;
    };
    let types: Vec<&String> = content.keys().collect();
    problems.check(
        types == ["application/x-www-form-urlencoded"],
        || format!("{at} requestBody: content must be only application/x-www-form-urlencoded, found {types:?}"),
    );
    let schema = content
        .get("application/x-www-form-urlencoded")?
        .get("schema")?;
    match resolve(op.doc, schema) {
        Ok(s) => Some((required, s)),
        Err(e) => {
            problems.push(format!("{at} requestBody schema: {e}"));
            None
        }
    }
}

#[test]
fn the_four_spec_files_exist() {
    let v = SpecValidator::load();
    let found: BTreeSet<&str> = v.files().iter().map(|f| f.stem.as_str()).collect();
    let expected: BTreeSet<&str> = FILES.iter().map(|(s, ..)| *s).collect();
    assert_eq!(found, expected, "spec/*.yaml files");
}

#[test]
fn every_component_schema_converts_to_json_schema() {
    let v = SpecValidator::load();
    let errors = v.conversion_errors();
    assert!(
        errors.is_empty(),
        "component schemas that do not convert:\n- {}",
        errors.join("\n- ")
    );
}

#[test]
fn each_file_is_a_structurally_valid_openapi_3_0_document() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    let top_keys = [
        "openapi",
        "info",
        "servers",
        "paths",
        "components",
        "security",
        "tags",
        "externalDocs",
    ];
    let path_item_keys = [
        "summary",
        "description",
        "servers",
        "parameters",
        "$ref",
        "get",
        "put",
        "post",
        "delete",
        "options",
        "head",
        "patch",
        "trace",
    ];
    for file in v.files() {
        let f = format!("spec/{}.yaml", file.stem);
        let doc = &file.json;
        let (host, _, _) = file_host(&file.stem);

        for key in doc.as_object().expect("a mapping").keys() {
            p.check(
                top_keys.contains(&key.as_str()) || key.starts_with("x-"),
                || format!("{f}: unknown top-level key `{key}`"),
            );
        }
        // openapi: 3.0.x
        let version = str_at(doc, "openapi").unwrap_or_default();
        let patch = version.strip_prefix("3.0.");
        p.check(
            patch.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
            || format!("{f} openapi: `{version}` is not 3.0.x"),
        );
        // info
        for key in ["title", "version"] {
            p.check(
                doc.pointer(&format!("/info/{key}"))
                    .and_then(Value::as_str)
                    .is_some_and(|s| !s.trim().is_empty()),
                || format!("{f} info.{key}: missing or empty"),
            );
        }
        // servers
        let urls: Vec<&str> = doc
            .get("servers")
            .and_then(Value::as_array)
            .map(|s| s.iter().filter_map(|s| str_at(s, "url")).collect())
            .unwrap_or_default();
        p.check(urls == [host], || {
            format!("{f} servers: expected exactly [{host}], found {urls:?}")
        });
        // securitySchemes and security
        let schemes = doc
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object);
        let basic: Vec<&String> = schemes
            .into_iter()
            .flatten()
            .filter(|(_, s)| {
                str_at(s, "type") == Some("http")
                    && str_at(s, "scheme").is_some_and(|x| x.eq_ignore_ascii_case("basic"))
            })
            .map(|(name, _)| name)
            .collect();
        p.check(!basic.is_empty(), || {
            format!("{f} components.securitySchemes: no `type: http, scheme: basic` scheme")
        });
        let mut requirements: Vec<(String, &Value)> = Vec::new();
        match doc.get("security").and_then(Value::as_array) {
            Some(list) if !list.is_empty() => {
                requirements.extend(list.iter().map(|r| (format!("{f} security"), r)));
            }
            _ => p.push(format!("{f}: no top-level `security` requirement")),
        }
        // tags
        let tags: Vec<&str> = doc
            .get("tags")
            .and_then(Value::as_array)
            .map(|t| t.iter().filter_map(|t| str_at(t, "name")).collect())
            .unwrap_or_default();
        p.check(!tags.is_empty(), || format!("{f}: no top-level `tags`"));
        let unique: BTreeSet<&str> = tags.iter().copied().collect();
        p.check(unique.len() == tags.len(), || {
            format!("{f} tags: duplicate names in {tags:?}")
        });
        let mut used_tags = BTreeSet::new();
        // paths
        let paths = doc.get("paths").and_then(Value::as_object);
        p.check(paths.is_some_and(|p| !p.is_empty()), || {
            format!("{f}: `paths` missing or empty")
        });
        for (path, item) in paths.into_iter().flatten() {
            p.check(path.starts_with('/'), || {
                format!("{f} paths.{path}: does not start with `/`")
            });
            for key in item.as_object().into_iter().flat_map(|m| m.keys()) {
                p.check(
                    path_item_keys.contains(&key.as_str()) || key.starts_with("x-"),
                    || format!("{f} paths.{path}: unknown key `{key}`"),
                );
                p.check(
                    !METHODS.contains(&key.as_str())
                        || ["get", "post", "delete"].contains(&key.as_str()),
                    || format!("{f} paths.{path}.{key}: Twilio uses only GET, POST and DELETE"),
                );
            }
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let at = format!("{f} paths.{path}.{method}");
                let op_tags: Vec<&str> = op
                    .get("tags")
                    .and_then(Value::as_array)
                    .map(|t| t.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                p.check(!op_tags.is_empty(), || format!("{at}: no tags"));
                for tag in op_tags {
                    p.check(unique.contains(tag), || {
                        format!("{at}: tag `{tag}` is not declared in top-level `tags`")
                    });
                    used_tags.insert(tag);
                }
                if let Some(security) = op.get("security") {
                    for r in security.as_array().into_iter().flatten() {
                        requirements.push((format!("{at}.security"), r));
                    }
                }
                p.check(
                    op.get("responses").and_then(Value::as_object).is_some(),
                    || format!("{at}: no `responses`"),
                );
            }
        }
        for tag in &unique {
            p.check(used_tags.contains(tag), || {
                format!("{f} tags: `{tag}` is used by no operation")
            });
        }
        for (at, requirement) in requirements {
            let Some(map) = requirement.as_object() else {
                p.push(format!("{at}: a requirement must be a mapping"));
                continue;
            };
            for (name, scopes) in map {
                p.check(schemes.is_some_and(|s| s.contains_key(name)), || {
                    format!("{at}: `{name}` is not in components.securitySchemes")
                });
                p.check(scopes.as_array().is_some_and(Vec::is_empty), || {
                    format!("{at}: `{name}` must list no scopes (HTTP Basic)")
                });
            }
        }
        // Response status keys are strings in the YAML itself (an unquoted 200 is an integer).
        let yaml_paths = file
            .yaml
            .get("paths")
            .and_then(serde_yaml::Value::as_mapping);
        for (path, item) in yaml_paths.into_iter().flatten() {
            for method in METHODS {
                let Some(responses) = item
                    .get(method)
                    .and_then(|op| op.get("responses"))
                    .and_then(serde_yaml::Value::as_mapping)
                else {
                    continue;
                };
                for key in responses.keys() {
                    p.check(key.is_string(), || {
                        format!(
                            "{f} paths.{}.{method}.responses: status key {key:?} must be a quoted string",
                            path.as_str().unwrap_or("?")
                        )
                    });
                }
            }
        }
    }
    p.finish("OpenAPI structure");
}

#[test]
fn operation_ids_are_unique_and_operations_documented() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for op in v.operations() {
        let at = op.location();
        match op.operation_id {
            Some(id) if !id.is_empty() => {
                p.check(
                    id.starts_with(|c: char| c.is_ascii_uppercase())
                        && id.chars().all(|c| c.is_ascii_alphanumeric()),
                    || format!("{at}: operationId `{id}` is not PascalCase alphanumeric"),
                );
                if let Some(first) = seen.insert(id, at.clone()) {
                    p.push(format!("{at}: operationId `{id}` already used at {first}"));
                }
            }
            _ => p.push(format!("{at}: no operationId")),
        }
        for key in ["summary", "description"] {
            p.check(
                str_at(op.op, key).is_some_and(|s| !s.trim().is_empty()),
                || format!("{at}: missing or empty `{key}`"),
            );
        }
    }
    p.finish("operationIds, summaries and descriptions");
}

#[test]
fn there_are_19_operations_as_the_facts_list() {
    let v = SpecValidator::load();
    let ops = v.operations();
    assert_eq!(ops.len(), 19, "operations across the four files");
    let mut p = Problems::default();
    for (stem, _, count, _) in FILES {
        let n = ops.iter().filter(|o| o.spec == stem).count();
        p.check(n == count, || {
            format!("spec/{stem}.yaml: {n} operations, expected {count}")
        });
    }
    let found: BTreeSet<(&str, &str, &str, &str)> = ops
        .iter()
        .map(|o| (o.spec, o.operation_id.unwrap_or("?"), o.method, o.path))
        .collect();
    let expected: BTreeSet<(&str, &str, &str, &str)> = OPERATIONS
        .iter()
        .map(|(s, id, path, kind)| (*s, *id, kind.method(), *path))
        .collect();
    for missing in expected.difference(&found) {
        p.push(format!(
            "missing operation (file, id, method, path): {missing:?}"
        ));
    }
    for extra in found.difference(&expected) {
        p.push(format!(
            "unexpected operation (file, id, method, path): {extra:?}"
        ));
    }
    p.finish("operations");
}

/// The component kind a `$ref` found at `parent` (the JSON pointer of the object holding it)
/// must point to, or `None` if the position is not one where OpenAPI allows a reference.
fn ref_context(parent: &str) -> Option<&'static str> {
    let segments: Vec<&str> = parent.split('/').collect();
    let last = *segments.last()?;
    let second = segments.len().checked_sub(2).map(|i| segments[i]);
    if last == "requestBody" {
        return Some("requestBodies");
    }
    if ["schema", "items", "not", "additionalProperties"].contains(&last) {
        return Some("schemas");
    }
    match second? {
        "parameters" => Some("parameters"),
        "responses" => Some("responses"),
        "examples" => Some("examples"),
        "headers" => Some("headers"),
        "requestBodies" => Some("requestBodies"),
        "schemas" | "properties" | "allOf" | "anyOf" | "oneOf" => Some("schemas"),
        _ => None,
    }
}

#[test]
fn every_ref_resolves_within_its_own_file() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    for file in v.files() {
        let f = format!("spec/{}.yaml", file.stem);
        let mut nodes = Vec::new();
        walk(&file.json, String::new(), &mut nodes);
        let mut referenced = BTreeSet::new();
        for (pointer, node) in nodes {
            let Some(reference) = node.get("$ref") else {
                continue;
            };
            let at = format!("{f}#{pointer}/$ref");
            let Some(reference) = reference.as_str() else {
                p.push(format!("{at}: not a string"));
                continue;
            };
            if !reference.starts_with("#/") {
                p.push(format!(
                    "{at}: `{reference}` is not a reference into this file"
                ));
                continue;
            }
            match resolve_pointer(&file.json, reference) {
                Ok(target) => p.check(target.is_object(), || {
                    format!("{at}: `{reference}` resolves to a non-mapping")
                }),
                Err(e) => p.push(format!("{at}: {e}")),
            }
            match ref_context(&pointer) {
                Some(kind) => {
                    let prefix = format!("#/components/{kind}/");
                    match reference.strip_prefix(&prefix) {
                        Some(name) if !name.contains('/') => {
                            referenced.insert((kind, name.to_owned()));
                        }
                        _ => p.push(format!(
                            "{at}: `{reference}` should be a `{prefix}<name>` reference here"
                        )),
                    }
                }
                None => p.push(format!("{at}: a `$ref` is not expected at this position")),
            }
        }
        // Every component (other than security schemes, named by `security`) is used.
        let components = file.json.get("components").and_then(Value::as_object);
        for (kind, entries) in components.into_iter().flatten() {
            if kind == "securitySchemes" {
                continue;
            }
            for name in entries.as_object().into_iter().flat_map(|m| m.keys()) {
                p.check(referenced.contains(&(kind.as_str(), name.clone())), || {
                    format!("{f}#/components/{kind}/{name}: never referenced")
                });
            }
        }
    }
    p.finish("references");
}

#[test]
fn success_statuses_match_the_facts_and_every_operation_declares_4xx_twilio_error() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    let error_ref = json!({ "$ref": "#/components/responses/TwilioError" });
    for op in v.operations() {
        let at = op.location();
        let Some(&(_, _, _, kind)) = OPERATIONS
            .iter()
            .find(|(s, id, ..)| *s == op.spec && Some(*id) == op.operation_id)
        else {
            p.push(format!("{at}: operation not in the facts table"));
            continue;
        };
        let responses = op.op.get("responses").and_then(Value::as_object);
        let keys: BTreeSet<&str> = responses
            .into_iter()
            .flat_map(|r| r.keys().map(String::as_str))
            .collect();
        let expected: BTreeSet<&str> = [kind.success(), "4XX"].into();
        p.check(keys == expected, || {
            format!("{at}: responses {keys:?}, expected exactly {expected:?}")
        });
        let Some(responses) = responses else { continue };
        if let Some(success) = responses.get(kind.success()) {
            let success = resolve(op.doc, success).unwrap_or(success);
            let content = success.get("content");
            if kind == Kind::Delete {
                p.check(content.is_none(), || {
                    format!("{at} 204: must declare no content (the body is empty)")
                });
            } else {
                let schema = content.and_then(|c| c.pointer("/application~1json/schema"));
                p.check(schema.is_some(), || {
                    format!("{at} {}: no application/json schema", kind.success())
                });
            }
        }
        p.check(responses.get("4XX") == Some(&error_ref), || {
            format!(
                "{at} 4XX: must be `$ref: '#/components/responses/TwilioError'`, found {:?}",
                responses.get("4XX")
            )
        });
    }
    // The shared error response itself.
    for file in v.files() {
        let f = format!("spec/{}.yaml", file.stem);
        let schema = file
            .json
            .pointer("/components/responses/TwilioError/content/application~1json/schema");
        p.check(
            schema == Some(&json!({ "$ref": "#/components/schemas/TwilioError" })),
            || format!("{f}#/components/responses/TwilioError: the JSON schema must be `$ref: '#/components/schemas/TwilioError'`, found {schema:?}"),
        );
        let error = file.json.pointer("/components/schemas/TwilioError");
        let required: BTreeSet<&str> = error
            .and_then(|e| e.get("required"))
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        p.check(required == ["code", "message"].into(), || {
            format!("{f}#/components/schemas/TwilioError: required {required:?}, expected [code, message]")
        });
        for (prop, ty) in [
            ("code", "integer"),
            ("message", "string"),
            ("more_info", "string"),
            ("status", "integer"),
            ("details", "object"),
        ] {
            let found = error
                .and_then(|e| e.pointer(&format!("/properties/{prop}/type")))
                .and_then(Value::as_str);
            p.check(found == Some(ty), || {
                format!("{f}#/components/schemas/TwilioError/properties/{prop}: type {found:?}, expected {ty}")
            });
        }
    }
    p.finish("status codes");
}

#[test]
fn components_shared_between_files_are_identical() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    // (kind, name) -> [(file, value)]
    let mut by_name: BTreeMap<(String, String), Vec<(&str, &Value)>> = BTreeMap::new();
    for file in v.files() {
        let components = file.json.get("components").and_then(Value::as_object);
        for (kind, entries) in components.into_iter().flatten() {
            for (name, value) in entries.as_object().into_iter().flatten() {
                by_name
                    .entry((kind.clone(), name.clone()))
                    .or_default()
                    .push((&file.stem, value));
            }
        }
    }
    for ((kind, name), defs) in &by_name {
        if kind == "responses" {
            // The shared error response differs only in its example message.
            continue;
        }
        let (first_file, first) = defs[0];
        for (file, value) in &defs[1..] {
            p.check(value == &first, || {
                format!(
                    "components.{kind}.{name} differs between spec/{first_file}.yaml and spec/{file}.yaml"
                )
            });
        }
    }
    for name in ["TwilioError", "PageSize", "Page", "PageToken"] {
        let count = by_name
            .iter()
            .filter(|((_, n), _)| n == name)
            .map(|(_, d)| d.len())
            .max()
            .unwrap_or(0);
        p.check(count == 4, || {
            format!("component `{name}` is in {count} files, expected all four")
        });
    }
    p.finish("shared components");
}

fn check_constraint(
    v: &SpecValidator,
    spec: &str,
    at: &str,
    schema: &Value,
    constraint: Constraint,
    p: &mut Problems,
) {
    let doc = &v.file(spec).expect("loaded").json;
    let resolved = match resolve(doc, schema) {
        Ok(s) => s,
        Err(e) => return p.push(format!("{at}: {e}")),
    };
    let ty = str_at(resolved, "type");
    let num = |key: &str| resolved.get(key).and_then(Value::as_f64);
    let has = |key: &str| resolved.get(key).is_some();
    let expect_type = |p: &mut Problems, t: &str| {
        p.check(ty == Some(t), || format!("{at}: type {ty:?}, expected {t}"));
    };
    let mut samples: Vec<(Value, bool)> = Vec::new();
    match constraint {
        Constraint::Sid(prefix) => {
            expect_type(p, "string");
            let pattern = str_at(resolved, "pattern");
            let expected = format!("^{prefix}[0-9a-fA-F]{{32}}$");
            p.check(pattern == Some(expected.as_str()), || {
                format!("{at}: pattern {pattern:?}, expected {expected:?}")
            });
            p.check(
                num("minLength") == Some(34.0) && num("maxLength") == Some(34.0),
                || format!("{at}: minLength/maxLength must both be 34"),
            );
            let hex = "0123456789abcdefABCDEF0123456789";
            samples.extend([
                (json!(format!("{prefix}{hex}")), true),
                (json!(format!("XX{hex}")), false),
                (json!(format!("{prefix}{}", &hex[1..])), false),
                (json!(format!("{prefix}{hex}0")), false),
                (json!(format!("{prefix}{}g", &hex[1..])), false),
                (json!(prefix.to_lowercase() + hex), false),
            ]);
        }
        Constraint::PageSize => {
            expect_type(p, "integer");
            p.check(
                num("minimum") == Some(1.0) && num("maximum") == Some(1000.0),
                || format!("{at}: PageSize must have minimum 1 and maximum 1000"),
            );
            samples.extend([
                (json!(1), true),
                (json!(50), true),
                (json!(1000), true),
                (json!(0), false),
                (json!(1001), false),
                (json!(2.5), false),
            ]);
        }
        Constraint::Page => {
            expect_type(p, "integer");
            p.check(num("minimum") == Some(0.0) && !has("maximum"), || {
                format!("{at}: Page must have minimum 0 and no maximum")
            });
            samples.extend([(json!(0), true), (json!(12345), true), (json!(-1), false)]);
        }
        Constraint::PageToken => {
            expect_type(p, "string");
            samples.extend([(json!("PAIL123"), true), (json!(3), false)]);
        }
        Constraint::FriendlyName => {
            expect_type(p, "string");
            p.check(num("maxLength") == Some(255.0), || {
                format!("{at}: FriendlyName must have maxLength 255")
            });
            samples.extend([
                (json!("x".repeat(255)), true),
                (json!("é".repeat(255)), true),
                (json!("x".repeat(256)), false),
            ]);
        }
        Constraint::CidrPrefixLength => {
            expect_type(p, "integer");
            p.check(
                num("minimum") == Some(0.0) && num("maximum") == Some(32.0),
                || format!("{at}: CidrPrefixLength must have minimum 0 and maximum 32"),
            );
            samples.extend([
                (json!(0), true),
                (json!(32), true),
                (json!(-1), false),
                (json!(33), false),
            ]);
        }
        Constraint::Ipv4 => {
            expect_type(p, "string");
            p.check(has("pattern"), || {
                format!("{at}: IPv4 address without a pattern")
            });
            samples.extend([(json!("10.0.0.1"), true), (json!("10.0.0.*"), false)]);
        }
    }
    for (sample, valid) in samples {
        let result = v.validate_openapi_schema(spec, schema, &sample);
        p.check(result.is_ok() == valid, || {
            format!(
                "{at}: {sample} should be {}: {result:?}",
                if valid { "accepted" } else { "rejected" }
            )
        });
    }
}

/// (location, wire name) -> (required, constraint) of one operation.
type Expected = BTreeMap<(Loc, &'static str), (bool, Constraint)>;

#[test]
fn parameters_and_form_fields_match_the_facts() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    // operationId -> (location, name) -> (required, constraint)
    let mut expected: BTreeMap<&str, Expected> = BTreeMap::new();
    for (ops, loc, name, required, constraint) in PARAMETERS {
        for op in *ops {
            let previous = expected
                .entry(op)
                .or_default()
                .insert((*loc, name), (*required, *constraint));
            assert!(previous.is_none(), "table lists {op} {loc:?} {name} twice");
        }
    }
    let mut checked = 0;
    for op in v.operations() {
        let id = op.operation_id.unwrap_or("?");
        let at = op.location();
        let want = expected.remove(id).unwrap_or_default();
        let mut found: BTreeMap<(Loc, String), (bool, &Value)> = BTreeMap::new();

        // Path and query parameters.
        let params = parameters(&op, &mut p);
        for ((name, inn), param) in &params {
            let loc = match inn.as_str() {
                "path" => Loc::Path,
                "query" => Loc::Query,
                other => {
                    p.push(format!(
                        "{at}: parameter {name} in `{other}` is not expected"
                    ));
                    continue;
                }
            };
            let required = param.get("required").and_then(Value::as_bool) == Some(true);
            match param.get("schema") {
                Some(schema) => {
                    found.insert((loc, name.clone()), (required, schema));
                }
                None => p.push(format!("{at}: parameter {name} has no schema")),
            }
        }
        // Path template and path parameters agree.
        let template: BTreeSet<&str> = op
            .path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name))
            .collect();
        let declared: BTreeSet<&str> = params
            .keys()
            .filter(|(_, inn)| inn == "path")
            .map(|(name, _)| name.as_str())
            .collect();
        p.check(template == declared, || {
            format!("{at}: path template names {template:?}, path parameters {declared:?}")
        });

        // Form fields.
        if let Some((body_required, schema)) = form_schema(&op, &mut p) {
            p.check(str_at(schema, "type") == Some("object"), || {
                format!("{at} requestBody schema: must be `type: object`")
            });
            let required: BTreeSet<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for name in &required {
                p.check(
                    schema.pointer(&format!("/properties/{name}")).is_some(),
                    || format!("{at} requestBody: required field {name} is not a property"),
                );
            }
            p.check(body_required != required.is_empty(), || {
                format!(
                    "{at} requestBody: `required: {body_required}` but the form has required fields {required:?}"
                )
            });
            for (name, field) in schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                found.insert(
                    (Loc::Form, name.clone()),
                    (required.contains(name.as_str()), field),
                );
            }
        }

        let want_keys: BTreeSet<(Loc, String)> =
            want.keys().map(|(l, n)| (*l, (*n).to_owned())).collect();
        let found_keys: BTreeSet<(Loc, String)> = found.keys().cloned().collect();
        for (loc, name) in want_keys.difference(&found_keys) {
            p.push(format!("{at}: missing {loc:?} parameter {name}"));
        }
        for (loc, name) in found_keys.difference(&want_keys) {
            p.push(format!(
                "{at}: {loc:?} parameter {name} is not in the facts"
            ));
        }
        for ((loc, name), (want_required, constraint)) in &want {
            let Some((required, schema)) = found.get(&(*loc, (*name).to_owned())) else {
                continue;
            };
            let where_ = format!("{at} {loc:?} parameter {name}");
            p.check(required == want_required, || {
                format!("{where_}: required is {required}, expected {want_required}")
            });
            check_constraint(&v, op.spec, &where_, schema, *constraint, &mut p);
            checked += 1;
        }
    }
    for (id, _) in expected {
        p.push(format!(
            "table names operation {id}, which no file declares"
        ));
    }
    p.check(checked == 51, || {
        format!("checked {checked} parameters, the table has 51")
    });
    p.finish("parameters");
}

/// The status to validate an example of response `key` with: the key itself, or for a range
/// key (`4XX`) the example's own `status` field (checked to be in the range) or the range start.
fn example_status(key: &str, value: &Value) -> Result<u16, String> {
    if let Ok(status) = key.parse::<u16>() {
        return Ok(status);
    }
    let class = key
        .strip_suffix("XX")
        .and_then(|d| d.parse::<u16>().ok())
        .filter(|d| (1..=5).contains(d))
        .ok_or_else(|| format!("`{key}` is neither a status nor a range key"))?;
    match value.get("status").and_then(Value::as_u64) {
        Some(s) if s / 100 == u64::from(class) => Ok(s as u16),
        Some(s) => Err(format!("example status {s} is outside {key}")),
        None => Ok(class * 100),
    }
}

#[test]
fn every_example_validates_against_its_schema() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    let examples = v.response_examples();
    for (spec, op, key, name, value) in &examples {
        let at = format!("spec/{spec}.yaml {op} response {key} example `{name}`");
        match example_status(key, value) {
            Ok(status) => {
                if let Err(e) = v.validate_response(op, status, value) {
                    p.push(format!("{at}: {e}"));
                }
            }
            Err(e) => p.push(format!("{at}: {e}")),
        }
    }
    // Every response with a body has at least one example, the shared error response included.
    for op in v.operations() {
        let id = op.operation_id.unwrap_or("?");
        for (key, response) in op
            .op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let has_body = resolve(op.doc, response)
                .ok()
                .and_then(|r| r.get("content"))
                .is_some();
            let n = examples
                .iter()
                .filter(|(s, o, k, ..)| s == op.spec && o == id && k == key)
                .count();
            p.check(!has_body || n > 0, || {
                format!("{} response {key}: no example", op.location())
            });
        }
    }
    // Schema-level `example`s of component schemas, if any.
    for file in v.files() {
        let schemas = file
            .json
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        for (name, schema) in schemas.into_iter().flatten() {
            if let Some(example) = schema.get("example")
                && let Err(e) = v.validate_schema(&file.stem, name, example)
            {
                p.push(format!(
                    "spec/{}.yaml schema {name} example: {e}",
                    file.stem
                ));
            }
        }
    }
    p.check(examples.len() >= 19 + 15, || {
        format!("only {} response examples found", examples.len())
    });
    p.finish("examples");
}

#[test]
fn links_and_list_envelopes_match_the_facts() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    for (spec, op, key, name, value) in v.response_examples() {
        if !op.starts_with("List") || key != "200" {
            continue;
        }
        let at = format!("spec/{spec}.yaml {op} example `{name}`");
        let (host, _, is_2010) = file_host(&spec);
        if is_2010 {
            for field in [
                "ip_addresses",
                "page",
                "page_size",
                "start",
                "end",
                "uri",
                "first_page_uri",
                "next_page_uri",
                "previous_page_uri",
            ] {
                p.check(value.get(field).is_some(), || format!("{at}: no `{field}`"));
            }
            for field in [
                "uri",
                "first_page_uri",
                "next_page_uri",
                "previous_page_uri",
            ] {
                if let Some(link) = str_at(&value, field) {
                    p.check(link.starts_with("/2010-04-01/Accounts/"), || {
                        format!("{at}: `{field}` must be relative to the host root: {link}")
                    });
                }
            }
        } else {
            let meta_key = value.pointer("/meta/key").and_then(Value::as_str);
            let arrays: Vec<&String> = value
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(k, v)| *k != "meta" && v.is_array())
                .map(|(k, _)| k)
                .collect();
            p.check(
                meta_key.is_some() && arrays.len() == 1 && Some(arrays[0].as_str()) == meta_key,
                || format!("{at}: meta.key {meta_key:?} must name the one array {arrays:?}"),
            );
            for field in [
                "first_page_url",
                "url",
                "next_page_url",
                "previous_page_url",
            ] {
                match value.pointer(&format!("/meta/{field}")) {
                    Some(Value::Null)
                        if field.ends_with("page_url") && field != "first_page_url" => {}
                    Some(Value::String(url)) => p.check(url.starts_with(host), || {
                        format!("{at}: meta.{field} must be absolute on {host}: {url}")
                    }),
                    other => p.push(format!("{at}: meta.{field} is {other:?}")),
                }
            }
        }
    }
    // Link formats: v1 `url`/`*_url` are absolute (`format: uri`); 2010 `uri`/`*_uri` are
    // relative, so they must not claim `format: uri`.
    for file in v.files() {
        let (_, _, is_2010) = file_host(&file.stem);
        let schemas = file
            .json
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        for (name, schema) in schemas.into_iter().flatten() {
            let props = schema.get("properties").and_then(Value::as_object);
            for (prop, prop_schema) in props.into_iter().flatten() {
                let at = format!(
                    "spec/{}.yaml#/components/schemas/{name}/properties/{prop}",
                    file.stem
                );
                let format = resolve(&file.json, prop_schema)
                    .ok()
                    .and_then(|s| str_at(s, "format"));
                if prop == "url" || prop.ends_with("_url") {
                    p.check(!is_2010 && format == Some("uri"), || {
                        format!("{at}: a v1 absolute URL must be `format: uri`, found {format:?}")
                    });
                }
                if prop == "uri" || prop.ends_with("_uri") {
                    p.check(is_2010 && format != Some("uri"), || {
                        format!("{at}: a 2010 relative URI must not be `format: uri`")
                    });
                }
            }
        }
    }
    p.finish("list envelopes");
}

#[test]
fn ipv4_pattern_accepts_dotted_decimal_only() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    // location -> (file, schema): every IpAddress form field and every Ipv4Address component.
    let mut targets: BTreeMap<String, (&str, &Value)> = BTreeMap::new();
    let mut covered = BTreeSet::new();
    for op in v.operations() {
        let Some((_, form)) = form_schema(&op, &mut p) else {
            continue;
        };
        let Some(field) = form.pointer("/properties/IpAddress") else {
            continue;
        };
        targets.insert(
            format!("{} form field IpAddress", op.location()),
            (op.spec, field),
        );
        if let Some(component) = op.doc.pointer("/components/schemas/Ipv4Address") {
            targets.insert(
                format!("spec/{}.yaml#/components/schemas/Ipv4Address", op.spec),
                (op.spec, component),
            );
        }
        covered.insert(op.spec);
    }
    for (at, (spec, schema)) in &targets {
        for address in IPV4_VALID {
            let r = v.validate_openapi_schema(spec, schema, &json!(address));
            p.check(r.is_ok(), || {
                format!("{at}: should accept {address:?}: {r:?}")
            });
        }
        for address in IPV4_INVALID {
            let r = v.validate_openapi_schema(spec, schema, &json!(address));
            p.check(r.is_err(), || format!("{at}: should reject {address:?}"));
        }
    }
    p.check(covered == ["ip_record", "sip_ip_address"].into(), || {
        format!("IpAddress form fields found in {covered:?}, expected ip_record and sip_ip_address")
    });
    p.finish("IPv4 pattern");
}

#[test]
fn dates_are_rfc_3339_in_v1_and_rfc_2822_in_2010() {
    use chrono::DateTime;
    let v = SpecValidator::load();
    let mut p = Problems::default();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    // Example values.
    for (spec, op, key, name, value) in v.response_examples() {
        let (_, _, is_2010) = file_host(&spec);
        let mut nodes = Vec::new();
        walk(&value, String::new(), &mut nodes);
        for (pointer, node) in nodes {
            let field = pointer.rsplit('/').next().unwrap_or_default();
            let (true, Some(date)) = (field.starts_with("date_"), node.as_str()) else {
                continue;
            };
            let at = format!("spec/{spec}.yaml {op} {key} example `{name}` {pointer}");
            let rfc3339 = DateTime::parse_from_rfc3339(date).is_ok();
            let rfc2822 = DateTime::parse_from_rfc2822(date).is_ok();
            if is_2010 {
                p.check(rfc2822 && !rfc3339, || {
                    format!("{at}: `{date}` must be RFC 2822 (2010 API)")
                });
            } else {
                p.check(rfc3339 && !rfc2822, || {
                    format!("{at}: `{date}` must be RFC 3339 (v1 API)")
                });
            }
            *seen.entry(spec.clone()).or_default() += 1;
        }
    }
    // Schema formats of every `date_*` property.
    for file in v.files() {
        let (_, _, is_2010) = file_host(&file.stem);
        let expected = if is_2010 {
            "date-time-rfc-2822"
        } else {
            "date-time"
        };
        let schemas = file
            .json
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        let mut properties = 0;
        for (name, schema) in schemas.into_iter().flatten() {
            let props = schema.get("properties").and_then(Value::as_object);
            for (prop, prop_schema) in props.into_iter().flatten() {
                if !prop.starts_with("date_") {
                    continue;
                }
                properties += 1;
                let format = resolve(&file.json, prop_schema)
                    .ok()
                    .and_then(|s| str_at(s, "format"));
                p.check(format == Some(expected), || {
                    format!(
                        "spec/{}.yaml#/components/schemas/{name}/properties/{prop}: format {format:?}, expected {expected}",
                        file.stem
                    )
                });
            }
        }
        p.check(properties >= 2, || {
            format!(
                "spec/{}.yaml: no date_created/date_updated properties",
                file.stem
            )
        });
        p.check(seen.get(&file.stem).copied().unwrap_or(0) >= 2, || {
            format!("spec/{}.yaml: no dates in examples", file.stem)
        });
    }
    p.finish("date formats");
}

fn ip_record() -> Value {
    json!({
        "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "sid": "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "friendly_name": "friendly_name",
        "ip_address": "10.2.3.4",
        "cidr_prefix_length": 30,
        "date_created": "2020-03-18T23:31:36Z",
        "date_updated": "2020-03-18T23:31:37Z",
        "url": "https://voice.twilio.com/v1/IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    })
}

fn sip_ip_address() -> Value {
    json!({
        "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "date_created": "Mon, 20 Jul 2015 17:27:10 +0000",
        "date_updated": "Mon, 20 Jul 2015 17:27:10 +0000",
        "friendly_name": "friendly_name",
        "ip_access_control_list_sid": "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "ip_address": "192.168.1.1",
        "cidr_prefix_length": 32,
        "sid": "IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses/IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json"
    })
}

fn with(mut value: Value, pointer: &str, new: Value) -> Value {
    *value.pointer_mut(pointer).expect("pointer exists") = new;
    value
}

fn without(mut value: Value, key: &str) -> Value {
    value.as_object_mut().expect("object").remove(key);
    value
}

#[track_caller]
fn assert_rejected(result: Result<(), String>, mentions: &[&str]) {
    let err = result.expect_err("the validator accepted a bad body");
    for m in mentions {
        assert!(err.contains(m), "error should mention {m:?}: {err}");
    }
}

#[test]
fn validator_rejects_bad_bodies() {
    let v = SpecValidator::load();
    let error = json!({
        "code": 20404,
        "message": "The requested resource was not found",
        "more_info": "https://www.twilio.com/docs/errors/20404",
        "status": 404
    });
    let list = json!({
        "ip_addresses": [sip_ip_address()],
        "page": 0, "page_size": 50, "start": 0, "end": 0,
        "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses.json?PageSize=50&Page=0",
        "first_page_uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses.json?PageSize=50&Page=0",
        "next_page_uri": null,
        "previous_page_uri": null
    });

    // Positive controls: the unmodified bodies pass, so each rejection below is due to its defect.
    v.validate_response("FetchIpRecord", 200, &ip_record())
        .expect("valid IpRecord");
    v.validate_response("CreateIpRecord", 201, &ip_record())
        .expect("valid IpRecord");
    v.validate_response("FetchSipIpAddress", 200, &sip_ip_address())
        .expect("valid SipIpAddress");
    v.validate_response("ListSipIpAddress", 200, &list)
        .expect("valid list");
    v.validate_response("CreateIpRecord", 404, &error)
        .expect("valid error");
    v.validate_response("DeleteIpRecord", 204, &Value::Null)
        .expect("empty 204");
    // Nullable fields accept null; unknown fields are tolerated.
    v.validate_response(
        "FetchIpRecord",
        200,
        &with(ip_record(), "/date_created", Value::Null),
    )
    .expect("nullable date_created");
    v.validate_response(
        "FetchIpRecord",
        200,
        &with(ip_record(), "/url", Value::Null),
    )
    .expect("nullable url");
    let mut extra = ip_record();
    extra["a_field_added_later"] = json!({"x": 1});
    v.validate_response("FetchIpRecord", 200, &extra)
        .expect("unknown fields are tolerated");
    v.validate_response("CreateIpRecord", 400, &without(error.clone(), "more_info"))
        .expect("more_info is optional");

    // Wrong SID prefix.
    assert_rejected(
        v.validate_response(
            "FetchIpRecord",
            200,
            &with(
                ip_record(),
                "/sid",
                json!("IBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            ),
        ),
        &["FetchIpRecord", "200", "\"/sid\""],
    );
    assert_rejected(
        v.validate_response(
            "FetchSipIpAddress",
            200,
            &with(
                sip_ip_address(),
                "/ip_access_control_list_sid",
                json!("TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            ),
        ),
        &["FetchSipIpAddress", "/ip_access_control_list_sid"],
    );
    // A non-nullable SID is not null.
    assert_rejected(
        v.validate_response(
            "FetchIpRecord",
            200,
            &with(ip_record(), "/sid", Value::Null),
        ),
        &["\"/sid\""],
    );
    // RFC 3339 date in a 2010 resource, top level and inside a list.
    assert_rejected(
        v.validate_response(
            "FetchSipIpAddress",
            200,
            &with(
                sip_ip_address(),
                "/date_created",
                json!("2015-07-20T17:27:10Z"),
            ),
        ),
        &[
            "FetchSipIpAddress",
            "200",
            "\"/date_created\"",
            "date-time-rfc-2822",
        ],
    );
    assert_rejected(
        v.validate_response(
            "ListSipIpAddress",
            200,
            &with(
                list.clone(),
                "/ip_addresses/0/date_updated",
                json!("2015-07-20T17:27:10Z"),
            ),
        ),
        &["ListSipIpAddress", "\"/ip_addresses/0/date_updated\""],
    );
    // RFC 2822 date in a v1 resource.
    assert_rejected(
        v.validate_response(
            "FetchIpRecord",
            200,
            &with(
                ip_record(),
                "/date_updated",
                json!("Mon, 20 Jul 2015 17:27:10 +0000"),
            ),
        ),
        &["\"/date_updated\"", "date-time"],
    );
    // A URL that is not a URI.
    assert_rejected(
        v.validate_response(
            "FetchIpRecord",
            200,
            &with(ip_record(), "/url", json!("not a uri")),
        ),
        &["\"/url\"", "uri"],
    );
    // Error body without `code`, or with a string code.
    assert_rejected(
        v.validate_response("CreateIpRecord", 404, &without(error.clone(), "code")),
        &["CreateIpRecord", "404", "4XX", "code"],
    );
    assert_rejected(
        v.validate_response(
            "DeleteSipIpAddress",
            401,
            &with(error.clone(), "/code", json!("20003")),
        ),
        &["DeleteSipIpAddress", "401", "\"/code\""],
    );
    // Wrong or undeclared status.
    assert_rejected(
        v.validate_response("CreateIpRecord", 200, &ip_record()),
        &["CreateIpRecord", "200", "not declared"],
    );
    assert_rejected(
        v.validate_response("FetchIpRecord", 201, &ip_record()),
        &["FetchIpRecord", "201", "not declared"],
    );
    assert_rejected(
        v.validate_response("FetchIpRecord", 500, &error),
        &["FetchIpRecord", "500", "not declared"],
    );
    assert_rejected(
        v.validate_response("DeleteIpRecord", 200, &Value::Null),
        &["DeleteIpRecord", "200", "not declared"],
    );
    // A body where 204 declares none.
    assert_rejected(
        v.validate_response("DeleteIpRecord", 204, &json!({})),
        &["DeleteIpRecord", "204", "no content"],
    );
    // Wrong envelope: a v1 list without `meta`, a 2010 list item of the wrong resource.
    assert_rejected(
        v.validate_response("ListIpRecord", 200, &json!({ "ip_records": [ip_record()] })),
        &["ListIpRecord", "meta"],
    );
    assert_rejected(
        v.validate_response(
            "ListSipIpAddress",
            200,
            &with(list, "/ip_addresses/0", ip_record()),
        ),
        &["\"/ip_addresses/0/sid\""],
    );
    // Unknown operation, spec or schema.
    assert_rejected(
        v.validate_response("PatchIpRecord", 200, &ip_record()),
        &["PatchIpRecord"],
    );
    assert_rejected(
        v.validate_schema("nope", "IpRecord", &ip_record()),
        &["nope"],
    );
    assert_rejected(
        v.validate_schema("ip_record", "Nope", &ip_record()),
        &["Nope"],
    );
    // validate_schema uses the same conversion.
    v.validate_schema("ip_record", "IpRecord", &ip_record())
        .expect("valid IpRecord");
    assert_rejected(
        v.validate_schema(
            "sip_ip_address",
            "Rfc2822DateTime",
            &json!("2015-07-20T17:27:10Z"),
        ),
        &["Rfc2822DateTime"],
    );
    assert_rejected(
        v.validate_schema(
            "source_ip_mapping",
            "CreateSourceIpMappingRequest",
            &json!({"IpRecordSid": "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}),
        ),
        &["SipDomainSid"],
    );
}

#[test]
fn openapi_schemas_convert_faithfully() {
    let c = |s: Value| convert_schema(&s, "test").expect("converts");
    assert_eq!(
        c(json!({"type": "string", "nullable": true, "example": "x", "x-twilio-pii": true})),
        json!({"type": ["string", "null"]})
    );
    assert_eq!(
        c(json!({"$ref": "#/components/schemas/A", "nullable": true, "description": "ignored"})),
        json!({"anyOf": [{"$ref": "#/$defs/A"}, {"type": "null"}]})
    );
    assert_eq!(
        c(json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})),
        json!({"anyOf": [{"allOf": [{"$ref": "#/$defs/A"}]}, {"type": "null"}]})
    );
    assert_eq!(
        c(
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 9, "exclusiveMaximum": false})
        ),
        json!({"type": "integer", "exclusiveMinimum": 0, "maximum": 9})
    );
    assert_eq!(
        c(json!({
            "type": "object",
            "required": ["a"],
            "readOnly": true,
            "discriminator": {"propertyName": "a"},
            "properties": {"a": {"type": "array", "items": {"$ref": "#/components/schemas/B"}}},
            "additionalProperties": {"type": "string", "nullable": true, "xml": {"name": "x"}}
        })),
        json!({
            "type": "object",
            "required": ["a"],
            "properties": {"a": {"type": "array", "items": {"$ref": "#/$defs/B"}}},
            "additionalProperties": {"type": ["string", "null"]}
        })
    );
    // Unknown keywords, non-local or non-schema references and 3.1 shapes are refused.
    for bad in [
        json!({"type": "string", "const": "x"}),
        json!({"$ref": "other.yaml#/components/schemas/A"}),
        json!({"$ref": "#/components/parameters/A"}),
        json!({"type": ["string", "null"]}),
        json!({"type": "integer", "exclusiveMinimum": 0}),
    ] {
        assert!(convert_schema(&bad, "test").is_err(), "should refuse {bad}");
    }
}
