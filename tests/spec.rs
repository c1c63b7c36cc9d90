//! The eight curated OpenAPI files in `spec/` (32 operations), checked two ways.
//!
//! 1. Against what Twilio's reference pages say of these resources (restated here as the
//!    expected tables below) and the conventions of `spec/README.md`: the files and their hosts, the operations
//!    (method, path, success status), `4XX` → `TwilioError` with its four example classes,
//!    parameters and form fields with their required flags and constraints, the properties Twilio
//!    always returns (`required`, not nullable), list envelopes, links, date formats, SID
//!    components, `x-twilio.pathType`, local `$ref`s, shared components and examples; plus the
//!    JSON Schema validator (`common::schema`) used for all of it, including bodies it must
//!    reject.
//! 2. Against Twilio's own reference material, copied into `tests/fixtures/` (twilio-oai 2.6.7 and
//!    the request/response pairs of Twilio's generated SDK tests; see the READMEs there): our spec
//!    accepts everything Twilio's allows. Each of our operations is Twilio's (method, path, success
//!    status, host, `x-twilio`); every parameter and form field Twilio declares is ours with the
//!    same required flag and Twilio's constraints (ours stricter only where listed below with the
//!    reason, and where the schema's `x-curation` says why); every request and response example
//!    of Twilio's and every SDK fixture body validates against our schemas; every property of
//!    Twilio's response schemas is ours, with its type, enum and nullability (deviations listed),
//!    and carries Twilio's PII marker.
//!
//! The expected tables come from the facts file (the four original resources) and Twilio's
//! reference (the other four), not from the spec files; the tests in part 2 tie them to Twilio's.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::schema::{
    METHODS, Operation, SpecValidator, compile, convert_schema, resolve, resolve_pointer,
};
use common::twilio_reference::{self, RefOperation, Reference, load_sdk_fixtures, path_matches};
use serde_json::{Map, Value, json};

// =============================================================================================
// Expected tables
// =============================================================================================

/// One spec file: its resource and what its responses must look like.
struct ResourceFile {
    /// File stem (`spec/<stem>.yaml`).
    stem: &'static str,
    /// `servers[0].url`, the product host.
    host: &'static str,
    /// Api 2010-04-01 (`.json` paths, RFC 2822 dates, flat list envelope, relative `uri`).
    is_2010: bool,
    /// The resource schema's name; operationIds are `<Verb><Class>`.
    class: &'static str,
    /// The array property of the list envelope (v1: also `meta.key`).
    list_key: &'static str,
    /// Properties Twilio returns on every resource: `sid`, `account_sid` where the resource has
    /// it, parent SIDs, `date_created`, `date_updated`, `url` or `uri` where it has one. Exactly
    /// these are `required` and not nullable (spec/README.md, convention 5).
    always_returned: &'static [&'static str],
}

const VOICE: &str = "https://voice.twilio.com";
const TRUNKING: &str = "https://trunking.twilio.com";
const API: &str = "https://api.twilio.com";

/// The eight files. List keys: the facts file for the original four, Twilio's list response
/// schemas for the others (checked in `twilio_declares_each_of_our_operations_alike`).
#[rustfmt::skip]
const FILES: [ResourceFile; 8] = [
    ResourceFile {
        stem: "auth_calls_ip_access_control_list_mapping", host: API, is_2010: true,
        class: "AuthCallsIpAccessControlListMapping", list_key: "contents",
        // No `uri`, and the domain SID is not in the body (Twilio's schema has neither).
        always_returned: &["sid", "account_sid", "date_created", "date_updated"],
    },
    ResourceFile {
        stem: "ip_record", host: VOICE, is_2010: false,
        class: "IpRecord", list_key: "ip_records",
        always_returned: &["sid", "account_sid", "date_created", "date_updated", "url"],
    },
    ResourceFile {
        stem: "sip_domain", host: API, is_2010: true,
        class: "SipDomain", list_key: "domains",
        always_returned: &["sid", "account_sid", "date_created", "date_updated", "uri"],
    },
    ResourceFile {
        stem: "sip_ip_access_control_list", host: API, is_2010: true,
        class: "SipIpAccessControlList", list_key: "ip_access_control_lists",
        always_returned: &["sid", "account_sid", "date_created", "date_updated", "uri"],
    },
    ResourceFile {
        stem: "sip_ip_address", host: API, is_2010: true,
        class: "SipIpAddress", list_key: "ip_addresses",
        always_returned: &[
            "sid", "account_sid", "ip_access_control_list_sid", "date_created", "date_updated", "uri",
        ],
    },
    ResourceFile {
        stem: "source_ip_mapping", host: VOICE, is_2010: false,
        class: "SourceIpMapping", list_key: "source_ip_mappings",
        // No `account_sid` in Twilio's schema; the two SIDs the mapping joins are always set.
        always_returned: &[
            "sid", "ip_record_sid", "sip_domain_sid", "date_created", "date_updated", "url",
        ],
    },
    ResourceFile {
        stem: "trunk", host: TRUNKING, is_2010: false,
        class: "Trunk", list_key: "trunks",
        always_returned: &["sid", "account_sid", "date_created", "date_updated", "url"],
    },
    ResourceFile {
        stem: "trunk_ip_access_control_list", host: TRUNKING, is_2010: false,
        class: "TrunkIpAccessControlList", list_key: "ip_access_control_lists",
        always_returned: &["sid", "account_sid", "trunk_sid", "date_created", "date_updated", "url"],
    },
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

    /// Create answers 201, fetch/update/list 200, delete 204 (facts, "Operations").
    fn success(self) -> &'static str {
        match self {
            Kind::Create => "201",
            Kind::List | Kind::Fetch | Kind::Update => "200",
            Kind::Delete => "204",
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Kind::Create => "Create",
            Kind::List => "List",
            Kind::Fetch => "Fetch",
            Kind::Update => "Update",
            Kind::Delete => "Delete",
        }
    }

    /// Whether the operation is on the instance path (`…/{Sid}`).
    fn on_instance(self) -> bool {
        matches!(self, Kind::Fetch | Kind::Update | Kind::Delete)
    }
}

const IP_RECORDS: &str = "/v1/IpRecords";
const IP_RECORD: &str = "/v1/IpRecords/{Sid}";
const MAPPINGS: &str = "/v1/SourceIpMappings";
const MAPPING: &str = "/v1/SourceIpMappings/{Sid}";
const TRUNKS: &str = "/v1/Trunks";
const TRUNK: &str = "/v1/Trunks/{Sid}";
const TRUNK_ACLS: &str = "/v1/Trunks/{TrunkSid}/IpAccessControlLists";
const TRUNK_ACL: &str = "/v1/Trunks/{TrunkSid}/IpAccessControlLists/{Sid}";
const SIP_ACLS: &str = "/2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists.json";
const SIP_ACL: &str = "/2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists/{Sid}.json";
const SIP_ADDRESSES: &str = "/2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists/{IpAccessControlListSid}/IpAddresses.json";
const SIP_ADDRESS: &str = "/2010-04-01/Accounts/{AccountSid}/SIP/IpAccessControlLists/{IpAccessControlListSid}/IpAddresses/{Sid}.json";
const SIP_DOMAINS: &str = "/2010-04-01/Accounts/{AccountSid}/SIP/Domains.json";
const SIP_DOMAIN: &str = "/2010-04-01/Accounts/{AccountSid}/SIP/Domains/{Sid}.json";
const ACL_MAPPINGS: &str = "/2010-04-01/Accounts/{AccountSid}/SIP/Domains/{DomainSid}/Auth/Calls/IpAccessControlListMappings.json";
const ACL_MAPPING: &str = "/2010-04-01/Accounts/{AccountSid}/SIP/Domains/{DomainSid}/Auth/Calls/IpAccessControlListMappings/{Sid}.json";

