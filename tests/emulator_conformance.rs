//! Every response of the emulator validates against the OpenAPI contract in `spec/`: for each of
//! the 32 operations of the 8 spec files, success bodies (first, middle and last list pages of
//! every list envelope included) and error bodies (4XX, Twilio's error schema: 400, 401, 404,
//! 405 on writes to read-only resources, 429) are driven over raw HTTP and checked with the
//! spec's own schemas. Everything here talks to 127.0.0.1 only.

#![cfg(feature = "mock")]

mod common;

use std::collections::BTreeMap;

use common::schema::SpecValidator;
use serde_json::{Value, json};
use twilio_ip_access::{
    mock::{Fault, MockTwilio},
    reqwest::{self, Method},
};

/// Drives the emulator and validates each answer against the spec.
struct Conformance {
    mock: MockTwilio,
    http: reqwest::Client,
    spec: SpecValidator,
    /// Per operation: how many success and error bodies validated.
    covered: BTreeMap<String, (usize, usize)>,
    /// Every body validated, as `{"operation", "status", "body"}`, for the cross-check with
    /// the reference OpenAPI 3.0 validator.
    bodies: Vec<Value>,
}

/// How a request authenticates.
#[derive(Clone, Copy)]
enum Auth {
    Main,
    Wrong,
}

impl Conformance {
    async fn start() -> Self {
        Self {
            mock: MockTwilio::start().await,
            http: reqwest::Client::new(),
            spec: SpecValidator::load(),
            covered: BTreeMap::new(),
            bodies: Vec::new(),
        }
    }

    /// Sends `method path` (path relative to the base URL, query included) with `form`, expects
    /// `status`, validates the body as a response of `operation` and returns it.
    async fn expect(
        &mut self,
        operation: &str,
        method: Method,
        path: &str,
        form: &[(&str, &str)],
        status: u16,
    ) -> Value {
        self.expect_as(Auth::Main, operation, method, path, form, status)
            .await
    }

    async fn expect_as(
        &mut self,
        auth: Auth,
        operation: &str,
        method: Method,
        path: &str,
        form: &[(&str, &str)],
        status: u16,
    ) -> Value {
        let password = match auth {
            Auth::Main => self.mock.auth_token(),
            Auth::Wrong => "wrong-token",
        };
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.mock.base_url()))
            .basic_auth(self.mock.account_sid().as_str(), Some(password));
        if !form.is_empty() {
            request = request.form(form);
        }
        let response = request.send().await.expect("the emulator answers");
        let actual = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let text = response.text().await.expect("a body");
        assert_eq!(
            actual, status,
            "{operation}: {method} {path} answered {actual}: {text}"
        );
        let body = if text.is_empty() {
            Value::Null
        } else {
            assert_eq!(
                content_type.as_deref(),
                Some("application/json"),
                "{operation}: {text}"
            );
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{operation}: not JSON ({e}): {text}"))
        };
        if let Err(problem) = self.spec.validate_response(operation, status, &body) {
            panic!("{method} {path}:\n{problem}");
        }
        self.bodies
            .push(json!({"operation": operation, "status": status, "body": body}));
        let entry = self.covered.entry(operation.to_owned()).or_default();
        if status < 300 {
            entry.0 += 1;
        } else {
            entry.1 += 1;
        }
        body
    }

    /// Follows a list from its first page to its last, validating every page; returns how many
    /// items and pages there were.
    async fn walk(&mut self, operation: &str, first: &str) -> (usize, usize) {
        let mut path = first.to_owned();
        let (mut items, mut pages) = (0, 0);
        loop {
            let page = self.expect(operation, Method::GET, &path, &[], 200).await;
            pages += 1;
            let (key, next) = match page.get("meta") {
                Some(meta) => (
                    meta["key"].as_str().unwrap().to_owned(),
                    meta["next_page_url"].as_str().map(|url| {
                        url.strip_prefix(self.mock.base_url())
                            .expect("v1 links point at the emulator")
                            .to_owned()
                    }),
                ),
                None => (
                    envelope_key(&page),
                    page["next_page_uri"].as_str().map(str::to_owned),
                ),
            };
            items += page[&key].as_array().map_or(0, Vec::len);
            match next {
                Some(next) => path = next,
                None => return (items, pages),
            }
            assert!(pages < 100, "{operation}: the links do not end");
        }
    }
}

