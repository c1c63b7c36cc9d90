//! JSON Schemas of the two formats other tools read (feature `schemars`): the desired-state
//! file and the plan document, generated from Rust types with schemars. The committed copies
//! in `schemas/` are checked against these by `tests/allowlist_schema.rs`, so a format change
//! shows up in review; `twilio-allowlist schema allowlist|plan` prints them.
//!
//! The file's schema is made from the types below, which state the file's shape with the
//! parser's limits (`Desired::from_toml` reads the file with spans, for its error messages, so
//! it cannot derive the schema itself; the tests feed both the same files). What a schema
//! cannot say (host bits set in a CIDR, `/0`, names that must exist in the account) the parser
//! and the plan still refuse, with the file and line.

use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema, schema_for};

use super::{MAX_ADDRESSES_PER_LIST, MAX_NAME_CHARS, document::PlanDocument};

/// The `addresses` syntax: IPv4 in dotted decimal, optionally `/1` to `/32`.
const ADDRESS_PATTERN: &str = r"^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(/([1-9]|[12][0-9]|3[0-2]))?$";

/// A `twilio-allowlist` desired-state file: the IP allowlists some SIP IP access control lists
/// should hold, and the trunks and SIP domains they should be attached to. The file is the
/// truth for the lists it names, and only for them: their addresses become exactly the given
/// set, their trunk associations and domain call mappings exactly the given ones; a named list
/// that does not exist is created; lists the file does not name are never touched (unless
/// `[settings] prune_prefix` and `--prune` say they are the file's to delete). With a
/// `[byoc]` table it is also the truth for every IP Record and Source IP Mapping.
#[derive(JsonSchema)]
#[schemars(title = "twilio-allowlist desired-state file", deny_unknown_fields)]
#[allow(dead_code)]
struct AllowlistFile {
    /// The accounts of an estate, by name (what `accounts = [...]` and `--account` say): each
    /// with its account SID, where its credentials are (names of environment variables, never
    /// a secret, or `parent` for a subaccount reached with its parent's credentials), and its
    /// region, edge or base URL. Without it, the file is for the one account of the
    /// environment (`TWILIO_ACCOUNT_SID`…).
    #[schemars(extend("propertyNames" = { "pattern": ACCOUNT_NAME_PATTERN }))]
    #[serde(default)]
    #[schemars(schema_with = "account_tables")]
    accounts: Option<BTreeMap<String, ()>>,
    /// Named sets of addresses, which lists and other sets use with `{ set = "NAME" }` (a set
    /// may use other sets, not in a cycle). A set no list uses is a warning.
    #[schemars(extend("propertyNames" = { "minLength": 1, "maxLength": MAX_NAME_CHARS }))]
    sets: Option<BTreeMap<String, Set>>,
    /// The lists, by `FriendlyName` (1 to 255 characters, unique in the account).
    #[schemars(extend("propertyNames" = { "minLength": 1, "maxLength": MAX_NAME_CHARS }))]
    lists: Option<BTreeMap<String, List>>,
    /// BYOC: every IP Record of the account and the SIP domain of its Source IP Mapping. When
    /// present, records it does not name are removed (and their mappings); when absent, IP
    /// Records and Source IP Mappings are never read or written.
    byoc: Option<Byoc>,
    /// How the file is applied beyond the lists it names.
    settings: Option<Settings>,
}

/// The `[settings]` table.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Settings {
    /// The lists the file owns: with `--prune`, a list whose `FriendlyName` starts with this
    /// and that the file does not name (nor is a part of a split list it names) is detached
    /// and deleted, with its addresses. Without it (or without `--prune`), lists the file does
    /// not name are never touched.
    #[schemars(length(min = 1, max = MAX_NAME_CHARS))]
    prune_prefix: Option<String>,
}

/// The `[byoc]` table.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Byoc {
    /// The accounts it is given to (default: every account of the file).
    accounts: Option<AccountNames>,
    /// The IP Records, each identified by its IP address and prefix length (no two alike).
    /// Required: write `[]` to remove them all.
    #[schemars(extend("uniqueItems" = true))]
    ip_records: Vec<IpRecord>,
}

/// One IP Record: `"203.0.113.10"` (a /32 named by the text given), `"203.0.113.16/28"` (a
/// range with no host bits set), or a table that also sets the `FriendlyName` and the SIP
/// domain of its Source IP Mapping (none without `sip_domain`).
#[derive(JsonSchema)]
#[serde(untagged)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
enum IpRecord {
    /// The record, named by itself, with no mapping.
    Text(AddressText),
    /// The record with a name or a mapping.
    Table {
        /// The address.
        ip: AddressText,
        /// Its `FriendlyName`: 1 to 255 characters (default: the text of `ip`).
        #[schemars(length(min = 1, max = MAX_NAME_CHARS))]
        name: Option<String>,
        /// The SIP domain of its Source IP Mapping: SID (`SD…`) or domain name.
        #[schemars(length(min = 1))]
        sip_domain: Option<String>,
    },
}