/// The 32 operations: the facts file's 19 and the 13 of Twilio's reference for the parents and
/// the SIP Domain mappings: (file, path, kind). The operationId is `<Verb><Class>`.
#[rustfmt::skip]
const OPERATIONS: [(&str, &str, Kind); 32] = [
    ("ip_record", IP_RECORDS, Kind::Create),
    ("ip_record", IP_RECORDS, Kind::List),
    ("ip_record", IP_RECORD,  Kind::Fetch),
    ("ip_record", IP_RECORD,  Kind::Update),
    ("ip_record", IP_RECORD,  Kind::Delete),
    ("source_ip_mapping", MAPPINGS, Kind::Create),
    ("source_ip_mapping", MAPPINGS, Kind::List),
    ("source_ip_mapping", MAPPING,  Kind::Fetch),
    ("source_ip_mapping", MAPPING,  Kind::Update),
    ("source_ip_mapping", MAPPING,  Kind::Delete),
    // Trunk IpAccessControlList: no update.
    ("trunk_ip_access_control_list", TRUNK_ACLS, Kind::Create),
    ("trunk_ip_access_control_list", TRUNK_ACLS, Kind::List),
    ("trunk_ip_access_control_list", TRUNK_ACL,  Kind::Fetch),
    ("trunk_ip_access_control_list", TRUNK_ACL,  Kind::Delete),
    ("sip_ip_address", SIP_ADDRESSES, Kind::Create),
    ("sip_ip_address", SIP_ADDRESSES, Kind::List),
    ("sip_ip_address", SIP_ADDRESS,   Kind::Fetch),
    ("sip_ip_address", SIP_ADDRESS,   Kind::Update),
    ("sip_ip_address", SIP_ADDRESS,   Kind::Delete),
    ("sip_ip_access_control_list", SIP_ACLS, Kind::Create),
    ("sip_ip_access_control_list", SIP_ACLS, Kind::List),
    ("sip_ip_access_control_list", SIP_ACL,  Kind::Fetch),
    ("sip_ip_access_control_list", SIP_ACL,  Kind::Update),
    ("sip_ip_access_control_list", SIP_ACL,  Kind::Delete),
    // SIP Domain Auth Calls IpAccessControlListMapping: no update.
    ("auth_calls_ip_access_control_list_mapping", ACL_MAPPINGS, Kind::Create),
    ("auth_calls_ip_access_control_list_mapping", ACL_MAPPINGS, Kind::List),
    ("auth_calls_ip_access_control_list_mapping", ACL_MAPPING,  Kind::Fetch),
    ("auth_calls_ip_access_control_list_mapping", ACL_MAPPING,  Kind::Delete),
    // Read-only parents.
    ("sip_domain", SIP_DOMAINS, Kind::List),
    ("sip_domain", SIP_DOMAIN,  Kind::Fetch),
    ("trunk", TRUNKS, Kind::List),
    ("trunk", TRUNK,  Kind::Fetch),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Loc {
    Path,
    Query,
    Form,
}

#[derive(Clone, Copy, Debug)]
enum Constraint {
    /// A `$ref` to a `<Kind>Sid` component with this two-letter prefix.
    Sid(&'static str),
    PageSize,
    Page,
    PageToken,
    /// Optional: up to 255 characters, empty allowed.
    FriendlyName,
    /// Required: 1 to 255 characters (Twilio answers an empty one as missing).
    RequiredFriendlyName,
    /// 0 to 32, no default (update requests).
    CidrPrefixLength,
    /// 0 to 32, `default: 32` (create requests: Twilio uses the whole address).
    CidrPrefixLengthDefault32,
    Ipv4,
}

/// Which operations of a file a parameter belongs to.
#[derive(Clone, Copy, Debug)]
enum Scope {
    All,
    /// The operations on the instance path.
    Instance,
    Only(Kind),
}

const ALL: Scope = Scope::All;
const INSTANCE: Scope = Scope::Instance;
const CREATE: Scope = Scope::Only(Kind::Create);
const UPDATE: Scope = Scope::Only(Kind::Update);

/// Every path parameter and form field: (file, operations, location, wire name, required,
/// constraint). Every list operation also takes `PageSize`, `Page` and `PageToken` (optional);
/// see `expected_parameters`. An operation has no other parameter.
#[rustfmt::skip]
const PARAMETERS: &[(&str, Scope, Loc, &str, bool, Constraint)] = &[
    ("ip_record",                                 INSTANCE, Loc::Path, "Sid",                    true,  Constraint::Sid("IL")),
    ("ip_record",                                 CREATE,   Loc::Form, "IpAddress",              true,  Constraint::Ipv4),
    ("ip_record",                                 CREATE,   Loc::Form, "FriendlyName",           false, Constraint::FriendlyName),
    ("ip_record",                                 CREATE,   Loc::Form, "CidrPrefixLength",       false, Constraint::CidrPrefixLengthDefault32),
    ("ip_record",                                 UPDATE,   Loc::Form, "FriendlyName",           false, Constraint::FriendlyName),

    ("source_ip_mapping",                         INSTANCE, Loc::Path, "Sid",                    true,  Constraint::Sid("IB")),
    ("source_ip_mapping",                         CREATE,   Loc::Form, "IpRecordSid",            true,  Constraint::Sid("IL")),
    ("source_ip_mapping",                         CREATE,   Loc::Form, "SipDomainSid",           true,  Constraint::Sid("SD")),
    ("source_ip_mapping",                         UPDATE,   Loc::Form, "SipDomainSid",           true,  Constraint::Sid("SD")),

    ("trunk_ip_access_control_list",              ALL,      Loc::Path, "TrunkSid",               true,  Constraint::Sid("TK")),
    ("trunk_ip_access_control_list",              INSTANCE, Loc::Path, "Sid",                    true,  Constraint::Sid("AL")),
    ("trunk_ip_access_control_list",              CREATE,   Loc::Form, "IpAccessControlListSid", true,  Constraint::Sid("AL")),

    ("sip_ip_address",                            ALL,      Loc::Path, "AccountSid",             true,  Constraint::Sid("AC")),
    ("sip_ip_address",                            ALL,      Loc::Path, "IpAccessControlListSid", true,  Constraint::Sid("AL")),
    ("sip_ip_address",                            INSTANCE, Loc::Path, "Sid",                    true,  Constraint::Sid("IP")),
    ("sip_ip_address",                            CREATE,   Loc::Form, "FriendlyName",           true,  Constraint::RequiredFriendlyName),
    ("sip_ip_address",                            CREATE,   Loc::Form, "IpAddress",              true,  Constraint::Ipv4),
    ("sip_ip_address",                            CREATE,   Loc::Form, "CidrPrefixLength",       false, Constraint::CidrPrefixLengthDefault32),
    ("sip_ip_address",                            UPDATE,   Loc::Form, "IpAddress",              false, Constraint::Ipv4),
    ("sip_ip_address",                            UPDATE,   Loc::Form, "FriendlyName",           false, Constraint::FriendlyName),
    ("sip_ip_address",                            UPDATE,   Loc::Form, "CidrPrefixLength",       false, Constraint::CidrPrefixLength),

    ("sip_ip_access_control_list",                ALL,      Loc::Path, "AccountSid",             true,  Constraint::Sid("AC")),
    ("sip_ip_access_control_list",                INSTANCE, Loc::Path, "Sid",                    true,  Constraint::Sid("AL")),
    ("sip_ip_access_control_list",                CREATE,   Loc::Form, "FriendlyName",           true,  Constraint::RequiredFriendlyName),
    ("sip_ip_access_control_list",                UPDATE,   Loc::Form, "FriendlyName",           true,  Constraint::RequiredFriendlyName),

    ("auth_calls_ip_access_control_list_mapping", ALL,      Loc::Path, "AccountSid",             true,  Constraint::Sid("AC")),
    ("auth_calls_ip_access_control_list_mapping", ALL,      Loc::Path, "DomainSid",              true,  Constraint::Sid("SD")),
    ("auth_calls_ip_access_control_list_mapping", INSTANCE, Loc::Path, "Sid",                    true,  Constraint::Sid("AL")),
    ("auth_calls_ip_access_control_list_mapping", CREATE,   Loc::Form, "IpAccessControlListSid", true,  Constraint::Sid("AL")),

    ("sip_domain",                                ALL,      Loc::Path, "AccountSid",             true,  Constraint::Sid("AC")),
    ("sip_domain",                                INSTANCE, Loc::Path, "Sid",                    true,  Constraint::Sid("SD")),

    ("trunk",                                     INSTANCE, Loc::Path, "Sid",                    true,  Constraint::Sid("TK")),
];

/// Our request constraints that Twilio's spec does not state (ours stricter): (operationId, wire
/// name, the keywords that differ, sorted). Each one's schema says why in its `x-curation`
/// (naming Twilio); the test fails on an unlisted deviation, a looser one, and a stale entry.
#[rustfmt::skip]
const REQUEST_DEVIATIONS: &[(&str, &str, &[&str])] = &[
    // IPv4 dotted decimal only: Twilio's field description and reference page say so; its spec
    // types a plain string.
    ("CreateIpRecord",     "IpAddress", &["format", "pattern"]),
    ("CreateSipIpAddress", "IpAddress", &["format", "pattern"]),
    ("UpdateSipIpAddress", "IpAddress", &["format", "pattern"]),
    // "Up to 255 characters long": in Twilio's field descriptions, not as a maxLength.
    ("CreateIpRecord",     "FriendlyName", &["maxLength"]),
    ("UpdateIpRecord",     "FriendlyName", &["maxLength"]),
    ("UpdateSipIpAddress", "FriendlyName", &["maxLength"]),
    // Required FriendlyName: also non-empty, as Twilio answers an empty one 400/20001 "Missing
    // required parameter FriendlyName".
    ("CreateSipIpAddress",           "FriendlyName", &["maxLength", "minLength"]),
    ("CreateSipIpAccessControlList", "FriendlyName", &["maxLength", "minLength"]),
    ("UpdateSipIpAccessControlList", "FriendlyName", &["maxLength", "minLength"]),
    // An IPv4 prefix length is 0 to 32; Twilio's spec types a plain integer.
    ("CreateIpRecord",     "CidrPrefixLength", &["maximum", "minimum"]),
    ("CreateSipIpAddress", "CidrPrefixLength", &["maximum", "minimum"]),
    ("UpdateSipIpAddress", "CidrPrefixLength", &["maximum", "minimum"]),
];

/// Parameters and form fields we require although Twilio's spec does not: (operationId, wire
/// name). None: every required flag is Twilio's.
const REQUIRED_DEVIATIONS: &[(&str, &str)] = &[];

/// Response properties whose schema is stricter than Twilio's (file, property, keywords, sorted).
/// Each one's schema says why in its `x-curation`, naming Twilio.
#[rustfmt::skip]
const RESPONSE_DEVIATIONS: &[(&str, &str, &[&str])] = &[
    // Twilio's spec leaves `recording` untyped; it is always an object with `mode` and `trim`
    // (extra fields are still accepted).
    ("trunk", "recording", &["type"]),
    // An IPv4 prefix length is 0 to 32; Twilio's spec types a plain integer.
    ("ip_record",      "cidr_prefix_length", &["maximum", "minimum"]),
    ("sip_ip_address", "cidr_prefix_length", &["maximum", "minimum"]),
];

/// Properties we mark PII that Twilio's spec does not: (file, property).
#[rustfmt::skip]
const EXTRA_PII: &[(&str, &str)] = &[
    // The same kind of value as IpRecord's `ip_address`, which Twilio marks PII; redacted the same
    // way (the property's `x-curation` says so).
    ("sip_ip_address", "ip_address"),
];

/// The four error examples of `TwilioError` (status, code): facts, "Errors".
const ERROR_CLASSES: [(u64, u64); 4] = [(400, 20001), (401, 20003), (404, 20404), (429, 20429)];

/// Keywords that constrain a value (compared between our schemas and Twilio's). `type` is
/// compared on its own.
const CONSTRAINT_KEYWORDS: [&str; 10] = [
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "enum",
];

/// OpenAPI formats that only annotate a number's size (no validation meaning).
const ANNOTATION_FORMATS: [&str; 4] = ["int32", "int64", "float", "double"];

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

// =============================================================================================
// Helpers
// =============================================================================================

fn resource_file(stem: &str) -> &'static ResourceFile {
    FILES
        .iter()
        .find(|f| f.stem == stem)
        .unwrap_or_else(|| panic!("spec/{stem}.yaml is not one of the eight expected files"))
}

fn operation_id(stem: &str, kind: Kind) -> String {
    format!("{}{}", kind.verb(), resource_file(stem).class)
}

/// The kind of one of our operations, from the table.
fn kind_of(op: &Operation) -> Option<Kind> {
    OPERATIONS
        .iter()
        .find(|(stem, path, kind)| {
            *stem == op.spec && *path == op.path && kind.method() == op.method
        })
        .map(|(.., kind)| *kind)
}

fn str_at<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

fn str_list(value: Option<&Value>) -> BTreeSet<&str> {
    value
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
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

/// An operation's parts, from our spec or from Twilio's.
#[derive(Clone, Copy)]
struct OpParts<'a> {
    doc: &'a Value,
    path_item: &'a Value,
    op: &'a Value,
}

impl<'a> From<&Operation<'a>> for OpParts<'a> {
    fn from(op: &Operation<'a>) -> Self {
        Self {
            doc: op.doc,
            path_item: op.path_item,
            op: op.op,
        }
    }
}

impl<'a> From<&RefOperation<'a>> for OpParts<'a> {
    fn from(op: &RefOperation<'a>) -> Self {
        Self {
            doc: op.doc,
            path_item: op.path_item,
            op: op.op,
        }
    }
}

/// The parameters of an operation, path-level and operation-level merged (the operation wins),
/// resolved: (name, in) -> parameter object. Problems go to `problems`.
fn parameters<'a>(
    parts: OpParts<'a>,
    at: &str,
    problems: &mut Problems,
) -> BTreeMap<(String, String), &'a Value> {
    let mut out = BTreeMap::new();
    for (level, holder) in [("path item", parts.path_item), ("operation", parts.op)] {
        let Some(list) = holder.get("parameters") else {
            continue;
        };
        let Some(list) = list.as_array() else {
            problems.push(format!("{at}: {level} parameters is not a list"));
            continue;
        };
        let mut seen = BTreeSet::new();
        for (i, p) in list.iter().enumerate() {
            let p = match resolve(parts.doc, p) {
                Ok(p) => p,
                Err(e) => {
                    problems.push(format!("{at}: {level} parameters/{i}: {e}"));
                    continue;
                }
            };
            let (Some(name), Some(inn)) = (str_at(p, "name"), str_at(p, "in")) else {
                problems.push(format!("{at}: {level} parameters/{i} lacks name or in"));
                continue;
            };
            let key = (name.to_owned(), inn.to_owned());
            problems.check(seen.insert(key.clone()), || {
                format!("{at}: {level} parameter {name} in {inn} declared twice")
            });
            out.insert(key, p);
        }
    }
    out
}

/// The form schema of an operation's request body, resolved, with the body's `required` flag, if
/// it has one.
fn form_schema<'a>(
    parts: OpParts<'a>,
    at: &str,
    problems: &mut Problems,
) -> Option<(bool, &'a Value)> {
    let body = parts.op.get("requestBody")?;
    let body = match resolve(parts.doc, body) {
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
    match resolve(parts.doc, schema) {
        Ok(s) => Some((required, s)),
        Err(e) => {
            problems.push(format!("{at} requestBody schema: {e}"));
            None
        }
    }
}

/// Every path and query parameter and form field of an operation: (location, wire name) ->
/// (required, schema as written).
fn declared_fields<'a>(
    parts: OpParts<'a>,
    at: &str,
    p: &mut Problems,
) -> BTreeMap<(Loc, String), (bool, &'a Value)> {
    let mut found = BTreeMap::new();
    for ((name, inn), param) in parameters(parts, at, p) {
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
                found.insert((loc, name), (required, schema));
            }
            None => p.push(format!("{at}: parameter {name} has no schema")),
        }
    }
    if let Some((_, schema)) = form_schema(parts, at, p) {
        let required = str_list(schema.get("required"));
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
    found
}