/// The array property of a 2010 list envelope (`ip_addresses`, `domains`, `contents`, …): there
/// is exactly one.
fn envelope_key(page: &Value) -> String {
    let arrays: Vec<&String> = page
        .as_object()
        .expect("a list envelope is an object")
        .iter()
        .filter(|(_, value)| value.is_array())
        .map(|(key, _)| key)
        .collect();
    assert_eq!(arrays.len(), 1, "one array in a 2010 envelope: {page}");
    arrays[0].clone()
}

/// A well-formed SID of no record.
fn unknown(prefix: &str) -> String {
    format!("{prefix}{}", "0".repeat(32))
}

fn sid(body: &Value) -> String {
    body["sid"]
        .as_str()
        .expect("a sid in the response")
        .to_owned()
}

#[tokio::test]
async fn every_operation_validates_against_the_spec() {
    let mut c = Conformance::start().await;

    // ---- Voice v1 IpRecords
    c.expect("ListIpRecord", Method::GET, "/v1/IpRecords", &[], 200)
        .await;
    let mut records = Vec::new();
    for i in 0..5 {
        let ip = format!("203.0.113.{i}");
        let form: Vec<(&str, &str)> = match i {
            0 => vec![("IpAddress", &ip)],
            1 => vec![("IpAddress", &ip), ("FriendlyName", "sbc")],
            _ => vec![
                ("IpAddress", &ip),
                ("FriendlyName", "sbc"),
                ("CidrPrefixLength", "30"),
            ],
        };
        let body = c
            .expect("CreateIpRecord", Method::POST, "/v1/IpRecords", &form, 201)
            .await;
        records.push(sid(&body));
    }
    c.expect("CreateIpRecord", Method::POST, "/v1/IpRecords", &[], 400)
        .await;
    c.expect(
        "CreateIpRecord",
        Method::POST,
        "/v1/IpRecords",
        &[("IpAddress", "10.0.0.*")],
        400,
    )
    .await;
    c.expect_as(
        Auth::Wrong,
        "CreateIpRecord",
        Method::POST,
        "/v1/IpRecords",
        &[("IpAddress", "10.0.0.1")],
        401,
    )
    .await;
    assert_eq!(
        c.walk("ListIpRecord", "/v1/IpRecords?PageSize=2").await,
        (5, 3)
    );
    for query in ["PageSize=0", "PageSize=abc", "Page=1", "PageToken=bogus"] {
        c.expect(
            "ListIpRecord",
            Method::GET,
            &format!("/v1/IpRecords?{query}"),
            &[],
            400,
        )
        .await;
    }
    c.expect_as(
        Auth::Wrong,
        "ListIpRecord",
        Method::GET,
        "/v1/IpRecords",
        &[],
        401,
    )
    .await;
    c.mock
        .inject(Fault::on("GET", "/v1/IpRecords").status(429).times(1));
    c.expect("ListIpRecord", Method::GET, "/v1/IpRecords", &[], 429)
        .await;
    let record = format!("/v1/IpRecords/{}", records[0]);
    c.expect("FetchIpRecord", Method::GET, &record, &[], 200)
        .await;
    c.expect(
        "FetchIpRecord",
        Method::GET,
        &format!("/v1/IpRecords/{}", unknown("IL")),
        &[],
        404,
    )
    .await;
    c.expect(
        "FetchIpRecord",
        Method::GET,
        "/v1/IpRecords/not-a-sid",
        &[],
        404,
    )
    .await;
    c.expect(
        "UpdateIpRecord",
        Method::POST,
        &record,
        &[("FriendlyName", "renamed")],
        200,
    )
    .await;
    c.expect("UpdateIpRecord", Method::POST, &record, &[], 200)
        .await;
    c.expect(
        "UpdateIpRecord",
        Method::POST,
        &record,
        &[("FriendlyName", &"x".repeat(256))],
        400,
    )
    .await;
    c.expect(
        "UpdateIpRecord",
        Method::POST,
        &format!("/v1/IpRecords/{}", unknown("IL")),
        &[("FriendlyName", "x")],
        404,
    )
    .await;

    // ---- Voice v1 SourceIpMappings
    let (domain_a, domain_b) = (c.mock.create_sip_domain(), c.mock.create_sip_domain());
    c.expect(
        "ListSourceIpMapping",
        Method::GET,
        "/v1/SourceIpMappings",
        &[],
        200,
    )
    .await;
    let mut mappings = Vec::new();
    for record in &records[1..] {
        let form = [
            ("IpRecordSid", record.as_str()),
            ("SipDomainSid", domain_a.as_str()),
        ];
        let body = c
            .expect(
                "CreateSourceIpMapping",
                Method::POST,
                "/v1/SourceIpMappings",
                &form,
                201,
            )
            .await;
        mappings.push(sid(&body));
    }
    let missing_record = unknown("IL");
    for form in [
        vec![("SipDomainSid", domain_a.as_str())],
        vec![
            ("IpRecordSid", missing_record.as_str()),
            ("SipDomainSid", domain_a.as_str()),
        ],
        vec![
            ("IpRecordSid", records[0].as_str()),
            ("SipDomainSid", "SDnothex"),
        ],
    ] {
        c.expect(
            "CreateSourceIpMapping",
            Method::POST,
            "/v1/SourceIpMappings",
            &form,
            400,
        )
        .await;
    }
    assert_eq!(
        c.walk("ListSourceIpMapping", "/v1/SourceIpMappings?PageSize=3")
            .await,
        (4, 2)
    );
    c.expect(
        "ListSourceIpMapping",
        Method::GET,
        "/v1/SourceIpMappings?PageSize=1001",
        &[],
        400,
    )
    .await;
    let mapping = format!("/v1/SourceIpMappings/{}", mappings[0]);
    c.expect("FetchSourceIpMapping", Method::GET, &mapping, &[], 200)
        .await;
    c.expect(
        "FetchSourceIpMapping",
        Method::GET,
        &format!("/v1/SourceIpMappings/{}", unknown("IB")),
        &[],
        404,
    )
    .await;
    c.expect(
        "UpdateSourceIpMapping",
        Method::POST,
        &mapping,
        &[("SipDomainSid", domain_b.as_str())],
        200,
    )
    .await;
    c.expect("UpdateSourceIpMapping", Method::POST, &mapping, &[], 400)
        .await;
    c.expect(
        "UpdateSourceIpMapping",
        Method::POST,
        &mapping,
        &[("SipDomainSid", &unknown("SD"))],
        400,
    )
    .await;
    c.expect("DeleteSourceIpMapping", Method::DELETE, &mapping, &[], 204)
        .await;
    c.expect("DeleteSourceIpMapping", Method::DELETE, &mapping, &[], 404)
        .await;
    c.expect("FetchSourceIpMapping", Method::GET, &mapping, &[], 404)
        .await;

    // IpRecord deletes come after the mappings that name them.
    c.expect("DeleteIpRecord", Method::DELETE, &record, &[], 204)
        .await;
    c.expect("DeleteIpRecord", Method::DELETE, &record, &[], 404)
        .await;
    c.expect_as(
        Auth::Wrong,
        "DeleteIpRecord",
        Method::DELETE,
        &format!("/v1/IpRecords/{}", records[1]),
        &[],
        401,
    )
    .await;

    // ---- Api 2010-04-01 SIP IpAccessControlLists (created through the API)
    let lists = sip_ip_access_control_lists(&mut c).await;

    // ---- Trunking v1 IpAccessControlLists
    let trunk = c.mock.create_trunk();
    let lists_path = format!("/v1/Trunks/{trunk}/IpAccessControlLists");
    let unknown_trunk = format!("/v1/Trunks/{}/IpAccessControlLists", unknown("TK"));
    c.expect(
        "ListTrunkIpAccessControlList",
        Method::GET,
        &lists_path,
        &[],
        200,
    )
    .await;
    let mut acls = Vec::new();
    for i in 0..5 {
        let acl = c.mock.create_ip_access_control_list(&format!("list {i}"));
        c.expect(
            "CreateTrunkIpAccessControlList",
            Method::POST,
            &lists_path,
            &[("IpAccessControlListSid", acl.as_str())],
            201,
        )
        .await;
        acls.push(acl);
    }
    for (path, form, status) in [
        (lists_path.as_str(), vec![], 400),
        (
            lists_path.as_str(),
            vec![("IpAccessControlListSid", acls[0].as_str())],
            400,
        ),
        (
            unknown_trunk.as_str(),
            vec![("IpAccessControlListSid", acls[0].as_str())],
            404,
        ),
    ] {
        c.expect(
            "CreateTrunkIpAccessControlList",
            Method::POST,
            path,
            &form,
            status,
        )
        .await;
    }
    assert_eq!(
        c.walk(
            "ListTrunkIpAccessControlList",
            &format!("{lists_path}?PageSize=2")
        )
        .await,
        (5, 3)
    );
    c.expect(
        "ListTrunkIpAccessControlList",
        Method::GET,
        &unknown_trunk,
        &[],
        404,
    )
    .await;
    let association = format!("{lists_path}/{}", acls[0]);
    c.expect(
        "FetchTrunkIpAccessControlList",
        Method::GET,
        &association,
        &[],
        200,
    )
    .await;
    c.expect(
        "FetchTrunkIpAccessControlList",
        Method::GET,
        &format!("{lists_path}/{}", unknown("AL")),
        &[],
        404,
    )
    .await;
    c.expect(
        "DeleteTrunkIpAccessControlList",
        Method::DELETE,
        &association,
        &[],
        204,
    )
    .await;
    c.expect(
        "DeleteTrunkIpAccessControlList",
        Method::DELETE,
        &association,
        &[],
        404,
    )
    .await;
    // An association has no update: a POST to it is a 405.
    c.expect(
        "FetchTrunkIpAccessControlList",
        Method::POST,
        &format!("{lists_path}/{}", acls[1]),
        &[],
        405,
    )
    .await;
    // A list still associated with the trunk cannot be deleted.
    let account = c.mock.account_sid().to_string();
    let associated = sip(&account, &format!("IpAccessControlLists/{}.json", acls[1]));
    let refused = c
        .expect(
            "DeleteSipIpAccessControlList",
            Method::DELETE,
            &associated,
            &[],
            400,
        )
        .await;
    assert_eq!(refused["code"], 20001, "{refused}");

    // ---- Api 2010-04-01 SIP IpAddresses
    let acl = c.mock.create_ip_access_control_list("office");
    let addresses =
        format!("/2010-04-01/Accounts/{account}/SIP/IpAccessControlLists/{acl}/IpAddresses.json");
    let elsewhere = format!(
        "/2010-04-01/Accounts/{}/SIP/IpAccessControlLists/{acl}/IpAddresses.json",
        unknown("AC")
    );
    c.expect("ListSipIpAddress", Method::GET, &addresses, &[], 200)
        .await;
    let mut ips = Vec::new();
    for i in 0..5 {
        let ip = format!("192.0.2.{i}");
        let mut form = vec![("FriendlyName", "desk"), ("IpAddress", ip.as_str())];
        if i % 2 == 1 {
            form.push(("CidrPrefixLength", "28"));
        }
        let body = c
            .expect("CreateSipIpAddress", Method::POST, &addresses, &form, 201)
            .await;
        ips.push(sid(&body));
    }
    for (path, form, status) in [
        (addresses.as_str(), vec![("IpAddress", "192.0.2.9")], 400),
        (
            addresses.as_str(),
            vec![("FriendlyName", "x"), ("IpAddress", "192.0.2")],
            400,
        ),
        (
            elsewhere.as_str(),
            vec![("FriendlyName", "x"), ("IpAddress", "192.0.2.9")],
            404,
        ),
    ] {
        c.expect("CreateSipIpAddress", Method::POST, path, &form, status)
            .await;
    }
    assert_eq!(
        c.walk("ListSipIpAddress", &format!("{addresses}?PageSize=2"))
            .await,
        (5, 3)
    );
    c.expect(
        "ListSipIpAddress",
        Method::GET,
        &format!("{addresses}?Page=-1"),
        &[],
        400,
    )
    .await;
    c.expect("ListSipIpAddress", Method::GET, &elsewhere, &[], 404)
        .await;
    let address = addresses.replace("IpAddresses.json", &format!("IpAddresses/{}.json", ips[0]));
    let missing = addresses.replace(
        "IpAddresses.json",
        &format!("IpAddresses/{}.json", unknown("IP")),
    );
    c.expect("FetchSipIpAddress", Method::GET, &address, &[], 200)
        .await;
    c.expect("FetchSipIpAddress", Method::GET, &missing, &[], 404)
        .await;
    c.expect(
        "UpdateSipIpAddress",
        Method::POST,
        &address,
        &[
            ("FriendlyName", "lan"),
            ("IpAddress", "192.0.2.128"),
            ("CidrPrefixLength", "25"),
        ],
        200,
    )
    .await;
    c.expect("UpdateSipIpAddress", Method::POST, &address, &[], 200)
        .await;
    c.expect(
        "UpdateSipIpAddress",
        Method::POST,
        &address,
        &[("CidrPrefixLength", "40")],
        400,
    )
    .await;
    c.expect(
        "UpdateSipIpAddress",
        Method::POST,
        &missing,
        &[("FriendlyName", "x")],
        404,
    )
    .await;
    c.expect("DeleteSipIpAddress", Method::DELETE, &address, &[], 204)
        .await;
    c.expect("DeleteSipIpAddress", Method::DELETE, &address, &[], 404)
        .await;

    // ---- Read-only Trunking v1 Trunks and Api 2010-04-01 SIP Domains
    trunks(&mut c).await;
    sip_domains(&mut c).await;

    // ---- Api 2010-04-01 SIP Domain Auth Calls IpAccessControlListMappings
    domain_mappings(&mut c, &lists).await;

    // ---- Coverage: all 32 operations of the spec, each with a success and an error body.
    let declared: Vec<String> = c
        .spec
        .operations()
        .iter()
        .filter_map(|op| op.operation_id.map(str::to_owned))
        .collect();
    assert_eq!(declared.len(), 32, "{declared:?}");
    for operation in &declared {
        let (successes, errors) = c.covered.get(operation).copied().unwrap_or_default();
        assert!(
            successes > 0 && errors > 0,
            "{operation}: {successes} success and {errors} error bodies validated"
        );
    }
    assert_eq!(
        c.covered.len(),
        declared.len(),
        "only the spec's operations: {:?}",
        c.covered.keys()
    );
    cross_check_with_the_reference_validator(&c.bodies);
}