/// What one list should be. All three keys are required (write `[]` for none), so that leaving
/// one out never detaches or empties a list by accident.
#[derive(JsonSchema)]
#[schemars(
    deny_unknown_fields,
    extend(
        "if" = { "properties": { "split": { "const": true } }, "required": ["split"] },
        "else" = { "properties": { "addresses": { "maxItems": MAX_ADDRESSES_PER_LIST } } }
    )
)]
#[allow(dead_code)]
struct List {
    /// Its `FriendlyName`, when it is not the table's key (the same name in two accounts,
    /// with different contents, is two tables).
    #[schemars(length(min = 1, max = MAX_NAME_CHARS))]
    name: Option<String>,
    /// The accounts it is given to (default: every account of the file).
    accounts: Option<AccountNames>,
    /// The addresses, at most 100 (Twilio's limit) once sets are expanded unless `split` is
    /// true. An address's identity is its IP address and prefix length; a different name for
    /// the same identity renames it in place.
    #[schemars(extend("uniqueItems" = true))]
    addresses: Vec<Address>,
    /// More than 100 addresses, kept as several Twilio lists `NAME`, `NAME (2)`, `NAME (3)`…,
    /// each attached to exactly this list's trunks and SIP domains.
    split: Option<bool>,
    /// Trunks the list is attached to, each by SID (`TK…`) or `FriendlyName`.
    trunks: Vec<String>,
    /// SIP domains whose calls the list is mapped to, each by SID (`SD…`) or `domain_name`.
    sip_domains: Vec<String>,
}

/// A named set of addresses.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Set {
    /// The only accounts whose lists (and sets) may use it (default: every account).
    accounts: Option<AccountNames>,
    /// Its addresses, and the sets it uses.
    #[schemars(extend("uniqueItems" = true))]
    addresses: Vec<Address>,
}

/// One address: `"198.51.100.7"` (a /32 named by the text given), `"198.51.100.0/24"` (a
/// range: IpAddress 198.51.100.0, CidrPrefixLength 24, with no host bits set), or a table
/// `{ ip = "…", name = "…" }` that also sets the `FriendlyName`; `{ set = "NAME" }`, the
/// addresses of a set; or a source read when the file is loaded: `{ dns = "HOST" }`,
/// `{ file = "PATH" }`, `{ url = "https://…", format = "lines" | "json", path = "$…" }`. `/0` is refused (Twilio stores it as /32): write `0.0.0.0/1` and
/// `128.0.0.0/1`.
#[derive(JsonSchema)]
#[serde(untagged)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
enum Address {
    /// The address, named by itself.
    Text(AddressText),
    /// The address with a name.
    Named {
        /// The address.
        ip: AddressText,
        /// Its `FriendlyName`: 1 to 255 characters.
        #[schemars(length(min = 1, max = MAX_NAME_CHARS))]
        name: String,
    },
    /// The addresses of a set (`[sets.NAME]`).
    Set {
        /// The set's name.
        set: String,
    },
    /// Every A record of a host name, each a /32 (read when the file is loaded).
    Dns {
        /// The host name.
        dns: String,
        /// The `FriendlyName` of its addresses (default: the host name).
        #[schemars(length(min = 1, max = MAX_NAME_CHARS))]
        name: Option<String>,
        /// A failure or an empty answer gives nothing, with a warning, instead of refusing the
        /// file.
        optional: Option<bool>,
        /// How much of what it gives a live list it may stop giving in one plan, in percent
        /// (default 50; 100: no limit), known by its addresses' `FriendlyName`.
        #[schemars(range(min = 0, max = 100))]
        max_shrink_percent: Option<u8>,
    },
    /// One address or range per line of a file, `#` comments; the path is relative to the
    /// allowlist file.
    File {
        /// The file's path.
        file: String,
        /// The `FriendlyName` of its addresses (default: the file's path as written).
        #[schemars(length(min = 1, max = MAX_NAME_CHARS))]
        name: Option<String>,
        /// A failure or an empty file gives nothing, with a warning, instead of refusing the
        /// file.
        optional: Option<bool>,
        /// How much of what it gives a live list it may stop giving in one plan, in percent
        /// (default 50; 100: no limit), known by its addresses' `FriendlyName`.
        #[schemars(range(min = 0, max = 100))]
        max_shrink_percent: Option<u8>,
    },
    /// A published range list, fetched (only with `--allow-fetch`) over https:// (plain http://
    /// only from this machine).
    Url {
        /// The feed's URL.
        #[schemars(regex(pattern = "^https?://"))]
        url: String,
        /// `lines` (one address or range per line; the default without `path`) or `json`.
        format: Option<FeedFormat>,
        /// For `json`: the RFC 9535 JSONPath of the address strings, such as
        /// `$.prefixes[*].ip_prefix`.
        path: Option<String>,
        /// The `FriendlyName` of its addresses (default: the feed's host and path).
        #[schemars(length(min = 1, max = MAX_NAME_CHARS))]
        name: Option<String>,
        /// A failure or an empty feed gives nothing, with a warning, instead of refusing the
        /// file.
        optional: Option<bool>,
        /// How much of what it gives a live list it may stop giving in one plan, in percent
        /// (default 50; 100: no limit), known by its addresses' `FriendlyName`.
        #[schemars(range(min = 0, max = 100))]
        max_shrink_percent: Option<u8>,
    },
}