/// A schema as a validator sees it: a `$ref` followed (its siblings ignored, as OpenAPI 3.0
/// says), a one-element `allOf` merged into the schema holding it (the outer keywords win), and
/// `anyOf: [<schema>, {enum: [null]}]` (how the spec files make a `$ref` nullable) read as
/// `<schema>` with `nullable: true`.
fn effective(doc: &Value, schema: &Value) -> Map<String, Value> {
    let node = resolve(doc, schema).unwrap_or(schema);
    let Some(obj) = node.as_object() else {
        return Map::new();
    };
    let mut out: Map<String, Value> = obj
        .iter()
        .filter(|(k, _)| *k != "allOf" && *k != "anyOf")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    match obj.get("allOf") {
        Some(Value::Array(all)) if all.len() == 1 => {
            for (k, v) in effective(doc, &all[0]) {
                out.entry(k).or_insert(v);
            }
        }
        Some(all) => {
            out.insert("allOf".into(), all.clone());
        }
        None => {}
    }
    match obj.get("anyOf").and_then(nullable_branch) {
        Some(inner) => {
            for (k, v) in effective(doc, inner) {
                out.entry(k).or_insert(v);
            }
            out.insert("nullable".into(), Value::Bool(true));
        }
        None => {
            if let Some(any) = obj.get("anyOf") {
                out.insert("anyOf".into(), any.clone());
            }
        }
    }
    out
}

/// The other branch of `anyOf: [<schema>, {enum: [null]}]`.
fn nullable_branch(any_of: &Value) -> Option<&Value> {
    let [a, b] = any_of.as_array()?.as_slice() else {
        return None;
    };
    let is_null = |s: &Value| {
        s.as_object()
            .is_some_and(|o| o.len() == 1 && o.get("enum") == Some(&json!([null])))
    };
    match (is_null(a), is_null(b)) {
        (false, true) => Some(a),
        (true, false) => Some(b),
        _ => None,
    }
}

fn is_nullable(schema: &Map<String, Value>) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
}

/// The value of a constraint keyword, `None` for an annotation-only format.
fn constraint<'a>(schema: &'a Map<String, Value>, keyword: &str) -> Option<&'a Value> {
    schema.get(keyword).filter(|v| {
        keyword != "format" || !v.as_str().is_some_and(|f| ANNOTATION_FORMATS.contains(&f))
    })
}

/// Whether our value of a constraint keyword accepts no more than Twilio's (`None`: Twilio has
/// no such constraint).
fn at_least_as_strict(keyword: &str, ours: &Value, twilio: Option<&Value>) -> bool {
    let Some(twilio) = twilio else {
        return true;
    };
    let (o, t) = (ours.as_f64(), twilio.as_f64());
    match keyword {
        "minLength" | "minimum" | "exclusiveMinimum" => o.zip(t).is_some_and(|(o, t)| o >= t),
        "maxLength" | "maximum" | "exclusiveMaximum" => o.zip(t).is_some_and(|(o, t)| o <= t),
        "enum" => match (ours.as_array(), twilio.as_array()) {
            (Some(o), Some(t)) => o.iter().all(|v| t.contains(v)),
            _ => false,
        },
        _ => ours == twilio,
    }
}

/// The curation notes that explain a schema (`x-curation`: why it differs from Twilio's, kept
/// out of the `description` users read): its own and those of the schemas it refers to (by
/// `$ref`, a one-element `allOf`, or the schema branch of a nullable `anyOf`).
fn curation_of(doc: &Value, schema: &Value) -> String {
    let mut out = str_at(schema, CURATION).unwrap_or_default().to_owned();
    if let Some(reference) = str_at(schema, "$ref")
        && let Ok(target) = resolve_pointer(doc, reference)
    {
        out.push(' ');
        out.push_str(&curation_of(doc, target));
    }
    if let Some(Value::Array(all)) = schema.get("allOf")
        && let [inner] = all.as_slice()
    {
        out.push(' ');
        out.push_str(&curation_of(doc, inner));
    }
    if let Some(inner) = schema.get("anyOf").and_then(nullable_branch) {
        out.push(' ');
        out.push_str(&curation_of(doc, inner));
    }
    out
}

/// The extension that holds notes for the spec's maintainers (why a schema differs from
/// Twilio's, where a file was curated from), so that `description`s speak to users.
const CURATION: &str = "x-curation";

/// One property of one of Twilio's response schemas, paired with ours.
struct PropertyPair {
    /// `<operationId> <status> /<path>/<name>` for messages.
    at: String,
    name: String,
    twilio: Map<String, Value>,
    /// Our property as written (`None`: missing) and as a validator sees it.
    ours: Option<(Value, Map<String, Value>)>,
    ours_required: bool,
}

/// Pairs every property of Twilio's schema (recursively, through objects and array items) with
/// ours. `extra` collects our properties that Twilio's object schema lacks.
fn pair_properties(
    twilio_doc: &Value,
    twilio_schema: &Value,
    our_doc: &Value,
    our_schema: &Value,
    at: &str,
    out: &mut Vec<PropertyPair>,
    extra: &mut Vec<String>,
) {
    let t = effective(twilio_doc, twilio_schema);
    let o = effective(our_doc, our_schema);
    if let (Some(t_items), Some(o_items)) = (t.get("items"), o.get("items")) {
        pair_properties(
            twilio_doc,
            t_items,
            our_doc,
            o_items,
            &format!("{at}[]"),
            out,
            extra,
        );
    }
    let Some(t_props) = t.get("properties").and_then(Value::as_object) else {
        return;
    };
    let o_props = o.get("properties").and_then(Value::as_object);
    let o_required = str_list(o.get("required"));
    for (name, t_prop) in t_props {
        let ours = o_props.and_then(|props| props.get(name));
        out.push(PropertyPair {
            at: format!("{at}/{name}"),
            name: name.clone(),
            twilio: effective(twilio_doc, t_prop),
            ours: ours.map(|raw| (raw.clone(), effective(our_doc, raw))),
            ours_required: o_required.contains(name.as_str()),
        });
        if let Some(ours) = ours {
            pair_properties(
                twilio_doc,
                t_prop,
                our_doc,
                ours,
                &format!("{at}/{name}"),
                out,
                extra,
            );
        }
    }
    for name in o_props.into_iter().flat_map(|p| p.keys()) {
        if !t_props.contains_key(name) {
            extra.push(format!("{at}/{name}"));
        }
    }
}

/// A success response schema of one of Twilio's operations and the same response of ours.
struct SchemaPair<'a> {
    /// `<our operationId> <status>` for messages.
    at: String,
    stem: &'a str,
    twilio_doc: &'a Value,
    twilio: &'a Value,
    our_doc: &'a Value,
    ours: &'a Value,
}

/// Every success response schema of Twilio's operations that we also declare (matched by method
/// and path), paired with ours.
fn success_schema_pairs<'a>(reference: &'a Reference, v: &'a SpecValidator) -> Vec<SchemaPair<'a>> {
    let ours = v.operations();
    let mut out = Vec::new();
    for theirs in reference.operations() {
        let Some(op) = ours
            .iter()
            .find(|o| o.method == theirs.method && o.path == theirs.path)
        else {
            continue;
        };
        for status in theirs.success_statuses() {
            let pointer = format!("/responses/{status}/content/application~1json/schema");
            if let (Some(t), Some(o)) = (theirs.op.pointer(&pointer), op.op.pointer(&pointer)) {
                out.push(SchemaPair {
                    at: format!("{} {status}", op.operation_id.unwrap_or("?")),
                    stem: op.spec,
                    twilio_doc: theirs.doc,
                    twilio: t,
                    our_doc: op.doc,
                    ours: o,
                });
            }
        }
    }
    out
}

/// Checks a parameter's or form field's schema against its expected constraint, by its keywords
/// and by values it must accept and reject.
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
            let reference = str_at(schema, "$ref").unwrap_or_default();
            p.check(
                reference
                    .strip_prefix("#/components/schemas/")
                    .is_some_and(|name| name.ends_with("Sid") && !name.contains('/')),
                || format!("{at}: a SID must `$ref` a `<Kind>Sid` component, found {schema}"),
            );
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
        Constraint::FriendlyName | Constraint::RequiredFriendlyName => {
            expect_type(p, "string");
            let required = matches!(constraint, Constraint::RequiredFriendlyName);
            let min = if required { Some(1.0) } else { None };
            p.check(
                num("maxLength") == Some(255.0) && num("minLength").filter(|m| *m > 0.0) == min,
                || {
                    format!(
                        "{at}: FriendlyName must have maxLength 255 and {}",
                        if required {
                            "minLength 1 (required: Twilio answers an empty one as missing)"
                        } else {
                            "no minLength (optional: an empty one may be sent)"
                        }
                    )
                },
            );
            samples.extend([
                (json!("x".repeat(255)), true),
                (json!("é".repeat(255)), true),
                (json!("x".repeat(256)), false),
                (json!("x"), true),
                (json!(""), !required),
            ]);
        }
        Constraint::CidrPrefixLength | Constraint::CidrPrefixLengthDefault32 => {
            expect_type(p, "integer");
            p.check(
                num("minimum") == Some(0.0) && num("maximum") == Some(32.0),
                || format!("{at}: CidrPrefixLength must have minimum 0 and maximum 32"),
            );
            let default = resolved.get("default");
            if matches!(constraint, Constraint::CidrPrefixLengthDefault32) {
                p.check(default == Some(&json!(32)), || {
                    format!("{at}: on create, `default: 32` (Twilio uses the entire address), found {default:?}")
                });
            } else {
                p.check(default.is_none(), || {
                    format!("{at}: on update, no default (an absent field is left unchanged), found {default:?}")
                });
            }
            samples.extend([
                (json!(0), true),
                (json!(32), true),
                (json!(-1), false),
                (json!(33), false),
            ]);
        }
        Constraint::Ipv4 => {
            expect_type(p, "string");
            p.check(str_at(resolved, "format") == Some("ipv4"), || {
                format!("{at}: IPv4 address without `format: ipv4`")
            });
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

/// The expected parameters of every operation, by operationId.
fn expected_parameters() -> BTreeMap<String, Expected> {
    let mut expected: BTreeMap<String, Expected> = BTreeMap::new();
    for (stem, _, kind) in OPERATIONS {
        let entry = expected.entry(operation_id(stem, kind)).or_default();
        if kind == Kind::List {
            entry.insert((Loc::Query, "PageSize"), (false, Constraint::PageSize));
            entry.insert((Loc::Query, "Page"), (false, Constraint::Page));
            entry.insert((Loc::Query, "PageToken"), (false, Constraint::PageToken));
        }
    }
    for (stem, scope, loc, name, required, constraint) in PARAMETERS {
        let kinds: Vec<Kind> = OPERATIONS
            .iter()
            .filter(|(s, ..)| s == stem)
            .map(|(.., k)| *k)
            .filter(|k| match scope {
                Scope::All => true,
                Scope::Instance => k.on_instance(),
                Scope::Only(only) => k == only,
            })
            .collect();
        assert!(
            !kinds.is_empty(),
            "table: {stem} {scope:?} {name} names no operation"
        );
        for kind in kinds {
            let id = operation_id(stem, kind);
            let previous = expected
                .entry(id.clone())
                .or_default()
                .insert((*loc, name), (*required, *constraint));
            assert!(previous.is_none(), "table lists {id} {loc:?} {name} twice");
        }
    }
    expected
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

/// A component with its documentation (`description`, `summary`, `x-curation`) and examples
/// removed: what a validator or the code generator reads.
fn without_documentation(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, v)| {
                    let documentation =
                        matches!(k.as_str(), "description" | "summary" | CURATION) && v.is_string();
                    let example = matches!(k.as_str(), "examples" | "example");
                    !documentation && !example
                })
                .map(|(k, v)| (k.clone(), without_documentation(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_documentation).collect()),
        other => other.clone(),
    }
}

// Sample bodies for the validator's negative cases (values from the seed pages and Twilio's
// reference examples).

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