/// The same bodies through `openapi-schema-validator` (OAS30Validator), the Python reference
/// implementation of OpenAPI 3.0 schema semantics (`nullable` included), so that the Rust
/// validator's reading of the spec is not the only one (`tests/python/validate_oas30.py`).
fn cross_check_with_the_reference_validator(bodies: &[Value]) {
    let Some(python) = common::tools::python_with(
        "every_operation_validates_against_the_spec (OAS30Validator cross-check)",
        &["openapi_schema_validator", "yaml"],
        "openapi-schema-validator pyyaml",
    ) else {
        return;
    };
    let file = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("oas30-bodies-{}.json", std::process::id()));
    std::fs::write(&file, serde_json::to_vec(bodies).expect("JSON")).expect("written");
    let root = env!("CARGO_MANIFEST_DIR");
    let output = std::process::Command::new(python)
        .arg(format!("{root}/tests/python/validate_oas30.py"))
        .arg(common::schema::spec_dir())
        .arg(&file)
        .output()
        .expect("the validator runs");
    let _ = std::fs::remove_file(&file);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "OAS30Validator rejects emulator responses:\n{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains(&format!("OK: {} bodies", bodies.len())),
        "{stdout}"
    );
}

/// `/2010-04-01/Accounts/{account}/SIP/{rest}`.
fn sip(account: &str, rest: &str) -> String {
    format!("/2010-04-01/Accounts/{account}/SIP/{rest}")
}

