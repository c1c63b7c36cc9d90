//! What the generator (`codegen/`) emits for the real specs plus a fixture resource that exists
//! only in `codegen/tests/fixtures/spec/`, and which spec shapes it refuses, with the file and the
//! problem. The emitted code is compared after removing whitespace, so formatting changes in
//! prettyplease do not matter.

use twilio_ip_access_codegen as codegen;

use std::path::{Path, PathBuf};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/spec/trunk_credential_list.yaml"
);

/// A fresh directory holding every spec file of `spec/`, plus `extra` files.
fn spec_dir(name: &str, extra: &[(&str, String)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "twilio-ip-access-codegen-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    for entry in std::fs::read_dir(spec).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    for (file, text) in extra {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

/// The code without whitespace and without the trailing commas prettyplease adds to long lists.
fn squash(code: &str) -> String {
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .replace(",)", ")")
        .replace(",}", "}")
        .replace(",]", "]")
        .replace(",>", ">")
}

#[track_caller]
fn assert_emits(code: &str, expected: &str) {
    assert!(
        squash(code).contains(&squash(expected)),
        "expected the generated code to contain\n{expected}"
    );
}

#[test]
fn the_fixture_resource_gets_a_handle_builders_checks_sids_and_emulator_routes() {
    let fixture = std::fs::read_to_string(FIXTURE).unwrap();
    let dir = spec_dir("fixture", &[("trunk_credential_list.yaml", fixture)]);
    let out = codegen::generate_dir(&dir).unwrap_or_else(|p| panic!("{p:#?}"));

    // Reachable from its parent's handle, which another spec file (trunk.yaml) also uses.
    assert_emits(
        &out.facade,
        "pub fn credential_lists(&self) -> TrunkCredentialLists {
            TrunkCredentialLists { client: self.client.clone(), trunk_sid: self.trunk_sid.clone(), }
        }",
    );
    // Exactly the declared operations: create, list, fetch, delete; no update.
    assert_emits(
        &out.facade,
        "pub fn create(&self, credential_list_sid: impl crate::sid::IntoSid<crate::sid::kind::CredentialList>) -> CreateTrunkCredentialList",
    );
    assert_emits(&out.facade, "pub struct FetchTrunkCredentialList");
    assert_emits(&out.facade, "pub struct DeleteTrunkCredentialList");
    assert_emits(
        &out.facade,
        "impl crate::pagination::ListPage for TrunkCredentialLists",
    );
    assert!(!out.facade.contains("UpdateTrunkCredentialList"));
    // The client-side check names the wire parameter.
    assert_emits(
        &out.facade,
        "credential_list_sid: crate::validate::sid(credential_list_sid, \"CredentialListSid\")",
    );
    // Path parameters are checked first when sending, then the SID, then the fields.
    assert_emits(
        &out.facade,
        "let handle = self.handle; let trunk_sid = handle.trunk_sid.clone()?; let sid = self.sid?;",
    );
    // The SID kind comes from the schema's pattern.
    assert_emits(
        &out.sid_kinds,
        "CredentialListSid, CredentialList, \"CL\", \"CredentialList\";",
    );
    // The emulator serves it: paths, parent, prefix, association.
    assert_emits(
        &out.emulator,
        "module: \"trunk_credential_list\", class: \"TrunkCredentialList\", api: Api::V1,
         list_path: \"/v1/Trunks/{TrunkSid}/CredentialLists\",
         instance_path: \"/v1/Trunks/{TrunkSid}/CredentialLists/{Sid}\",
         list_key: \"credential_lists\", sid_prefix: \"CL\",
         parents: &[Parent { param: \"TrunkSid\", sid_prefix: \"TK\" }],",
    );
    assert_emits(&out.emulator, "association: Some(\"CredentialListSid\")");
    assert!(
        out.bindings
            .iter()
            .any(|(module, _)| module == "trunk_credential_list")
    );
}

#[test]
fn checks_come_from_the_schema_constraints() {
    let dir = spec_dir("checks", &[]);
    let out = codegen::generate_dir(&dir).unwrap_or_else(|p| panic!("{p:#?}"));
    // SIP IP address create: FriendlyName 1..=255 and IpAddress are required arguments, in
    // the order of `required`; CidrPrefixLength 0..=32 is a setter.
    assert_emits(
        &out.facade,
        "pub fn create(&self, friendly_name: impl ::std::convert::Into<::std::string::String>, ip_address: impl crate::IntoIpv4) -> CreateSipIpAddress",
    );
    assert_emits(
        &out.facade,
        "friendly_name: crate::validate::text(friendly_name.into(), \"FriendlyName\", ::std::option::Option::Some(1usize), ::std::option::Option::Some(255usize), ::std::option::Option::None),
         ip_address: crate::validate::ipv4(ip_address, \"IpAddress\"),",
    );
    assert_emits(
        &out.facade,
        "pub fn cidr_prefix_length(mut self, value: u8) -> Self {
            self.cidr_prefix_length = ::std::option::Option::Some(crate::validate::range(value, \"CidrPrefixLength\", ::std::option::Option::Some(0i64), ::std::option::Option::Some(32i64)));",
    );
    // A required update field is an argument (Source IP Mapping's SipDomainSid).
    assert_emits(
        &out.facade,
        "pub fn update(&self, sid: impl crate::sid::IntoSid<crate::sid::kind::SourceIpMapping>, sip_domain_sid: impl crate::sid::IntoSid<crate::sid::kind::SipDomain>) -> UpdateSourceIpMapping",
    );
    // 2010 handles carry the account, with `.account(..)` for subaccounts.
    assert_emits(
        &out.facade,
        "pub struct SipIpAddresses { client: crate::Client, account_sid: crate::validate::Checked<crate::sid::AccountSid>, ip_access_control_list_sid: crate::validate::Checked<crate::sid::IpAccessControlListSid>, }",
    );
    // Read-only resources get only fetch and list.
    assert!(!out.facade.contains("CreateTrunk {") && !out.facade.contains("struct DeleteTrunk "));
    assert_emits(&out.facade, "pub struct FetchTrunk {");
    // Each product's host and its builder setter come from the spec files' `servers`.
    assert_emits(
        &out.facade,
        "pub const VOICE_BASE_URL: &str = \"https://voice.twilio.com\";",
    );
    assert_emits(
        &out.facade,
        "pub fn trunking_base_url(self, url: impl ::std::convert::Into<::std::string::String>) -> Self { self.product_base_url(\"trunking\", url) }",
    );
    // The emulator knows Twilio's default for CidrPrefixLength.
    assert_emits(
        &out.emulator,
        "Field { wire: \"CidrPrefixLength\", property: \"cidr_prefix_length\", required: false, kind: FieldKind::Integer { minimum: Some(0i64), maximum: Some(32i64) }, default: Some(32i64) }",
    );
}

#[test]
fn pii_is_redacted_fields_are_documented_and_enums_keep_unknown_values() {
    let ip_record = codegen::generate(&format!(
        "{}/../spec/ip_record.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert_emits(&ip_record, "impl ::std::fmt::Debug for IpRecord {");
    assert_emits(
        &ip_record,
        ".field(\"ip_address\", &self.ip_address.as_ref().map(|_| crate::validate::RedactedPii))",
    );
    // The request body holds the address too.
    assert_emits(
        &ip_record,
        "impl ::std::fmt::Debug for CreateIpRecordRequest {",
    );
    // A property that is a `$ref` is documented with the description of the schema it refers
    // to, and the response types have no typify `builder()`.
    assert_emits(
        &ip_record,
        "///The SID of an Account.
         pub account_sid: crate::sid::AccountSid,",
    );
    assert!(!ip_record.contains("pub fn builder()"));
    let trunk = codegen::generate(&format!(
        "{}/../spec/trunk.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert_emits(&trunk, "pub enum TrunkEnumTransferSetting {");
    assert_emits(&trunk, "Unknown(::std::string::String)");
    assert_emits(&trunk, "other => Self::Unknown(other.to_owned())");
}

/// Generates from `spec/` plus one broken copy of a spec file, and expects `problem` about it.
#[track_caller]
fn assert_refused(name: &str, file: &str, edit: impl Fn(&mut yaml_serde::Value), problem: &str) {
    let path = format!("{}/../spec/{file}", env!("CARGO_MANIFEST_DIR"));
    let mut spec: yaml_serde::Value =
        yaml_serde::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    edit(&mut spec);
    let dir = spec_dir(name, &[(file, yaml_serde::to_string(&spec).unwrap())]);
    let problems = codegen::generate_dir(&dir).expect_err(name);
    assert!(
        problems
            .iter()
            .any(|p| p.contains(&format!("/{file}")) && p.contains(problem)),
        "{name}: expected a problem naming spec/{file} and `{problem}`, got {problems:#?}"
    );
}

#[test]
fn convention_breaks_name_the_file_and_the_problem() {
    assert_refused(
        "path_type",
        "ip_record.yaml",
        |s| {
            s["paths"]["/v1/IpRecords"]["x-twilio"]
                .as_mapping_mut()
                .unwrap()
                .remove("pathType");
        },
        "declare exactly two paths, one with `x-twilio: {pathType: list}`",
    );
    assert_refused(
        "untyped_param",
        "trunk_ip_access_control_list.yaml",
        |s| {
            s["paths"]["/v1/Trunks/{TrunkSid}/IpAccessControlLists"]["parameters"][0]["schema"] =
                yaml_serde::from_str("{type: string}").unwrap();
        },
        "path parameter `TrunkSid` must `$ref` a SID schema",
    );
    assert_refused(
        "inline_enum",
        "ip_record.yaml",
        |s| {
            s["components"]["schemas"]["UpdateIpRecordRequest"]["properties"]["Mode"] =
                yaml_serde::from_str("{type: string, enum: [a, b]}").unwrap();
        },
        "form field `Mode`: an enum must be a component schema",
    );
    assert_refused(
        "v1_meta",
        "ip_record.yaml",
        |s| {
            s["components"]["schemas"]["ListIpRecordResponse"]["properties"]
                .as_mapping_mut()
                .unwrap()
                .remove("meta");
        },
        "`ListIpRecordResponse` is a v1 list: it needs `meta`",
    );
    assert_refused(
        "sid_prefix",
        "ip_record.yaml",
        |s| {
            s["components"]["schemas"]["AccountSid"]["pattern"] = "^AX[0-9a-fA-F]{32}$".into();
        },
        "says `AccountSid` starts with `AX`",
    );
    assert_refused(
        "same_class",
        "source_ip_mapping.yaml",
        |s| {
            // The resource schema renamed to another file's: two `IpRecord` types.
            let schemas = s["components"]["schemas"].as_mapping_mut().unwrap();
            let schema = schemas.remove("SourceIpMapping").unwrap();
            schemas.insert("IpRecord".into(), schema);
            let text = yaml_serde::to_string(s)
                .unwrap()
                .replace("/schemas/SourceIpMapping'", "/schemas/IpRecord'");
            *s = yaml_serde::from_str(&text).unwrap();
        },
        "both define `IpRecord`",
    );
}

#[test]
fn names_follow_twilio_s_words() {
    use codegen::naming::*;
    assert_eq!(
        snake("IpAccessControlListSid"),
        "ip_access_control_list_sid"
    );
    assert_eq!(snake("SIP"), "sip");
    assert_eq!(pascal("ip_access_control_lists"), "IpAccessControlLists");
    assert_eq!(pascal("SIP"), "Sip");
    assert_eq!(plural("SipIpAddress"), "SipIpAddresses");
    assert_eq!(
        plural("TrunkIpAccessControlList"),
        "TrunkIpAccessControlLists"
    );
    assert_eq!(plural("Policy"), "Policies");
    assert_eq!(singular("ip_addresses"), "ip_address");
    assert_eq!(singular("IpAccessControlLists"), "IpAccessControlList");
    assert_eq!(singular("trunks"), "trunk");
    assert_eq!(singular("policies"), "policy");
    assert_eq!(variant("sip-only"), "SipOnly");
    assert_eq!(variant("IP-ACL"), "IpAcl");
    assert_eq!(variant("2fa"), "V2fa");
    assert_eq!(words("SipIpAddress"), "SIP IP address");
}