fn trunk() -> Value {
    json!({
        "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "sid": "TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "transfer_mode": "disable-all",
        "transfer_caller_id": "from-transferee",
        "recording": {"mode": "do-not-record", "trim": "do-not-trim"},
        "date_created": "2015-01-02T11:23:45Z",
        "date_updated": "2015-01-02T11:23:45Z",
        "url": "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    })
}

fn sip_domain() -> Value {
    json!({
        "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "sid": "SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "voice_method": "POST",
        "voice_url": "https://dundermifflin.example.com/twilio/app.php",
        "date_created": "Mon, 20 Jul 2015 17:27:10 +0000",
        "date_updated": "Mon, 20 Jul 2015 17:27:10 +0000",
        "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/Domains/SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json"
    })
}

fn acl_mapping() -> Value {
    json!({
        "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "date_created": "Thu, 30 Jul 2015 20:00:00 +0000",
        "date_updated": "Thu, 30 Jul 2015 20:00:00 +0000",
        "friendly_name": "friendly_name",
        "sid": "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
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

// =============================================================================================
// Part 1: the files against the facts and the conventions
// =============================================================================================

#[test]
fn the_eight_spec_files_exist() {
    let v = SpecValidator::load();
    let found: BTreeSet<&str> = v.files().iter().map(|f| f.stem.as_str()).collect();
    let expected: BTreeSet<&str> = FILES.iter().map(|f| f.stem).collect();
    assert_eq!(found, expected, "spec/*.yaml files");
    assert_eq!(found.len(), 8);
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
fn each_file_is_a_structurally_valid_openapi_3_0_3_document_on_its_product_host() {
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
        let host = resource_file(&file.stem).host;

        for key in doc.as_object().expect("a mapping").keys() {
            p.check(
                top_keys.contains(&key.as_str()) || key.starts_with("x-"),
                || format!("{f}: unknown top-level key `{key}`"),
            );
        }
        let version = str_at(doc, "openapi").unwrap_or_default();
        p.check(version == "3.0.3", || {
            format!("{f} openapi: `{version}`, expected 3.0.3")
        });
        // info, with a licence that names its text by URL.
        for key in ["title", "version"] {
            p.check(
                doc.pointer(&format!("/info/{key}"))
                    .and_then(Value::as_str)
                    .is_some_and(|s| !s.trim().is_empty()),
                || format!("{f} info.{key}: missing or empty"),
            );
        }
        let license_name = doc.pointer("/info/license/name").and_then(Value::as_str);
        p.check(license_name.is_some_and(|n| !n.trim().is_empty()), || {
            format!("{f} info.license.name: missing or empty")
        });
        let license_url = doc.pointer("/info/license/url").and_then(Value::as_str);
        p.check(
            license_url.is_some_and(|u| {
                url::Url::parse(u).is_ok_and(|u| ["http", "https"].contains(&u.scheme()))
            }),
            || format!("{f} info.license.url: {license_url:?} is not an http(s) URL"),
        );
        // servers: exactly the product host.
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
fn there_are_the_32_expected_operations() {
    let v = SpecValidator::load();
    let ops = v.operations();
    assert_eq!(ops.len(), 32, "operations across the eight files");
    let found: BTreeSet<(&str, String, &str, &str)> = ops
        .iter()
        .map(|o| {
            (
                o.spec,
                o.operation_id.unwrap_or("?").to_owned(),
                o.method,
                o.path,
            )
        })
        .collect();
    let expected: BTreeSet<(&str, String, &str, &str)> = OPERATIONS
        .iter()
        .map(|(stem, path, kind)| (*stem, operation_id(stem, *kind), kind.method(), *path))
        .collect();
    assert_eq!(expected.len(), 32, "the table lists an operation twice");
    let mut p = Problems::default();
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

#[test]
fn every_path_has_its_x_twilio_path_type_and_the_convention_shape() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    for file in v.files() {
        let f = format!("spec/{}.yaml", file.stem);
        let is_2010 = resource_file(&file.stem).is_2010;
        let mut kinds = Vec::new();
        for (path, item) in file
            .json
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let at = format!("{f} paths.{path}");
            let instance = path.ends_with("/{Sid}") || path.ends_with("/{Sid}.json");
            let expected = if instance { "instance" } else { "list" };
            let x = item.get("x-twilio");
            let path_type = x.and_then(|x| str_at(x, "pathType"));
            p.check(path_type == Some(expected), || {
                format!("{at}: x-twilio.pathType {path_type:?}, expected {expected}")
            });
            kinds.push(path_type.unwrap_or("?"));
            if let Some(parent) = x.and_then(|x| x.get("parent")) {
                p.check(parent.as_str().is_some_and(|s| s.starts_with('/')), || {
                    format!("{at}: x-twilio.parent {parent} is not a path")
                });
            }
            if let Some(mount) = x.and_then(|x| x.get("mountName")) {
                p.check(
                    mount.as_str().is_some_and(|m| {
                        !m.is_empty()
                            && m.chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                    }),
                    || format!("{at}: x-twilio.mountName {mount} is not snake_case"),
                );
            }
            if is_2010 {
                p.check(
                    path.starts_with("/2010-04-01/Accounts/{AccountSid}/") && path.ends_with(".json"),
                    || format!("{at}: a 2010 path starts with /2010-04-01/Accounts/{{AccountSid}}/ and ends in .json"),
                );
            } else {
                p.check(path.starts_with("/v1/") && !path.ends_with(".json"), || {
                    format!("{at}: a v1 path starts with /v1/")
                });
            }
        }
        kinds.sort_unstable();
        p.check(kinds == ["instance", "list"], || {
            format!("{f}: path types {kinds:?}, expected one list and one instance path")
        });
    }
    p.finish("x-twilio");
}

/// Every SID is a `<Kind>Sid` component (`^XX[0-9a-fA-F]{32}$`, 34 characters, not nullable),
/// and no SID pattern is written anywhere else (convention 7).
#[test]
fn sids_are_named_components() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    let looks_like_sid = |pattern: &str| {
        pattern.strip_prefix('^').is_some_and(|rest| {
            rest.get(..2)
                .is_some_and(|k| k.bytes().all(|b| b.is_ascii_uppercase()))
                && rest.get(2..) == Some("[0-9a-fA-F]{32}$")
        })
    };
    let mut components = 0;
    for file in v.files() {
        let f = format!("spec/{}.yaml", file.stem);
        let mut nodes = Vec::new();
        walk(&file.json, String::new(), &mut nodes);
        for (pointer, node) in nodes {
            let Some(pattern) = str_at(node, "pattern") else {
                continue;
            };
            let component = pointer
                .strip_prefix("/components/schemas/")
                .filter(|name| !name.contains('/'));
            let sid = looks_like_sid(pattern);
            match component {
                Some(name) if sid || name.ends_with("Sid") => {
                    components += 1;
                    let at = format!("{f}#{pointer}");
                    p.check(
                        sid && name.ends_with("Sid") && name.starts_with(|c: char| c.is_ascii_uppercase()),
                        || format!("{at}: a SID component is named <Kind>Sid and has a SID pattern, found {pattern}"),
                    );
                    p.check(
                        str_at(node, "type") == Some("string")
                            && node.get("minLength") == Some(&json!(34))
                            && node.get("maxLength") == Some(&json!(34))
                            && node.get("nullable") != Some(&json!(true)),
                        || format!("{at}: type string, minLength 34, maxLength 34, not nullable"),
                    );
                }
                _ => p.check(!sid, || {
                    format!(
                        "{f}#{pointer}: SID pattern {pattern} inlined; `$ref` a <Kind>Sid component"
                    )
                }),
            }
        }
    }
    p.check(components >= 20, || {
        format!("only {components} SID components")
    });
    p.finish("SID components");
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
fn success_statuses_match_the_facts_and_every_operation_answers_4xx_with_twilio_error() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    let error_ref = json!({ "$ref": "#/components/responses/TwilioError" });
    for op in v.operations() {
        let at = op.location();
        let Some(kind) = kind_of(&op) else {
            p.push(format!("{at}: operation not in the table"));
            continue;
        };
        let class = resource_file(op.spec).class;
        let responses = op.op.get("responses").and_then(Value::as_object);
        let keys: BTreeSet<&str> = responses
            .into_iter()
            .flat_map(|r| r.keys().map(String::as_str))
            .collect();
        let expected: BTreeSet<&str> = [kind.success(), "4XX"].into();
        p.check(keys == expected, || {
            format!("{at}: responses {keys:?}, expected exactly {expected:?} (no default, no 5xx)")
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
                let types: Vec<&String> = content
                    .and_then(Value::as_object)
                    .map(|c| c.keys().collect())
                    .unwrap_or_default();
                p.check(types == ["application/json"], || {
                    format!(
                        "{at} {}: content must be only application/json, found {types:?}",
                        kind.success()
                    )
                });
                // The resource schema, or the list envelope (conventions 5 and 6).
                let schema = content.and_then(|c| c.pointer("/application~1json/schema"));
                let want = if kind == Kind::List {
                    format!("#/components/schemas/List{class}Response")
                } else {
                    format!("#/components/schemas/{class}")
                };
                p.check(schema == Some(&json!({ "$ref": want })), || {
                    format!(
                        "{at} {}: schema {schema:?}, expected `$ref: '{want}'`",
                        kind.success()
                    )
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
    // The shared error response itself: the schema and the four example classes.
    for file in v.files() {
        let f = format!("spec/{}.yaml", file.stem);
        let media = file
            .json
            .pointer("/components/responses/TwilioError/content/application~1json");
        let schema = media.and_then(|m| m.get("schema"));
        p.check(
            schema == Some(&json!({ "$ref": "#/components/schemas/TwilioError" })),
            || format!("{f}#/components/responses/TwilioError: the JSON schema must be `$ref: '#/components/schemas/TwilioError'`, found {schema:?}"),
        );
        let mut classes = BTreeSet::new();
        for (name, example) in media
            .and_then(|m| m.get("examples"))
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let at = format!("{f}#/components/responses/TwilioError example `{name}`");
            let value = example.get("value").unwrap_or(&Value::Null);
            let status = value.get("status").and_then(Value::as_u64).unwrap_or(0);
            let code = value.get("code").and_then(Value::as_u64).unwrap_or(0);
            p.check(classes.insert((status, code)), || {
                format!("{at}: {status}/{code} shown twice")
            });
            let more_info = format!("https://www.twilio.com/docs/errors/{code}");
            p.check(
                str_at(value, "more_info") == Some(more_info.as_str()),
                || format!("{at}: more_info must be {more_info}"),
            );
            p.check(
                str_at(value, "message").is_some_and(|m| !m.trim().is_empty()),
                || format!("{at}: no message"),
            );
        }
        let expected: BTreeSet<(u64, u64)> = ERROR_CLASSES.into();
        p.check(classes == expected, || {
            format!("{f}#/components/responses/TwilioError: examples show {classes:?}, expected (status, code) {expected:?}")
        });
        let error = file.json.pointer("/components/schemas/TwilioError");
        let required = str_list(error.and_then(|e| e.get("required")));
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

/// `description`s and `summary`s are the users' documentation (rustdoc and other tools show
/// them); notes for the spec's maintainers (where a file was curated from, why a schema differs
/// from Twilio's, what OpenAPI or the generator cannot express) go in `x-curation`.
#[test]
fn descriptions_speak_to_users() {
    const MAINTAINER_WORDS: &[&str] = &[
        "Curated",
        "published spec",
        "twilio-oai",
        "siblings",
        "OpenAPI 3.0",
        "generator",
        "Twilio's spec",
        "its spec",
    ];
    fn walk(value: &Value, at: &str, file: &str, p: &mut Problems) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let here = format!("{at}/{key}");
                    match (key.as_str(), child) {
                        ("description" | "summary", Value::String(text)) => {
                            for word in MAINTAINER_WORDS {
                                p.check(!text.contains(word), || {
                                    format!("{file} {here}: `{word}` is a note for maintainers; move it to `x-curation`")
                                });
                            }
                        }
                        // Examples are data, not documentation.
                        ("example" | "examples", _) => {}
                        _ => walk(child, &here, file, p),
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{at}/{i}"), file, p);
                }
            }
            _ => {}
        }
    }
    let v = SpecValidator::load();
    let mut p = Problems::default();
    let mut notes = 0;
    for file in v.files() {
        let name = format!("spec/{}.yaml", file.stem);
        walk(&file.json, "", &name, &mut p);
        notes += file.json.pointer("/info/x-curation").map_or(0, |_| 1);
    }
    p.check(notes == v.files().len(), || {
        format!("every file says where it was curated from in `info.x-curation`; {notes} do")
    });
    p.finish("descriptions for users");
}

/// Components of the same name mean the same thing in every file. Each file is standalone and
/// describes its components in its own words, so documentation (`description`, `summary`) and
/// examples are left out of the comparison (the error examples are checked above).
#[test]
fn components_shared_between_files_are_identical() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    // (kind, name) -> [(file, value)]
    let mut by_name: BTreeMap<(String, String), Vec<(&str, Value)>> = BTreeMap::new();
    for file in v.files() {
        let components = file.json.get("components").and_then(Value::as_object);
        for (kind, entries) in components.into_iter().flatten() {
            for (name, value) in entries.as_object().into_iter().flatten() {
                by_name
                    .entry((kind.clone(), name.clone()))
                    .or_default()
                    .push((&file.stem, without_documentation(value)));
            }
        }
    }
    let mut shared = 0;
    for ((kind, name), defs) in &by_name {
        let (first_file, first) = &defs[0];
        shared += usize::from(defs.len() > 1);
        for (file, value) in &defs[1..] {
            p.check(value == first, || {
                format!(
                    "components.{kind}.{name} differs between spec/{first_file}.yaml and spec/{file}.yaml:\n  {first}\n  {value}"
                )
            });
        }
    }
    let count = |kind: &str, name: &str| {
        by_name
            .get(&(kind.to_owned(), name.to_owned()))
            .map_or(0, Vec::len)
    };
    let v1 = FILES.iter().filter(|f| !f.is_2010).count();
    let api_2010 = FILES.len() - v1;
    for (kind, name, expected) in [
        ("schemas", "TwilioError", FILES.len()),
        ("responses", "TwilioError", FILES.len()),
        ("securitySchemes", "accountSid_authToken", FILES.len()),
        ("parameters", "PageSize", FILES.len()),
        ("parameters", "Page", FILES.len()),
        ("parameters", "PageToken", FILES.len()),
        ("schemas", "PageMeta", v1),
        ("schemas", "Rfc2822DateTime", api_2010),
    ] {
        let n = count(kind, name);
        p.check(n == expected, || {
            format!("components.{kind}.{name} is in {n} files, expected {expected}")
        });
    }
    p.check(shared >= 8, || format!("only {shared} shared components"));
    p.finish("shared components");
}

#[test]
fn parameters_and_form_fields_match_the_facts() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    let mut expected = expected_parameters();
    let total: usize = expected.values().map(BTreeMap::len).sum();
    let mut checked = 0;
    for op in v.operations() {
        let id = op.operation_id.unwrap_or("?");
        let at = op.location();
        let want = expected.remove(id).unwrap_or_default();
        let parts = OpParts::from(&op);
        let found = declared_fields(parts, &at, &mut p);

        // Path template and path parameters agree.
        let template: BTreeSet<&str> = op
            .path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name))
            .collect();
        let declared: BTreeSet<&str> = found
            .keys()
            .filter(|(loc, _)| *loc == Loc::Path)
            .map(|(_, name)| name.as_str())
            .collect();
        p.check(template == declared, || {
            format!("{at}: path template names {template:?}, path parameters {declared:?}")
        });
        // Path parameters are required.
        for ((loc, name), (required, _)) in &found {
            p.check(*loc != Loc::Path || *required, || {
                format!("{at}: path parameter {name} must be required")
            });
        }
        // The form body: an object, required exactly when it has required fields (convention 8).
        if let Some((body_required, schema)) = form_schema(parts, &at, &mut p) {
            p.check(str_at(schema, "type") == Some("object"), || {
                format!("{at} requestBody schema: must be `type: object`")
            });
            let required = str_list(schema.get("required"));
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
            let kind = kind_of(&op);
            let want_ref = format!(
                "#/components/schemas/{}Request",
                kind.map(|k| operation_id(op.spec, k)).unwrap_or_default()
            );
            let found_ref = op
                .op
                .pointer("/requestBody/content/application~1x-www-form-urlencoded/schema/$ref")
                .and_then(Value::as_str);
            p.check(found_ref == Some(want_ref.as_str()), || {
                format!("{at} requestBody schema: {found_ref:?}, expected `$ref: '{want_ref}'`")
            });
        }
        p.check(
            op.op.get("requestBody").is_some() == (op.method == "post"),
            || format!("{at}: a request body on create and update only"),
        );

        let want_keys: BTreeSet<(Loc, String)> =
            want.keys().map(|(l, n)| (*l, (*n).to_owned())).collect();
        let found_keys: BTreeSet<(Loc, String)> = found.keys().cloned().collect();
        for (loc, name) in want_keys.difference(&found_keys) {
            p.push(format!("{at}: missing {loc:?} parameter {name}"));
        }
        for (loc, name) in found_keys.difference(&want_keys) {
            p.push(format!("{at}: {loc:?} parameter {name} is not expected"));
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
    p.check(checked == total, || {
        format!("checked {checked} parameters, the table has {total}")
    });
    p.finish("parameters");
}

#[test]
fn always_returned_properties_are_required_and_not_nullable() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    for rf in &FILES {
        let Some(file) = v.file(rf.stem) else {
            p.push(format!("spec/{}.yaml missing", rf.stem));
            continue;
        };
        let at = format!("spec/{}.yaml#/components/schemas/{}", rf.stem, rf.class);
        let Some(schema) = file
            .json
            .pointer(&format!("/components/schemas/{}", rf.class))
        else {
            p.push(format!("{at}: missing"));
            continue;
        };
        let required = str_list(schema.get("required"));
        let expected: BTreeSet<&str> = rf.always_returned.iter().copied().collect();
        p.check(required == expected, || {
            format!("{at}: required {required:?}, expected exactly {expected:?}")
        });
        for name in &expected {
            let Some(prop) = schema.pointer(&format!("/properties/{name}")) else {
                p.push(format!("{at}: no property {name}"));
                continue;
            };
            let eff = effective(&file.json, prop);
            p.check(
                !is_nullable(&eff)
                    && prop.get("nullable") != Some(&json!(true))
                    && eff.get("type").is_some(),
                || format!("{at}/properties/{name}: a required property is typed and not nullable"),
            );
        }
        // SID properties `$ref` a `<Kind>Sid` component (convention 7).
        for (name, prop) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if name != "sid" && !name.ends_with("_sid") {
                continue;
            }
            let reference = str_at(prop, "$ref")
                .or_else(|| prop.pointer("/anyOf/0/$ref").and_then(Value::as_str));
            p.check(
                reference
                    .is_some_and(|r| r.starts_with("#/components/schemas/") && r.ends_with("Sid")),
                || {
                    format!(
                        "{at}/properties/{name}: a SID property must `$ref` a <Kind>Sid component"
                    )
                },
            );
        }
        // `sid` is the SID the instance path takes.
        let sid_ref = schema.pointer("/properties/sid");
        let instance_sid = v
            .operations()
            .into_iter()
            .find(|o| o.spec == rf.stem && kind_of(o).is_some_and(Kind::on_instance))
            .and_then(|o| {
                let at = o.location();
                parameters(OpParts::from(&o), &at, &mut Problems::default())
                    .get(&("Sid".to_owned(), "path".to_owned()))
                    .and_then(|param| param.get("schema").cloned())
            });
        p.check(sid_ref.is_some() && sid_ref == instance_sid.as_ref(), || {
            format!("{at}/properties/sid: {sid_ref:?}, expected the instance path's Sid schema {instance_sid:?}")
        });
    }
    p.finish("always-returned properties");
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
    let mut with_body = 0;
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
            with_body += usize::from(has_body);
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
    // A success response with a body on every operation but the deletes, and 32 `4XX` (four
    // examples each).
    let success = OPERATIONS
        .iter()
        .filter(|(.., k)| *k != Kind::Delete)
        .count();
    p.check(with_body == success + OPERATIONS.len(), || {
        format!(
            "{with_body} responses with a body, expected {}",
            success + OPERATIONS.len()
        )
    });
    p.check(examples.len() >= success + OPERATIONS.len() * 4, || {
        format!("only {} response examples found", examples.len())
    });
    p.finish("examples");
}

#[test]
fn list_envelopes_and_links_match_the_facts() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    const FLAT_2010: [&str; 8] = [
        "page",
        "page_size",
        "start",
        "end",
        "uri",
        "first_page_uri",
        "next_page_uri",
        "previous_page_uri",
    ];
    const META: [&str; 7] = [
        "page",
        "page_size",
        "first_page_url",
        "previous_page_url",
        "next_page_url",
        "url",
        "key",
    ];
    // The envelope schemas (convention 6).
    for rf in &FILES {
        let Some(file) = v.file(rf.stem) else {
            continue;
        };
        let name = format!("List{}Response", rf.class);
        let at = format!("spec/{}.yaml#/components/schemas/{name}", rf.stem);
        let Some(schema) = file.json.pointer(&format!("/components/schemas/{name}")) else {
            p.push(format!("{at}: missing"));
            continue;
        };
        let props = schema.get("properties").and_then(Value::as_object);
        let arrays: Vec<&String> = props
            .into_iter()
            .flatten()
            .filter(|(_, s)| str_at(s, "type") == Some("array"))
            .map(|(k, _)| k)
            .collect();
        p.check(arrays == [rf.list_key], || {
            format!(
                "{at}: array properties {arrays:?}, expected exactly [{}]",
                rf.list_key
            )
        });
        let items = schema.pointer(&format!("/properties/{}/items", rf.list_key));
        let want_items = json!({ "$ref": format!("#/components/schemas/{}", rf.class) });
        p.check(items == Some(&want_items), || {
            format!("{at}: items {items:?}, expected {want_items}")
        });
        let required = str_list(schema.get("required"));
        let nullable = |prop: &str| {
            schema
                .pointer(&format!("/properties/{prop}/nullable"))
                .and_then(Value::as_bool)
                == Some(true)
        };
        if rf.is_2010 {
            let keys: BTreeSet<&str> = props
                .into_iter()
                .flat_map(|m| m.keys().map(String::as_str))
                .collect();
            let want: BTreeSet<&str> = FLAT_2010.iter().copied().chain([rf.list_key]).collect();
            p.check(keys == want, || {
                format!("{at}: properties {keys:?}, expected the flat 2010 envelope {want:?}")
            });
            p.check(required == [rf.list_key].into(), || {
                format!("{at}: required {required:?}, expected [{}]", rf.list_key)
            });
        } else {
            let meta = schema.pointer("/properties/meta");
            p.check(
                meta == Some(&json!({ "$ref": "#/components/schemas/PageMeta" })),
                || format!("{at}: meta must `$ref` PageMeta, found {meta:?}"),
            );
            p.check(required == [rf.list_key, "meta"].into(), || {
                format!(
                    "{at}: required {required:?}, expected [{}, meta]",
                    rf.list_key
                )
            });
            let page_meta = file.json.pointer("/components/schemas/PageMeta");
            let keys: BTreeSet<&str> = page_meta
                .and_then(|m| m.get("properties"))
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|m| m.keys().map(String::as_str))
                .collect();
            p.check(keys == META.into(), || {
                format!(
                    "spec/{}.yaml PageMeta: properties {keys:?}, expected {META:?}",
                    rf.stem
                )
            });
            for link in ["next_page_url", "previous_page_url"] {
                let n = page_meta
                    .and_then(|m| m.pointer(&format!("/properties/{link}/nullable")))
                    .and_then(Value::as_bool);
                p.check(n == Some(true), || {
                    format!(
                        "spec/{}.yaml PageMeta.{link}: null on the last/first page, so nullable",
                        rf.stem
                    )
                });
            }
        }
        if rf.is_2010 {
            for link in ["next_page_uri", "previous_page_uri"] {
                p.check(nullable(link), || {
                    format!("{at}: {link} is null on the last/first page, so nullable")
                });
            }
        }
    }
    // The list examples.
    for (spec, op, key, name, value) in v.response_examples() {
        if !op.starts_with("List") || key != "200" {
            continue;
        }
        let at = format!("spec/{spec}.yaml {op} example `{name}`");
        let rf = resource_file(&spec);
        p.check(value.get(rf.list_key).is_some_and(Value::is_array), || {
            format!("{at}: no `{}` array", rf.list_key)
        });
        if rf.is_2010 {
            for field in FLAT_2010 {
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
            p.check(meta_key == Some(rf.list_key), || {
                format!(
                    "{at}: meta.key {meta_key:?} must name the array `{}`",
                    rf.list_key
                )
            });
            for field in [
                "first_page_url",
                "url",
                "next_page_url",
                "previous_page_url",
            ] {
                match value.pointer(&format!("/meta/{field}")) {
                    Some(Value::Null)
                        if field.ends_with("page_url") && field != "first_page_url" => {}
                    Some(Value::String(url)) => p.check(url.starts_with(rf.host), || {
                        format!("{at}: meta.{field} must be absolute on {}: {url}", rf.host)
                    }),
                    other => p.push(format!("{at}: meta.{field} is {other:?}")),
                }
            }
        }
    }
    // The resources' own links in every success example: v1 `url` absolute on the host, 2010
    // `uri` relative to the host root.
    for (spec, op, key, name, value) in v.response_examples() {
        if !key.starts_with('2') {
            continue;
        }
        let rf = resource_file(&spec);
        let mut nodes = Vec::new();
        walk(&value, String::new(), &mut nodes);
        for (pointer, node) in nodes {
            let field = pointer.rsplit('/').next().unwrap_or_default();
            let Some(link) = node.as_str() else { continue };
            let at = format!("spec/{spec}.yaml {op} example `{name}` {pointer}");
            if field == "url" {
                p.check(!rf.is_2010 && link.starts_with(rf.host), || {
                    format!("{at}: a v1 `url` is absolute on {}: {link}", rf.host)
                });
            }
            if field == "uri" {
                p.check(
                    rf.is_2010 && link.starts_with("/2010-04-01/Accounts/"),
                    || format!("{at}: a 2010 `uri` is relative to the host root: {link}"),
                );
            }
        }
    }
    // Link formats: `url`/`*_url` are absolute (`format: uri`); `uri`/`*_uri` are relative, so
    // they must not claim `format: uri`, and only the 2010 API has them.
    for file in v.files() {
        let is_2010 = resource_file(&file.stem).is_2010;
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
                let format = effective(&file.json, prop_schema)
                    .get("format")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                if prop == "url" || prop.ends_with("_url") {
                    p.check(format.as_deref() == Some("uri"), || {
                        format!("{at}: an absolute URL must be `format: uri`, found {format:?}")
                    });
                }
                if prop == "uri" || prop.ends_with("_uri") {
                    p.check(is_2010 && format.as_deref() != Some("uri"), || {
                        format!("{at}: a 2010 relative URI must not be `format: uri`")
                    });
                }
            }
        }
    }
    p.finish("list envelopes and links");
}

#[test]
fn ipv4_pattern_accepts_dotted_decimal_only() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    // location -> (file, schema): every IpAddress form field and every Ipv4Address component.
    let mut targets: BTreeMap<String, (&str, &Value)> = BTreeMap::new();
    let mut covered = BTreeSet::new();
    for op in v.operations() {
        let at = op.location();
        let Some((_, form)) = form_schema(OpParts::from(&op), &at, &mut p) else {
            continue;
        };
        let Some(field) = form.pointer("/properties/IpAddress") else {
            continue;
        };
        targets.insert(format!("{at} form field IpAddress"), (op.spec, field));
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
        let is_2010 = resource_file(&spec).is_2010;
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
    // Schema formats of every `date_*` property; 2010 dates `$ref` Rfc2822DateTime.
    for file in v.files() {
        let is_2010 = resource_file(&file.stem).is_2010;
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
                let at = format!(
                    "spec/{}.yaml#/components/schemas/{name}/properties/{prop}",
                    file.stem
                );
                let format = resolve(&file.json, prop_schema)
                    .ok()
                    .and_then(|s| str_at(s, "format"));
                p.check(format == Some(expected), || {
                    format!("{at}: format {format:?}, expected {expected}")
                });
                if is_2010 {
                    p.check(
                        str_at(prop_schema, "$ref") == Some("#/components/schemas/Rfc2822DateTime"),
                        || format!("{at}: a 2010 date must `$ref` Rfc2822DateTime"),
                    );
                }
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
        if is_2010 {
            let rfc = file.json.pointer("/components/schemas/Rfc2822DateTime");
            p.check(
                rfc.is_some_and(|s| {
                    str_at(s, "format") == Some("date-time-rfc-2822")
                        && s.get("nullable") != Some(&json!(true))
                }),
                || {
                    format!(
                        "spec/{}.yaml Rfc2822DateTime: format date-time-rfc-2822, not nullable",
                        file.stem
                    )
                },
            );
        }
    }
    p.finish("date formats");
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
    v.validate_response("FetchTrunk", 200, &trunk())
        .expect("valid Trunk");
    v.validate_response("FetchSipDomain", 200, &sip_domain())
        .expect("valid SipDomain");
    v.validate_response(
        "FetchAuthCallsIpAccessControlListMapping",
        200,
        &acl_mapping(),
    )
    .expect("valid mapping (no uri)");
    v.validate_response("CreateIpRecord", 404, &error)
        .expect("valid error");
    v.validate_response("DeleteIpRecord", 204, &Value::Null)
        .expect("empty 204");
    // Optional properties are nullable or may be absent; unknown fields are tolerated.
    v.validate_response(
        "FetchIpRecord",
        200,
        &with(ip_record(), "/friendly_name", Value::Null),
    )
    .expect("nullable friendly_name");
    v.validate_response(
        "FetchSipIpAddress",
        200,
        &without(sip_ip_address(), "cidr_prefix_length"),
    )
    .expect("cidr_prefix_length may be absent (older responses)");
    v.validate_response(
        "FetchSipDomain",
        200,
        &with(sip_domain(), "/voice_method", Value::Null),
    )
    .expect("nullable voice_method");
    let mut extra = ip_record();
    extra["a_field_added_later"] = json!({"x": 1});
    v.validate_response("FetchIpRecord", 200, &extra)
        .expect("unknown fields are tolerated");
    v.validate_response("CreateIpRecord", 400, &without(error.clone(), "more_info"))
        .expect("more_info is optional");

    // Always-returned properties are required and not null.
    assert_rejected(
        v.validate_response(
            "FetchIpRecord",
            200,
            &with(ip_record(), "/url", Value::Null),
        ),
        &["FetchIpRecord", "\"/url\""],
    );
    assert_rejected(
        v.validate_response("FetchIpRecord", 200, &without(ip_record(), "url")),
        &["FetchIpRecord", "url"],
    );
    assert_rejected(
        v.validate_response(
            "FetchIpRecord",
            200,
            &with(ip_record(), "/date_created", Value::Null),
        ),
        &["\"/date_created\""],
    );
    assert_rejected(
        v.validate_response("FetchSipDomain", 200, &without(sip_domain(), "account_sid")),
        &["FetchSipDomain", "account_sid"],
    );
    assert_rejected(
        v.validate_response(
            "FetchSipIpAddress",
            200,
            &without(sip_ip_address(), "ip_access_control_list_sid"),
        ),
        &["ip_access_control_list_sid"],
    );
    // cidr_prefix_length is never null (as in Twilio's spec) and at most 32.
    for bad in [Value::Null, json!(33)] {
        assert_rejected(
            v.validate_response(
                "FetchIpRecord",
                200,
                &with(ip_record(), "/cidr_prefix_length", bad),
            ),
            &["\"/cidr_prefix_length\""],
        );
    }
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
    assert_rejected(
        v.validate_response(
            "FetchAuthCallsIpAccessControlListMapping",
            200,
            &with(
                acl_mapping(),
                "/sid",
                json!("SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            ),
        ),
        &["\"/sid\""],
    );
    assert_rejected(
        v.validate_response(
            "FetchSipDomain",
            200,
            &with(
                sip_domain(),
                "/sid",
                json!("ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            ),
        ),
        &["\"/sid\""],
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
    // Enums: outside the list, or null where Twilio's enum is not nullable.
    assert_rejected(
        v.validate_response(
            "FetchTrunk",
            200,
            &with(trunk(), "/transfer_mode", json!("enable-some")),
        ),
        &["FetchTrunk", "\"/transfer_mode\""],
    );
    assert_rejected(
        v.validate_response(
            "FetchTrunk",
            200,
            &with(trunk(), "/transfer_caller_id", Value::Null),
        ),
        &["\"/transfer_caller_id\""],
    );
    assert_rejected(
        v.validate_response(
            "FetchSipDomain",
            200,
            &with(sip_domain(), "/voice_method", json!("PUT")),
        ),
        &["\"/voice_method\""],
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
    assert_rejected(
        v.validate_response(
            "FetchSipDomain",
            200,
            &with(sip_domain(), "/voice_url", json!("not a uri")),
        ),
        &["\"/voice_url\""],
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
    assert_rejected(
        v.validate_schema(
            "sip_ip_access_control_list",
            "UpdateSipIpAccessControlListRequest",
            &json!({"FriendlyName": ""}),
        ),
        &["FriendlyName"],
    );
}

#[test]
fn openapi_schemas_convert_faithfully() {
    let c = |s: Value| convert_schema(&s, "test").expect("converts");
    assert_eq!(
        c(json!({"type": "string", "nullable": true, "example": "x", "x-twilio-pii": true})),
        json!({"type": ["string", "null"]})
    );
    // A nullable reference: the only form that accepts null in OpenAPI 3.0.
    assert_eq!(
        c(
            json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"enum": [null]}], "description": "d"})
        ),
        json!({"anyOf": [{"$ref": "#/$defs/A"}, {"enum": [null]}], "description": "d"})
    );
    // `nullable` widens `type` only: an enum beside it still rejects null unless it lists it.
    assert_eq!(
        c(json!({"type": "string", "nullable": true, "enum": ["GET", "POST"]})),
        json!({"type": ["string", "null"], "enum": ["GET", "POST"]})
    );
    let accepts_null = |s: Value| {
        let mut document = c(s);
        document["$defs"] = json!({"A": {"type": "string", "enum": ["GET", "POST"]}});
        compile(&document).expect("compiles").is_valid(&Value::Null)
    };
    assert!(accepts_null(
        json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"enum": [null]}]})
    ));
    assert!(accepts_null(json!({"type": "string", "nullable": true})));
    assert!(!accepts_null(
        json!({"type": "string", "nullable": true, "enum": ["GET"]})
    ));
    assert!(!accepts_null(
        json!({"type": "string", "allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})
    ));
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
        // `nullable` with no effect in OpenAPI 3.0: beside `$ref`, or without `type`.
        json!({"$ref": "#/components/schemas/A", "nullable": true}),
        json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true}),
        json!({"nullable": true}),
    ] {
        assert!(convert_schema(&bad, "test").is_err(), "should refuse {bad}");
    }
}