/// The five operations of SIP IP access control lists, lists created through the API. Returns
/// the four lists it leaves in place.
async fn sip_ip_access_control_lists(c: &mut Conformance) -> Vec<String> {
    let account = c.mock.account_sid().to_string();
    let collection = sip(&account, "IpAccessControlLists.json");
    let elsewhere = sip(&unknown("AC"), "IpAccessControlLists.json");
    let long = "n".repeat(256);
    c.expect(
        "ListSipIpAccessControlList",
        Method::GET,
        &collection,
        &[],
        200,
    )
    .await;
    let mut lists = Vec::new();
    for i in 0..5 {
        let name = format!("list {i}");
        let body = c
            .expect(
                "CreateSipIpAccessControlList",
                Method::POST,
                &collection,
                &[("FriendlyName", &name)],
                201,
            )
            .await;
        lists.push(sid(&body));
    }
    for (path, form, status) in [
        (&collection, vec![], 400),
        (&collection, vec![("FriendlyName", "")], 400),
        (&collection, vec![("FriendlyName", long.as_str())], 400),
        (&elsewhere, vec![("FriendlyName", "x")], 404),
    ] {
        c.expect(
            "CreateSipIpAccessControlList",
            Method::POST,
            path,
            &form,
            status,
        )
        .await;
    }
    c.expect_as(
        Auth::Wrong,
        "CreateSipIpAccessControlList",
        Method::POST,
        &collection,
        &[("FriendlyName", "x")],
        401,
    )
    .await;
    assert_eq!(
        c.walk(
            "ListSipIpAccessControlList",
            &format!("{collection}?PageSize=2")
        )
        .await,
        (5, 3)
    );
    for path in [format!("{collection}?PageSize=0"), elsewhere.clone()] {
        let status = if path == elsewhere { 404 } else { 400 };
        c.expect(
            "ListSipIpAccessControlList",
            Method::GET,
            &path,
            &[],
            status,
        )
        .await;
    }
    let instance = |sid: &str| sip(&account, &format!("IpAccessControlLists/{sid}.json"));
    let (first, missing) = (instance(&lists[0]), instance(&unknown("AL")));
    c.expect("FetchSipIpAccessControlList", Method::GET, &first, &[], 200)
        .await;
    c.expect(
        "FetchSipIpAccessControlList",
        Method::GET,
        &missing,
        &[],
        404,
    )
    .await;
    c.expect(
        "FetchSipIpAccessControlList",
        Method::GET,
        &sip(
            &unknown("AC"),
            &format!("IpAccessControlLists/{}.json", lists[0]),
        ),
        &[],
        404,
    )
    .await;
    c.expect(
        "UpdateSipIpAccessControlList",
        Method::POST,
        &first,
        &[("FriendlyName", "renamed")],
        200,
    )
    .await;
    for (path, form, status) in [
        (&first, vec![], 400),
        (&first, vec![("FriendlyName", long.as_str())], 400),
        (&missing, vec![("FriendlyName", "x")], 404),
    ] {
        c.expect(
            "UpdateSipIpAccessControlList",
            Method::POST,
            path,
            &form,
            status,
        )
        .await;
    }
    let last = instance(&lists[4]);
    c.expect(
        "DeleteSipIpAccessControlList",
        Method::DELETE,
        &last,
        &[],
        204,
    )
    .await;
    c.expect(
        "DeleteSipIpAccessControlList",
        Method::DELETE,
        &last,
        &[],
        404,
    )
    .await;
    c.expect("FetchSipIpAccessControlList", Method::GET, &last, &[], 404)
        .await;
    lists.truncate(4);
    lists
}