/// How a feed's body is read.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum FeedFormat {
    /// One address or range per line, `#` comments.
    Lines,
    /// A JSON document, read with `path`.
    Json,
}

/// The `[accounts]` table: each `[accounts.NAME]` with its SID, exactly one way to its
/// credentials (the variables named, or its parent's) and its routing. Written by hand: its
/// "exactly one of" has no Rust type the file reader could share.
fn account_tables(_: &mut schemars::SchemaGenerator) -> Schema {
    let variable = serde_json::json!({
        "type": "string",
        "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
        "description": "The name of an environment variable (never the secret itself)."
    });
    let label = |what: &str| {
        serde_json::json!({
            "type": "string",
            "pattern": "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
            "description": what
        })
    };
    schemars::json_schema!({
        "type": ["object", "null"],
        "propertyNames": { "pattern": ACCOUNT_NAME_PATTERN },
        "additionalProperties": {
            "type": "object",
            "description": "One account of the estate.",
            "properties": {
                "account_sid": {
                    "type": "string",
                    "pattern": "^AC[0-9a-fA-F]{32}$",
                    "description": "The account acted on (`AC…`)."
                },
                "auth_token_env": variable,
                "api_key_env": variable,
                "api_secret_env": variable,
                "parent": {
                    "type": "string",
                    "pattern": ACCOUNT_NAME_PATTERN,
                    "description": "A subaccount reached with the credentials of this account of the file: Api 2010 resources (SIP domains, lists) are its own; trunks and [byoc] need its own credentials."
                },
                "region": label("Twilio's region (`us1`, `ie1`, `au1`)."),
                "edge": label("Twilio's edge location (`dublin`, `sydney`…)."),
                "base_url": {
                    "type": "string",
                    "pattern": "^https?://[^/?#@]+(/[^?#]*)?$",
                    "description": "One base URL for every product of the account (an emulator, a proxy): http(s), a host, no credentials, no query."
                }
            },
            "required": ["account_sid"],
            "additionalProperties": false,
            "dependentRequired": {
                "api_key_env": ["api_secret_env"],
                "api_secret_env": ["api_key_env"]
            },
            "oneOf": [
                { "required": ["auth_token_env"] },
                { "required": ["api_key_env", "api_secret_env"] },
                { "required": ["parent"] }
            ]
        }
    })
}

/// The name of an account of the file (`[accounts.NAME]`).
const ACCOUNT_NAME_PATTERN: &str = "^[A-Za-z0-9_-]{1,64}$";

/// `accounts = ["us", "ie"]`: names of `[accounts.NAME]` tables, at least one (omit the key
/// for every account), each once.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct AccountNames(
    #[schemars(length(min = 1), extend("uniqueItems" = true, "items" = { "type": "string", "pattern": ACCOUNT_NAME_PATTERN }))]
     Vec<String>,
);

/// IPv4 in dotted decimal, optionally with `/1` to `/32`: `198.51.100.7`, `198.51.100.0/24`.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct AddressText(#[schemars(regex(pattern = ADDRESS_PATTERN))] String);

/// The JSON Schema (draft 2020-12) of the desired-state file, for editors (Taplo's `#:schema`
/// directive) and CI checks. TOML files are checked as their JSON equivalent.
///
/// ```
/// let schema = twilio_ip_access::allowlist::allowlist_schema();
/// assert_eq!(schema.as_value()["title"], "twilio-allowlist desired-state file");
/// ```
pub fn allowlist_schema() -> Schema {
    schema_for!(AllowlistFile)
}

/// The JSON Schema (draft 2020-12) of the plan document (`plan --json`, `plan -o`).
///
/// ```
/// let schema = twilio_ip_access::allowlist::plan_schema();
/// assert_eq!(schema.as_value()["properties"]["format_version"]["enum"][1], 2);
/// ```
pub fn plan_schema() -> Schema {
    schema_for!(PlanDocument)
}