// =============================================================================================
// Part 2: our spec accepts everything Twilio's allows
// =============================================================================================

/// (a) Each of our 32 operations is Twilio's: same method and path, same success status, same
/// host, same `x-twilio` path type and parent; and Twilio's reference has no other operation.
/// Twilio's list schemas name the list keys of the table.
#[test]
fn twilio_declares_each_of_our_operations_alike() {
    let v = SpecValidator::load();
    let reference = Reference::load();
    let mut p = Problems::default();
    let theirs = reference.operations();
    p.check(theirs.len() == 32, || {
        format!(
            "{} operations in Twilio's reference, expected 32",
            theirs.len()
        )
    });
    let mut matched = BTreeSet::new();
    for op in v.operations() {
        let at = op.location();
        let Some(twilio) = reference.operation(op.method, op.path) else {
            p.push(format!(
                "{at}: Twilio's reference has no {} {}",
                op.method.to_uppercase(),
                op.path
            ));
            continue;
        };
        matched.insert((twilio.method, twilio.path));
        let ours: Vec<&str> = op
            .op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|r| r.keys())
            .map(String::as_str)
            .filter(|k| k.starts_with('2'))
            .collect();
        let statuses = twilio.success_statuses();
        p.check(ours == statuses, || {
            format!(
                "{at}: success statuses {ours:?}, Twilio's {statuses:?} ({})",
                twilio.location()
            )
        });
        let kind = kind_of(&op);
        p.check(kind.is_some_and(|k| statuses == [k.success()]), || {
            format!(
                "{at}: Twilio answers {statuses:?}, the facts say {:?}",
                kind.map(Kind::success)
            )
        });
        let host = resource_file(op.spec).host;
        p.check(twilio.host == host, || {
            format!("{at}: host {host}, Twilio's {}", twilio.host)
        });
        for key in ["pathType", "parent"] {
            let ours = op.path_item.pointer(&format!("/x-twilio/{key}"));
            let twilios = twilio.path_item.pointer(&format!("/x-twilio/{key}"));
            p.check(ours == twilios, || {
                format!("{at}: x-twilio.{key} {ours:?}, Twilio's {twilios:?}")
            });
        }
        if kind == Some(Kind::List) {
            let list_key = resource_file(op.spec).list_key;
            let schema = twilio
                .op
                .pointer("/responses/200/content/application~1json/schema")
                .map(|s| effective(twilio.doc, s))
                .unwrap_or_default();
            let arrays: Vec<&String> = schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter(|(_, s)| str_at(s, "type") == Some("array"))
                .map(|(k, _)| k)
                .collect();
            p.check(arrays == [list_key], || {
                format!("{at}: the table's list key `{list_key}`, Twilio's list arrays {arrays:?}")
            });
        }
    }
    for twilio in &theirs {
        p.check(matched.contains(&(twilio.method, twilio.path)), || {
            format!("{}: not one of our operations", twilio.location())
        });
    }
    p.finish("our operations in Twilio's reference");
}