/// Read-only Trunking v1 Trunks, seeded by the emulator: list (the v1 `meta` envelope) and
/// fetch; writes are 405.
async fn trunks(c: &mut Conformance) {
    let (before, _) = c.walk("ListTrunk", "/v1/Trunks").await;
    for i in 0..4 {
        c.mock
            .create_trunk_named(&format!("trunk {i}"), &format!("t{i}.pstn.twilio.com"));
    }
    let total = before + 4;
    assert_eq!(
        c.walk("ListTrunk", "/v1/Trunks?PageSize=2").await,
        (total, total.div_ceil(2))
    );
    for query in ["PageSize=1001", "PageToken=bogus"] {
        c.expect(
            "ListTrunk",
            Method::GET,
            &format!("/v1/Trunks?{query}"),
            &[],
            400,
        )
        .await;
    }
    c.expect_as(
        Auth::Wrong,
        "ListTrunk",
        Method::GET,
        "/v1/Trunks",
        &[],
        401,
    )
    .await;
    let trunk = c.mock.create_trunk();
    let instance = format!("/v1/Trunks/{trunk}");
    let fetched = c
        .expect("FetchTrunk", Method::GET, &instance, &[], 200)
        .await;
    assert_eq!(fetched["sid"], trunk.as_str());
    c.expect(
        "FetchTrunk",
        Method::GET,
        &format!("/v1/Trunks/{}", unknown("TK")),
        &[],
        404,
    )
    .await;
    // Twilio's Trunks can be created, updated and deleted, but not through this crate's spec:
    // the emulator refuses every write with a 405.
    c.expect(
        "ListTrunk",
        Method::POST,
        "/v1/Trunks",
        &[("FriendlyName", "x")],
        405,
    )
    .await;
    for method in [Method::POST, Method::DELETE] {
        c.expect("FetchTrunk", method, &instance, &[], 405).await;
    }
}

