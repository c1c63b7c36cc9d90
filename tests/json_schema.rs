//! With the `schemars` feature, every resource, list page and request type has a JSON Schema
//! (`resources::json_schemas()`, derived from the Rust types). Each schema accepts every example
//! of its type in `spec/` and every body the emulator sends for it, and rejects a body with a
//! malformed SID.
#![cfg(all(feature = "schemars", feature = "mock"))]

use std::collections::BTreeMap;

use serde_json::{Value, json};
use twilio_ip_access::{mock::MockTwilio, resources::json_schemas};

type Validators = BTreeMap<(String, String), jsonschema::Validator>;

fn validators() -> Validators {
    json_schemas()
        .into_iter()
        .map(|(module, name, schema)| {
            let validator = jsonschema::validator_for(schema.as_value())
                .unwrap_or_else(|e| panic!("{module}/{name}: {e}"));
            ((module.to_owned(), name.to_owned()), validator)
        })
        .collect()
}

#[track_caller]
fn assert_valid(validators: &Validators, module: &str, name: &str, body: &Value, what: &str) {
    let validator = validators
        .get(&(module.to_owned(), name.to_owned()))
        .unwrap_or_else(|| panic!("no schema for {module}/{name}"));
    let errors: Vec<String> = validator.iter_errors(body).map(|e| e.to_string()).collect();
    assert!(
        errors.is_empty(),
        "{what} ({module}/{name}): {errors:#?}\n{body:#}"
    );
}