/// (b) Every parameter and form field Twilio declares for one of our operations is ours, in the
/// same place, with the same required flag (none stricter: `REQUIRED_DEVIATIONS` is empty) and
/// the same type; ours declares none Twilio does not. Twilio's constraints are all ours; ours
/// add constraints only where `REQUEST_DEVIATIONS` lists them, each stricter than Twilio's and
/// explained (naming Twilio) in the schema's description.
#[test]
fn every_parameter_and_form_field_of_twilio_is_ours_with_the_same_required_flag() {
    let v = SpecValidator::load();
    let reference = Reference::load();
    let mut p = Problems::default();
    let mut deviations: BTreeSet<(String, String, Vec<String>)> = BTreeSet::new();
    let mut stricter_required: BTreeSet<(String, String)> = BTreeSet::new();
    let mut compared = 0;
    for op in v.operations() {
        let Some(twilio) = reference.operation(op.method, op.path) else {
            continue; // reported by twilio_declares_each_of_our_operations_alike
        };
        let id = op.operation_id.unwrap_or("?");
        let at = op.location();
        let ours = declared_fields(OpParts::from(&op), &at, &mut p);
        let theirs = declared_fields(OpParts::from(&twilio), &twilio.location(), &mut p);
        for key in ours.keys().filter(|k| !theirs.contains_key(*k)) {
            p.push(format!(
                "{at}: {:?} parameter {} is not in Twilio's {}",
                key.0,
                key.1,
                twilio.location()
            ));
        }
        for ((loc, name), (twilio_required, twilio_schema)) in &theirs {
            let where_ = format!("{at} {loc:?} parameter {name}");
            let Some((required, schema)) = ours.get(&(*loc, name.clone())) else {
                p.push(format!(
                    "{where_}: missing; Twilio declares it (required: {twilio_required})"
                ));
                continue;
            };
            compared += 1;
            if required != twilio_required {
                if *required {
                    stricter_required.insert((id.to_owned(), name.clone()));
                } else {
                    p.push(format!(
                        "{where_}: optional here, required in Twilio's spec"
                    ));
                }
            }
            let o = effective(op.doc, schema);
            let t = effective(twilio.doc, twilio_schema);
            p.check(o.get("type") == t.get("type"), || {
                format!(
                    "{where_}: type {:?}, Twilio's {:?}",
                    o.get("type"),
                    t.get("type")
                )
            });
            let mut differing = Vec::new();
            for keyword in CONSTRAINT_KEYWORDS {
                let (ours_value, twilios) = (constraint(&o, keyword), constraint(&t, keyword));
                match ours_value {
                    None if twilios.is_some() => p.push(format!(
                        "{where_}: looser than Twilio's: no `{keyword}` (Twilio's: {})",
                        twilios.unwrap_or(&Value::Null)
                    )),
                    None => {}
                    Some(value) => {
                        p.check(at_least_as_strict(keyword, value, twilios), || {
                            format!(
                                "{where_}: `{keyword}: {value}` is looser than Twilio's {twilios:?}"
                            )
                        });
                        if Some(value) != twilios {
                            differing.push(keyword.to_owned());
                        }
                    }
                }
            }
            if !differing.is_empty() {
                let curation = curation_of(op.doc, schema);
                p.check(curation.contains("Twilio"), || {
                    format!("{where_}: differs from Twilio's in {differing:?}, but its `x-curation` does not say why (naming Twilio)")
                });
                differing.sort();
                deviations.insert((id.to_owned(), name.clone(), differing));
            }
        }
    }
    let listed: BTreeSet<(String, String, Vec<String>)> = REQUEST_DEVIATIONS
        .iter()
        .map(|(id, name, keywords)| {
            let mut keywords: Vec<String> = keywords.iter().map(|k| (*k).to_owned()).collect();
            keywords.sort();
            ((*id).to_owned(), (*name).to_owned(), keywords)
        })
        .collect();
    for d in deviations.difference(&listed) {
        p.push(format!(
            "deviation from Twilio's spec not in REQUEST_DEVIATIONS: (operation, field, keywords) {d:?}"
        ));
    }
    for d in listed.difference(&deviations) {
        p.push(format!(
            "REQUEST_DEVIATIONS entry {d:?} does not occur (stale)"
        ));
    }
    let listed_required: BTreeSet<(String, String)> = REQUIRED_DEVIATIONS
        .iter()
        .map(|(id, name)| ((*id).to_owned(), (*name).to_owned()))
        .collect();
    p.check(stricter_required == listed_required, || {
        format!("required here but optional in Twilio's spec: {stricter_required:?}, listed: {listed_required:?}")
    });
    // As many as the expected table has (its entries are all ours, checked above).
    let total: usize = expected_parameters().values().map(BTreeMap::len).sum();
    p.check(compared == total, || {
        format!(
            "compared {compared} parameters and form fields with Twilio's, the table has {total}"
        )
    });
    p.finish("parameters and form fields against Twilio's");
}