/// Read-only Api 2010-04-01 SIP Domains, seeded by the emulator: list (the flat 2010 envelope,
/// key `domains`) and fetch; writes are 405.
async fn sip_domains(c: &mut Conformance) {
    let account = c.mock.account_sid().to_string();
    let collection = sip(&account, "Domains.json");
    let (before, _) = c.walk("ListSipDomain", &collection).await;
    for i in 0..3 {
        c.mock
            .create_sip_domain_named(&format!("d{i}.sip.twilio.com"), &format!("domain {i}"));
    }
    let total = before + 3;
    assert_eq!(
        c.walk("ListSipDomain", &format!("{collection}?PageSize=2"))
            .await,
        (total, total.div_ceil(2))
    );
    let elsewhere = sip(&unknown("AC"), "Domains.json");
    for (path, status) in [
        (format!("{collection}?PageSize=0"), 400),
        (format!("{collection}?Page=1"), 400),
        (elsewhere, 404),
    ] {
        c.expect("ListSipDomain", Method::GET, &path, &[], status)
            .await;
    }
    c.expect_as(
        Auth::Wrong,
        "ListSipDomain",
        Method::GET,
        &collection,
        &[],
        401,
    )
    .await;
    let domain = c.mock.create_sip_domain();
    let instance = sip(&account, &format!("Domains/{domain}.json"));
    let fetched = c
        .expect("FetchSipDomain", Method::GET, &instance, &[], 200)
        .await;
    assert_eq!(fetched["sid"], domain.as_str());
    c.expect(
        "FetchSipDomain",
        Method::GET,
        &sip(&account, &format!("Domains/{}.json", unknown("SD"))),
        &[],
        404,
    )
    .await;
    c.expect(
        "ListSipDomain",
        Method::POST,
        &collection,
        &[("DomainName", "x.sip.twilio.com")],
        405,
    )
    .await;
    for method in [Method::POST, Method::DELETE] {
        c.expect("FetchSipDomain", method, &instance, &[], 405)
            .await;
    }
}