/// Every `$ref`'d response schema and its examples, per spec file.
fn spec_examples() -> Vec<(String, String, Value, String)> {
    let mut out = Vec::new();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/spec");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let module = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let doc: Value = serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for (route, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let Some(responses) = op.get("responses").and_then(Value::as_object) else {
                    continue;
                };
                for (status, response) in responses {
                    if !status.starts_with('2') {
                        continue;
                    }
                    let content = &response["content"]["application/json"];
                    let Some(schema) = content["schema"]["$ref"].as_str() else {
                        continue;
                    };
                    let name = schema.rsplit('/').next().unwrap().to_owned();
                    for (key, example) in content["examples"].as_object().into_iter().flatten() {
                        out.push((
                            module.clone(),
                            name.clone(),
                            example["value"].clone(),
                            format!("{method} {route} example {key}"),
                        ));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_type_of_every_spec_file_has_a_schema() {
    let schemas = json_schemas();
    for class in [
        "IpRecord",
        "SourceIpMapping",
        "Trunk",
        "TrunkIpAccessControlList",
        "SipIpAccessControlList",
        "SipIpAddress",
        "SipDomain",
        "AuthCallsIpAccessControlListMapping",
        "ListSipIpAddressResponse",
        "CreateIpRecordRequest",
    ] {
        assert!(schemas.iter().any(|(_, name, _)| *name == class), "{class}");
    }
    // The crate's own types keep what the spec states of them.
    let (_, _, address) = schemas
        .iter()
        .find(|(_, name, _)| *name == "SipIpAddress")
        .unwrap();
    let defs = &address.as_value()["$defs"];
    assert_eq!(defs["IpAddressSid"]["pattern"], "^IP[0-9a-fA-F]{32}$");
    assert_eq!(defs["Rfc2822DateTime"]["format"], "date-time-rfc-2822");
    let (_, _, create) = schemas
        .iter()
        .find(|(_, name, _)| *name == "CreateIpRecordRequest")
        .unwrap();
    assert_eq!(
        create.as_value()["properties"]["IpAddress"]["format"],
        "ipv4"
    );
    assert_eq!(create.as_value()["required"], json!(["IpAddress"]));
}

#[test]
fn schemas_accept_every_example_in_the_spec() {
    let validators = validators();
    let examples = spec_examples();
    assert!(examples.len() >= 30, "{} examples", examples.len());
    for (module, name, example, what) in &examples {
        assert_valid(&validators, module, name, example, what);
    }
}

#[test]
fn schemas_reject_a_malformed_sid() {
    let validators = validators();
    let (module, name, mut example, _) = spec_examples()
        .into_iter()
        .find(|(_, name, _, _)| name == "IpRecord")
        .unwrap();
    example["sid"] = json!("ILnot-a-sid");
    let validator = &validators[&(module, name)];
    assert!(!validator.is_valid(&example));
    example["sid"] = json!("TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert!(!validator.is_valid(&example), "a SID of another kind");
}

#[tokio::test]
async fn schemas_accept_every_body_the_emulator_sends() {
    let validators = validators();
    let twilio = MockTwilio::start().await;
    let trunk = twilio.create_trunk_named("production", "acme.pstn.twilio.com");
    let domain = twilio.create_sip_domain_named("acme.sip.twilio.com", "acme");
    let (base, account) = (
        twilio.base_url().to_owned(),
        twilio.account_sid().to_string(),
    );
    let http = reqwest::Client::new();
    let call = |method: reqwest::Method, path: String, form: Vec<(&'static str, String)>| {
        let request = http
            .request(method, format!("{base}{path}"))
            .basic_auth(&account, Some(twilio.auth_token()))
            .form(&form);
        async move {
            let response = request.send().await.unwrap();
            assert!(
                response.status().is_success(),
                "{path}: {}",
                response.status()
            );
            response.json::<Value>().await.unwrap()
        }
    };
    use reqwest::Method as M;
    let sip = format!("/2010-04-01/Accounts/{account}/SIP");
    let mut bodies: Vec<(&str, &str, Value)> = Vec::new();

    let list = call(
        M::POST,
        format!("{sip}/IpAccessControlLists.json"),
        vec![("FriendlyName", "office".into())],
    )
    .await;
    let al = list["sid"].as_str().unwrap().to_owned();
    bodies.push(("sip_ip_access_control_list", "SipIpAccessControlList", list));
    bodies.push((
        "sip_ip_access_control_list",
        "ListSipIpAccessControlListResponse",
        call(M::GET, format!("{sip}/IpAccessControlLists.json"), vec![]).await,
    ));
    let address = call(
        M::POST,
        format!("{sip}/IpAccessControlLists/{al}/IpAddresses.json"),
        vec![
            ("FriendlyName", "desk".into()),
            ("IpAddress", "198.51.100.7".into()),
        ],
    )
    .await;
    bodies.push(("sip_ip_address", "SipIpAddress", address));
    bodies.push((
        "sip_ip_address",
        "ListSipIpAddressResponse",
        call(
            M::GET,
            format!("{sip}/IpAccessControlLists/{al}/IpAddresses.json"),
            vec![],
        )
        .await,
    ));
    bodies.push((
        "trunk_ip_access_control_list",
        "TrunkIpAccessControlList",
        call(
            M::POST,
            format!("/v1/Trunks/{trunk}/IpAccessControlLists"),
            vec![("IpAccessControlListSid", al.clone())],
        )
        .await,
    ));
    bodies.push((
        "trunk_ip_access_control_list",
        "ListTrunkIpAccessControlListResponse",
        call(
            M::GET,
            format!("/v1/Trunks/{trunk}/IpAccessControlLists"),
            vec![],
        )
        .await,
    ));
    bodies.push((
        "auth_calls_ip_access_control_list_mapping",
        "AuthCallsIpAccessControlListMapping",
        call(
            M::POST,
            format!("{sip}/Domains/{domain}/Auth/Calls/IpAccessControlListMappings.json"),
            vec![("IpAccessControlListSid", al.clone())],
        )
        .await,
    ));
    bodies.push((
        "auth_calls_ip_access_control_list_mapping",
        "ListAuthCallsIpAccessControlListMappingResponse",
        call(
            M::GET,
            format!("{sip}/Domains/{domain}/Auth/Calls/IpAccessControlListMappings.json"),
            vec![],
        )
        .await,
    ));
    bodies.push((
        "trunk",
        "Trunk",
        call(M::GET, format!("/v1/Trunks/{trunk}"), vec![]).await,
    ));
    bodies.push((
        "trunk",
        "ListTrunkResponse",
        call(M::GET, "/v1/Trunks".into(), vec![]).await,
    ));
    bodies.push((
        "sip_domain",
        "SipDomain",
        call(M::GET, format!("{sip}/Domains/{domain}.json"), vec![]).await,
    ));
    bodies.push((
        "sip_domain",
        "ListSipDomainResponse",
        call(M::GET, format!("{sip}/Domains.json"), vec![]).await,
    ));
    let record = call(
        M::POST,
        "/v1/IpRecords".into(),
        vec![("IpAddress", "203.0.113.10".into())],
    )
    .await;
    let il = record["sid"].as_str().unwrap().to_owned();
    bodies.push(("ip_record", "IpRecord", record));
    bodies.push((
        "ip_record",
        "ListIpRecordResponse",
        call(M::GET, "/v1/IpRecords".into(), vec![]).await,
    ));
    bodies.push((
        "source_ip_mapping",
        "SourceIpMapping",
        call(
            M::POST,
            "/v1/SourceIpMappings".into(),
            vec![("IpRecordSid", il), ("SipDomainSid", domain.to_string())],
        )
        .await,
    ));
    bodies.push((
        "source_ip_mapping",
        "ListSourceIpMappingResponse",
        call(M::GET, "/v1/SourceIpMappings".into(), vec![]).await,
    ));

    // Every resource and list-page type of every spec file has been seen.
    let seen: Vec<(&str, &str)> = bodies.iter().map(|(m, n, _)| (*m, *n)).collect();
    for (module, name, _) in json_schemas() {
        if !name.ends_with("Request") {
            assert!(
                seen.contains(&(module, name)),
                "no emulator body for {module}/{name}"
            );
        }
    }
    for (module, name, body) in &bodies {
        assert_valid(&validators, module, name, body, "emulator body");
    }
}