/// Twilio's request body examples are accepted by our form schemas.
#[test]
fn twilios_request_examples_validate_against_our_form_schemas() {
    let v = SpecValidator::load();
    let reference = Reference::load();
    let mut p = Problems::default();
    let mut checked = 0;
    for twilio in reference.operations() {
        let Some(examples) = twilio
            .op
            .pointer("/requestBody/content/application~1x-www-form-urlencoded/examples")
            .and_then(Value::as_object)
        else {
            continue;
        };
        let Some(op) = v
            .operations()
            .into_iter()
            .find(|o| o.method == twilio.method && o.path == twilio.path)
        else {
            p.push(format!("{}: not one of our operations", twilio.location()));
            continue;
        };
        let at = op.location();
        let Some((_, schema)) = form_schema(OpParts::from(&op), &at, &mut p) else {
            p.push(format!("{at}: no form body, Twilio's has one"));
            continue;
        };
        for (name, example) in examples {
            let value = example.get("value").unwrap_or(&Value::Null);
            checked += 1;
            if let Err(e) = v.validate_openapi_schema(op.spec, schema, value) {
                p.push(format!(
                    "{at}: Twilio's request example `{name}` {value}: {e}"
                ));
            }
        }
    }
    // Every create and update of Twilio's has one.
    p.check(checked == 10, || {
        format!("{checked} request examples checked, expected 10")
    });
    p.finish("Twilio's request examples");
}

/// (c) Every response example of Twilio's reference (for our operations) validates against our
/// response schema.
#[test]
fn twilios_response_examples_validate_against_our_schemas() {
    let v = SpecValidator::load();
    let reference = Reference::load();
    let mut p = Problems::default();
    let mut checked = 0;
    let mut operations = BTreeSet::new();
    for twilio in reference.operations() {
        let Some(op) = v
            .operations()
            .into_iter()
            .find(|o| o.method == twilio.method && o.path == twilio.path)
        else {
            p.push(format!("{}: not one of our operations", twilio.location()));
            continue;
        };
        let id = op.operation_id.unwrap_or("?");
        for (status, response) in twilio
            .op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for (media_type, media) in response
                .get("content")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                for (name, example) in media
                    .get("examples")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    let at = format!(
                        "{} {status} {media_type} example `{name}`",
                        twilio.location()
                    );
                    let Ok(code) = status.parse::<u16>() else {
                        p.push(format!("{at}: status is not a number"));
                        continue;
                    };
                    let value = example.get("value").unwrap_or(&Value::Null);
                    checked += 1;
                    operations.insert(id.to_owned());
                    if let Err(e) = v.validate_response(id, code, value) {
                        p.push(format!("{at}: rejected by our spec: {e}"));
                    }
                }
            }
        }
    }
    // Every operation with a response body (all but the deletes) has examples in Twilio's.
    let with_body = OPERATIONS
        .iter()
        .filter(|(.., k)| *k != Kind::Delete)
        .count();
    p.check(operations.len() == with_body, || {
        format!(
            "Twilio's examples cover {} of our operations, expected {with_body}",
            operations.len()
        )
    });
    p.check(checked >= 34, || {
        format!("only {checked} of Twilio's examples checked")
    });
    p.finish("Twilio's response examples");
}

/// (d) Every response body of Twilio's SDK test fixtures validates against our schema for the
/// operation it answers (matched by host, method and path pattern); the form and query
/// parameters the SDKs sent are ones we declare, and they include every field we require.
///
/// Skipped, and checked to be only these: the "request" tests' mocked 500 answers (`{}` or an
/// empty string) that make the SDK raise; they are not Twilio's answers, and our spec declares no
/// 5xx (convention 9). Parameter values are placeholders (`ip_address`, `ACXXX…`), so only their
/// names are checked.
#[test]
fn sdk_fixture_responses_validate_against_our_schemas() {
    let v = SpecValidator::load();
    let fixtures = load_sdk_fixtures();
    let mut p = Problems::default();
    let ops = v.operations();
    let mut validated = 0;
    let mut skipped = 0;
    let mut covered = BTreeSet::new();
    for fixture in &fixtures {
        let id = str_at(fixture, "id").unwrap_or("?");
        let at = format!("{} fixture `{id}`", twilio_reference::SDK_FIXTURES);
        let request = fixture.get("expected_request").unwrap_or(&Value::Null);
        let status = fixture
            .pointer("/response/status")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let body = fixture.pointer("/response/body").unwrap_or(&Value::Null);
        if status == 500 {
            let mock = str_at(fixture, "kind") == Some("request")
                && fixture.get("sdk_expects_exception") == Some(&json!(true));
            p.check(mock, || {
                format!("{at}: a 500 that is not a request test's mocked failure")
            });
            skipped += 1;
            continue;
        }
        let method = str_at(request, "method").unwrap_or("?").to_lowercase();
        let host = format!("https://{}", str_at(request, "host").unwrap_or("?"));
        let path = str_at(request, "path").unwrap_or("?");
        let matches: Vec<&Operation> = ops
            .iter()
            .filter(|o| {
                o.method == method
                    && resource_file(o.spec).host == host
                    && path_matches(o.path, path)
            })
            .collect();
        let [op] = matches.as_slice() else {
            p.push(format!(
                "{at}: {method} {host}{path} matches {} of our operations",
                matches.len()
            ));
            continue;
        };
        let op_id = op.operation_id.unwrap_or("?");
        covered.insert(op_id.to_owned());
        validated += 1;
        let Ok(status) = u16::try_from(status) else {
            p.push(format!("{at}: status {status}"));
            continue;
        };
        if let Err(e) = v.validate_response(op_id, status, body) {
            p.push(format!("{at}: rejected by our spec: {e}"));
        }
        // The parameters the SDK sent.
        let op_at = op.location();
        let declared = declared_fields(OpParts::from(*op), &op_at, &mut p);
        for (key, loc) in [("query", Loc::Query), ("form", Loc::Form)] {
            let Some(sent) = request.get(key).and_then(Value::as_object) else {
                continue; // null: not asserted by the SDK test
            };
            for name in sent.keys() {
                p.check(declared.contains_key(&(loc, name.clone())), || {
                    format!(
                        "{at}: the SDK sent {key} parameter {name}, which {op_id} does not declare"
                    )
                });
            }
            for ((l, name), (required, _)) in &declared {
                p.check(*l != loc || !*required || sent.contains_key(name), || {
                    format!("{at}: {op_id} requires {key} field {name}, which the SDK did not send")
                });
            }
        }
    }
    p.check(skipped + validated == fixtures.len(), || {
        format!(
            "{} fixtures, {validated} validated, {skipped} skipped",
            fixtures.len()
        )
    });
    // The fixtures cover the 19 operations of the four original resources.
    p.check(covered.len() == 19, || {
        format!(
            "fixtures cover {} operations, expected 19: {covered:?}",
            covered.len()
        )
    });
    p.finish("SDK fixtures");
}