/// The four operations of a SIP domain's IP access control list mappings (key `contents`), and
/// the refused delete of a mapped list.
async fn domain_mappings(c: &mut Conformance, lists: &[String]) {
    let account = c.mock.account_sid().to_string();
    let domain = c.mock.create_sip_domain();
    let mappings_of = |domain: &str| {
        sip(
            &account,
            &format!("Domains/{domain}/Auth/Calls/IpAccessControlListMappings.json"),
        )
    };
    let collection = mappings_of(domain.as_str());
    let unknown_domain = mappings_of(&unknown("SD"));
    c.expect(
        "ListAuthCallsIpAccessControlListMapping",
        Method::GET,
        &collection,
        &[],
        200,
    )
    .await;
    let mut mapped: Vec<String> = lists.to_vec();
    mapped.push(c.mock.create_ip_access_control_list("fifth").to_string());
    for list in &mapped {
        let body = c
            .expect(
                "CreateAuthCallsIpAccessControlListMapping",
                Method::POST,
                &collection,
                &[("IpAccessControlListSid", list)],
                201,
            )
            .await;
        assert_eq!(&sid(&body), list);
    }
    let missing = unknown("AL");
    for (path, form, status) in [
        (&collection, vec![], 400),
        (
            &collection,
            vec![("IpAccessControlListSid", "ALnothex")],
            400,
        ),
        (
            &collection,
            vec![("IpAccessControlListSid", missing.as_str())],
            400,
        ),
        (
            &collection,
            vec![("IpAccessControlListSid", mapped[0].as_str())],
            400,
        ),
        (
            &unknown_domain,
            vec![("IpAccessControlListSid", mapped[0].as_str())],
            404,
        ),
    ] {
        c.expect(
            "CreateAuthCallsIpAccessControlListMapping",
            Method::POST,
            path,
            &form,
            status,
        )
        .await;
    }
    c.expect_as(
        Auth::Wrong,
        "CreateAuthCallsIpAccessControlListMapping",
        Method::POST,
        &collection,
        &[("IpAccessControlListSid", mapped[0].as_str())],
        401,
    )
    .await;
    assert_eq!(
        c.walk(
            "ListAuthCallsIpAccessControlListMapping",
            &format!("{collection}?PageSize=2")
        )
        .await,
        (5, 3)
    );
    for (path, status) in [
        (format!("{collection}?PageSize=abc"), 400),
        (unknown_domain.clone(), 404),
    ] {
        c.expect(
            "ListAuthCallsIpAccessControlListMapping",
            Method::GET,
            &path,
            &[],
            status,
        )
        .await;
    }
    let instance = |list: &str| collection.replace(".json", &format!("/{list}.json"));
    let mapping = instance(&mapped[0]);
    c.expect(
        "FetchAuthCallsIpAccessControlListMapping",
        Method::GET,
        &mapping,
        &[],
        200,
    )
    .await;
    c.expect(
        "FetchAuthCallsIpAccessControlListMapping",
        Method::GET,
        &instance(&missing),
        &[],
        404,
    )
    .await;
    // A mapping has no update.
    c.expect(
        "FetchAuthCallsIpAccessControlListMapping",
        Method::POST,
        &mapping,
        &[],
        405,
    )
    .await;
    // The mapped list cannot be deleted; once unmapped, it can.
    let list = sip(
        &account,
        &format!("IpAccessControlLists/{}.json", mapped[0]),
    );
    c.expect(
        "DeleteSipIpAccessControlList",
        Method::DELETE,
        &list,
        &[],
        400,
    )
    .await;
    c.expect(
        "DeleteAuthCallsIpAccessControlListMapping",
        Method::DELETE,
        &mapping,
        &[],
        204,
    )
    .await;
    c.expect(
        "DeleteAuthCallsIpAccessControlListMapping",
        Method::DELETE,
        &mapping,
        &[],
        404,
    )
    .await;
    c.expect(
        "DeleteSipIpAccessControlList",
        Method::DELETE,
        &list,
        &[],
        204,
    )
    .await;
}

#[tokio::test]
async fn oversized_and_malformed_bodies_are_twilio_errors() {
    let mut c = Conformance::start().await;
    let big = "x".repeat(70 * 1024);
    c.expect(
        "CreateIpRecord",
        Method::POST,
        "/v1/IpRecords",
        &[("IpAddress", "10.0.0.1"), ("FriendlyName", &big)],
        413,
    )
    .await;
    c.expect(
        "CreateIpRecord",
        Method::POST,
        "/v1/IpRecords",
        &[("IpAddress", "10.0.0.1"), ("CidrPrefixLength", "thirty")],
        400,
    )
    .await;
    // A body that is not a form: sent by hand, validated the same way.
    let response = c
        .http
        .post(format!("{}/v1/IpRecords", c.mock.base_url()))
        .basic_auth(c.mock.account_sid().as_str(), Some(c.mock.auth_token()))
        .header("content-type", "application/json")
        .body(r#"{"IpAddress":"10.0.0.1"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: Value = response.json().await.unwrap();
    c.spec
        .validate_response("CreateIpRecord", 400, &body)
        .unwrap();
}

/// Every 405 carries `Allow` with the methods its path accepts (RFC 9110 §15.5.6): those the
/// spec file declares on the path, and `HEAD` beside `GET`. Paths are taken from the spec files
/// and filled with well-formed SIDs of no record (a 405 comes before any lookup).
#[tokio::test]
async fn every_405_carries_allow_with_the_methods_the_path_accepts() {
    let mock = MockTwilio::start().await;
    let spec = SpecValidator::load();
    let http = reqwest::Client::new();
    let mut checked = 0;
    for file in spec.files() {
        let paths = file.json["paths"].as_object().expect("paths");
        for (template, item) in paths {
            let path = fill_path(template, mock.account_sid().as_str());
            let declared: Vec<&str> = ["get", "post", "delete"]
                .into_iter()
                .filter(|m| item.get(*m).is_some())
                .collect();
            let mut allow: Vec<&str> = Vec::new();
            for (method, upper) in [
                ("get", "GET"),
                ("get", "HEAD"),
                ("post", "POST"),
                ("delete", "DELETE"),
            ] {
                if declared.contains(&method) {
                    allow.push(upper);
                }
            }
            let allow = allow.join(", ");
            for method in [
                Method::GET,
                Method::HEAD,
                Method::POST,
                Method::DELETE,
                Method::PUT,
                Method::PATCH,
            ] {
                if allow.split(", ").any(|m| m == method.as_str()) {
                    continue;
                }
                let response = http
                    .request(method.clone(), format!("{}{path}", mock.base_url()))
                    .basic_auth(mock.account_sid().as_str(), Some(mock.auth_token()))
                    .send()
                    .await
                    .expect("the emulator answers");
                assert_eq!(response.status().as_u16(), 405, "{method} {path}");
                assert_eq!(
                    response
                        .headers()
                        .get("allow")
                        .and_then(|v| v.to_str().ok()),
                    Some(allow.as_str()),
                    "{method} {path} (spec/{}.yaml)",
                    file.stem
                );
                checked += 1;
            }
        }
    }
    // 8 files × 2 paths, each refusing at least PUT and PATCH.
    assert!(checked >= 32, "{checked} answers checked");
}

/// A spec path template with `{AccountSid}` set to `account` and every other parameter to
/// `ZZ000…` (the router takes any non-empty value; the method is checked before any lookup).
fn fill_path(template: &str, account: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("a closed parameter");
        let name = &rest[open + 1..close];
        out.push_str(&match name {
            "AccountSid" => account.to_owned(),
            _ => unknown("ZZ"),
        });
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}