/// (e) Every property of Twilio's response schemas (resources, list envelopes, `meta`) is ours,
/// with the same type, an enum that keeps Twilio's values, and Twilio's constraints or fewer
/// (ours stricter only where `RESPONSE_DEVIATIONS` says); it is nullable as in Twilio's spec
/// except the always-returned properties, which are required and not null. Ours has no property
/// Twilio's lacks. The always-returned table names only properties of Twilio's schemas.
#[test]
fn every_property_of_twilios_response_schemas_is_ours() {
    let v = SpecValidator::load();
    let reference = Reference::load();
    let mut p = Problems::default();
    let mut deviations: BTreeSet<(String, String, Vec<String>)> = BTreeSet::new();
    let mut twilio_properties: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut compared = 0;
    let pairs = success_schema_pairs(&reference, &v);
    let with_body = OPERATIONS
        .iter()
        .filter(|(.., k)| *k != Kind::Delete)
        .count();
    p.check(pairs.len() == with_body, || {
        format!(
            "{} success schemas paired with Twilio's, expected {with_body}",
            pairs.len()
        )
    });
    for pair in &pairs {
        let rf = resource_file(pair.stem);
        let mut props = Vec::new();
        let mut extra = Vec::new();
        pair_properties(
            pair.twilio_doc,
            pair.twilio,
            pair.our_doc,
            pair.ours,
            &pair.at,
            &mut props,
            &mut extra,
        );
        for at in extra {
            p.push(format!("{at}: ours has a property Twilio's schema lacks"));
        }
        for prop in props {
            let at = &prop.at;
            let t = &prop.twilio;
            let Some((_, o)) = &prop.ours else {
                p.push(format!("{at}: missing; Twilio's response schema has it"));
                continue;
            };
            compared += 1;
            // A property of the resource itself (not of the list envelope or `meta`).
            let rest = &at[pair.at.len()..];
            let own = format!("/{}", prop.name);
            let in_list = format!("/{}[]/{}", rf.list_key, prop.name);
            if (rest == own && !pair.at.starts_with("List")) || rest == in_list {
                twilio_properties
                    .entry(rf.stem)
                    .or_default()
                    .insert(prop.name.clone());
            }
            let mut differing = Vec::new();
            match (t.get("type"), o.get("type")) {
                (Some(tt), ot) => p.check(Some(tt) == ot, || {
                    format!("{at}: type {ot:?}, Twilio's {tt}")
                }),
                (None, Some(_)) => differing.push("type".to_owned()),
                (None, None) => {}
            }
            for keyword in CONSTRAINT_KEYWORDS {
                let Some(value) = constraint(o, keyword) else {
                    continue; // looser than Twilio's is fine for what we accept
                };
                let twilios = constraint(t, keyword);
                if keyword == "enum" {
                    // Every value Twilio's enum allows is ours.
                    let kept = twilios.and_then(Value::as_array).is_some_and(|tv| {
                        value
                            .as_array()
                            .is_some_and(|ov| tv.iter().all(|x| ov.contains(x)))
                    });
                    p.check(kept, || {
                        format!("{at}: enum {value} does not keep Twilio's {twilios:?}")
                    });
                } else if Some(value) != twilios {
                    differing.push(keyword.to_owned());
                }
            }
            if !differing.is_empty() {
                let described = prop
                    .ours
                    .as_ref()
                    .is_some_and(|(raw, _)| curation_of(pair.our_doc, raw).contains("Twilio"));
                p.check(described, || {
                    format!("{at}: differs from Twilio's in {differing:?}, but its `x-curation` does not say why (naming Twilio)")
                });
                differing.sort();
                deviations.insert((rf.stem.to_owned(), prop.name.clone(), differing));
            }
            // Nullability: as Twilio's, except the always-returned properties.
            if is_nullable(t) && !is_nullable(o) {
                let always = rf.always_returned.contains(&prop.name.as_str());
                p.check(always && prop.ours_required, || {
                    format!("{at}: not nullable, but Twilio's is and it is not an always-returned property")
                });
            }
        }
    }
    let listed: BTreeSet<(String, String, Vec<String>)> = RESPONSE_DEVIATIONS
        .iter()
        .map(|(stem, name, keywords)| {
            let mut keywords: Vec<String> = keywords.iter().map(|k| (*k).to_owned()).collect();
            keywords.sort();
            ((*stem).to_owned(), (*name).to_owned(), keywords)
        })
        .collect();
    for d in deviations.difference(&listed) {
        p.push(format!(
            "response property stricter than Twilio's, not in RESPONSE_DEVIATIONS: (file, property, keywords) {d:?}"
        ));
    }
    for d in listed.difference(&deviations) {
        p.push(format!(
            "RESPONSE_DEVIATIONS entry {d:?} does not occur (stale)"
        ));
    }
    for rf in &FILES {
        let names = twilio_properties.get(rf.stem);
        for name in rf.always_returned {
            p.check(names.is_some_and(|n| n.contains(*name)), || {
                format!(
                    "table: always-returned `{name}` of {} is not in Twilio's schema",
                    rf.class
                )
            });
        }
    }
    // Twilio's success schemas for our 26 operations hold 306 property positions (resources in
    // responses and list items, envelopes, `meta`): every one was found in ours.
    p.check(compared == 306, || {
        format!("{compared} properties compared, expected 306")
    });
    p.finish("Twilio's response properties");
}

/// Every property Twilio marks PII carries Twilio's own marker (`x-twilio.pii`, same handling
/// and deletion SLA) in ours, so the generated `Debug` redacts it; ours marks more only where
/// `EXTRA_PII` says.
#[test]
fn pii_markers_match_twilios() {
    let v = SpecValidator::load();
    let reference = Reference::load();
    let mut p = Problems::default();
    let mut extra: BTreeSet<(String, String)> = BTreeSet::new();
    let mut twilio_pii = 0;
    for pair in success_schema_pairs(&reference, &v) {
        let mut props = Vec::new();
        pair_properties(
            pair.twilio_doc,
            pair.twilio,
            pair.our_doc,
            pair.ours,
            &pair.at,
            &mut props,
            &mut Vec::new(),
        );
        for prop in props {
            let Some((raw, o)) = &prop.ours else { continue };
            let theirs = prop.twilio.get("x-twilio").and_then(|x| x.get("pii"));
            let ours = raw
                .pointer("/x-twilio/pii")
                .or_else(|| o.get("x-twilio").and_then(|x| x.get("pii")));
            twilio_pii += usize::from(theirs.is_some());
            match (theirs, ours) {
                (Some(t), o) => p.check(o == Some(t), || {
                    format!("{}: PII marker {o:?}, Twilio's {t}", prop.at)
                }),
                (None, Some(marker)) => {
                    // Twilio's marker shape, as the generator reads it.
                    p.check(
                        str_at(marker, "handling") == Some("standard")
                            && marker.get("deleteSla").is_some_and(Value::is_u64),
                        || format!("{}: malformed PII marker {marker}", prop.at),
                    );
                    extra.insert((pair.stem.to_owned(), prop.name.clone()));
                }
                (None, None) => {}
            }
        }
    }
    let listed: BTreeSet<(String, String)> = EXTRA_PII
        .iter()
        .map(|(stem, name)| ((*stem).to_owned(), (*name).to_owned()))
        .collect();
    p.check(extra == listed, || {
        format!("PII markers Twilio's spec lacks: {extra:?}, listed in EXTRA_PII: {listed:?}")
    });
    for (stem, name) in &listed {
        let described = v
            .file(stem)
            .and_then(|f| {
                let class = resource_file(stem).class;
                f.json.pointer(&format!(
                    "/components/schemas/{class}/properties/{name}/{CURATION}"
                ))
            })
            .and_then(Value::as_str)
            .is_some_and(|d| d.contains("PII"));
        p.check(described, || {
            format!("spec/{stem}.yaml {name}: an extra PII marker must say why in its `x-curation`")
        });
    }
    p.check(twilio_pii > 0, || "Twilio's schemas mark no PII".to_owned());
    // Only Twilio's marker: no ad-hoc `x-twilio-pii` key anywhere.
    for file in v.files() {
        let mut nodes = Vec::new();
        walk(&file.json, String::new(), &mut nodes);
        for (pointer, node) in nodes {
            p.check(node.get("x-twilio-pii").is_none(), || {
                format!(
                    "spec/{}.yaml#{pointer}: `x-twilio-pii`; use Twilio's `x-twilio: {{pii: …}}`",
                    file.stem
                )
            });
        }
    }
    p.finish("PII markers");
}

// =============================================================================================
// Links to subresources
// =============================================================================================

/// The link Twilio gives to the subresource `name` of the instance at `base` (its v1 `url` or
/// its 2010 `uri`): the name in PascalCase after the instance, `.json` kept at the end in 2010.
fn subresource_link(base: &str, name: &str) -> String {
    let segment: String = name
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    match base.strip_suffix(".json") {
        Some(stem) => format!("{stem}/{segment}.json"),
        None => format!("{base}/{segment}"),
    }
}

/// A map of links (`subresource_uris`, `links`) names its subresources in `x-subresources`
/// (which the emulator serves), and every success example shows exactly those links, each built
/// from the example's own `uri` or `url`.
#[test]
fn link_maps_in_the_examples_are_the_declared_subresources() {
    let v = SpecValidator::load();
    let mut p = Problems::default();
    // (file, property) → the declared subresources.
    let mut declared: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for file in v.files() {
        let schemas = file.json["components"]["schemas"].as_object();
        for (class, schema) in schemas.into_iter().flatten() {
            let props = schema.get("properties").and_then(Value::as_object);
            for (name, prop) in props.into_iter().flatten() {
                let Some(names) = prop.get("x-subresources") else {
                    continue;
                };
                let names: Vec<String> = names
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|n| n.as_str().map(str::to_owned))
                    .collect();
                p.check(!names.is_empty(), || {
                    format!(
                        "spec/{}.yaml {class}.{name}: empty x-subresources",
                        file.stem
                    )
                });
                declared.insert((file.stem.clone(), name.clone()), names);
            }
        }
    }
    let mut checked = 0;
    for (stem, id, status, example, value) in v.response_examples() {
        if !status.starts_with('2') {
            continue;
        }
        let resources: Vec<&Value> = match value.get("sid") {
            Some(_) => vec![&value],
            None => value
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(_, v)| v.as_array())
                .flatten()
                .collect(),
        };
        for resource in resources {
            for ((file, property), names) in &declared {
                if *file != stem {
                    continue;
                }
                let at = format!("spec/{stem}.yaml {id} {status} example {example}: {property}");
                let base = resource
                    .get("uri")
                    .or_else(|| resource.get("url"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let expected: Map<String, Value> = names
                    .iter()
                    .map(|n| (n.clone(), Value::from(subresource_link(base, n))))
                    .collect();
                let shown = resource.get(property);
                p.check(shown == Some(&Value::Object(expected.clone())), || {
                    format!("{at}: {shown:?}, expected {}", Value::Object(expected))
                });
                checked += 1;
            }
        }
    }
    // Each of the three link maps appears in at least one list and one instance example.
    p.check(declared.len() == 3, || {
        format!("3 link maps declared, found {declared:?}")
    });
    p.check(checked >= 6, || format!("only {checked} examples checked"));
    p.finish("link maps");
}

#[test]
fn subresource_links_are_built_as_twilio_builds_them() {
    assert_eq!(
        subresource_link(
            "/2010-04-01/Accounts/AC1/SIP/IpAccessControlLists/AL1.json",
            "ip_addresses"
        ),
        "/2010-04-01/Accounts/AC1/SIP/IpAccessControlLists/AL1/IpAddresses.json"
    );
    assert_eq!(
        subresource_link(
            "https://trunking.twilio.com/v1/Trunks/TK1",
            "origination_urls"
        ),
        "https://trunking.twilio.com/v1/Trunks/TK1/OriginationUrls"
    );
}
