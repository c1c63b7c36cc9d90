//! The generator turns the spec shapes progenitor cannot handle into a message naming the file
//! and the problem, instead of a panic backtrace from inside progenitor. Each case breaks a copy
//! of a real spec file in one way and runs the generator's own `generate` on it.

use twilio_ip_access_codegen as codegen;

use yaml_serde::{Mapping, Value};

fn ip_record_spec() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/ip_record.yaml"
    ))
    .unwrap();
    yaml_serde::from_str(&text).unwrap()
}

fn at<'a>(value: &'a mut Value, path: &[&str]) -> &'a mut Value {
    path.iter().fold(value, |v, key| {
        v.get_mut(*key)
            .unwrap_or_else(|| panic!("no {key} in spec"))
    })
}

fn generate(name: &str, text: &str) -> Result<String, Vec<String>> {
    let dir = std::env::temp_dir().join(format!("twilio-ip-access-build-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.yaml"));
    std::fs::write(&file, text).unwrap();
    codegen::generate(file.to_str().unwrap())
}

fn assert_rejected(name: &str, spec: &Value, expected: &str) {
    let problems = generate(name, &yaml_serde::to_string(spec).unwrap()).expect_err(name);
    let file = format!("{name}.yaml: ");
    assert!(
        problems
            .iter()
            .any(|p| p.contains(&file) && p.contains(expected)),
        "{name}: expected a problem naming the file and `{expected}`, got {problems:#?}"
    );
}

#[test]
fn the_real_specs_generate() {
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let spec = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let path = format!("{}/../spec/{spec}.yaml", env!("CARGO_MANIFEST_DIR"));
        let code = codegen::generate(&path).unwrap_or_else(|e| panic!("{e:#?}"));
        assert!(code.contains("pub struct Client"), "{spec}");
    }
}

#[test]
fn openapi_3_1_is_refused() {
    let mut spec = ip_record_spec();
    spec["openapi"] = Value::from("3.1.0");
    assert_rejected(
        "openapi31",
        &spec,
        "`openapi: 3.1.0` is not supported; progenitor reads OpenAPI 3.0.x only",
    );
}

#[test]
fn a_default_response_is_refused() {
    let mut spec = ip_record_spec();
    let responses = at(
        &mut spec,
        &["paths", "/v1/IpRecords/{Sid}", "get", "responses"],
    );
    responses["default"] = responses["4XX"].clone();
    assert_rejected(
        "default",
        &spec,
        "(FetchIpRecord): a `default` response beside a typed success status panics progenitor",
    );
}

#[test]
fn two_success_codes_are_refused() {
    let mut spec = ip_record_spec();
    let responses = at(
        &mut spec,
        &["paths", "/v1/IpRecords/{Sid}", "delete", "responses"],
    );
    responses["200"] = responses["204"].clone();
    assert_rejected(
        "two_success",
        &spec,
        "(DeleteIpRecord): declare exactly one success status",
    );
}

#[test]
fn declared_5xx_is_refused() {
    let mut spec = ip_record_spec();
    let responses = at(&mut spec, &["paths", "/v1/IpRecords", "get", "responses"]);
    responses["503"] = responses["4XX"].clone();
    assert_rejected("five_xx", &spec, "(ListIpRecord): leave 5xx undeclared");
}

#[test]
fn two_error_responses_are_refused() {
    let mut spec = ip_record_spec();
    let responses = at(&mut spec, &["paths", "/v1/IpRecords", "get", "responses"]);
    responses["404"] = responses["4XX"].clone();
    assert_rejected(
        "two_errors",
        &spec,
        "(ListIpRecord): use one `4XX` response with the shared error schema",
    );
}

#[test]
fn two_request_content_types_are_refused() {
    let mut spec = ip_record_spec();
    let content = at(
        &mut spec,
        &["paths", "/v1/IpRecords", "post", "requestBody", "content"],
    );
    content["application/json"] = content["application/x-www-form-urlencoded"].clone();
    assert_rejected(
        "two_types",
        &spec,
        "(CreateIpRecord): only one request content type is supported",
    );
}

#[test]
fn form_encoding_is_refused() {
    let mut spec = ip_record_spec();
    let form = at(
        &mut spec,
        &[
            "paths",
            "/v1/IpRecords",
            "post",
            "requestBody",
            "content",
            "application/x-www-form-urlencoded",
        ],
    );
    let mut encoding = Mapping::new();
    encoding.insert(
        "IpAddress".into(),
        yaml_serde::from_str("{contentType: text/plain}").unwrap(),
    );
    form["encoding"] = Value::Mapping(encoding);
    assert_rejected(
        "encoding",
        &spec,
        "(CreateIpRecord): `encoding` on application/x-www-form-urlencoded panics progenitor",
    );
}

#[test]
fn nested_form_fields_are_refused() {
    let spec = with_create_field("Tags", "{type: array, items: {type: string}}");
    assert_rejected(
        "nested",
        &spec,
        "form field `CreateIpRecordRequest.Tags` is an object or array; form bodies must be flat",
    );
}

#[test]
fn format_on_an_object_is_refused() {
    let mut spec = ip_record_spec();
    at(&mut spec, &["components", "schemas", "PageMeta"])["format"] = Value::from("meta");
    assert_rejected(
        "object_format",
        &spec,
        "/components/schemas/PageMeta: `format` on an object schema panics typify",
    );
}

#[test]
fn duplicate_and_missing_operation_ids_are_refused() {
    let mut spec = ip_record_spec();
    at(&mut spec, &["paths", "/v1/IpRecords", "get"])["operationId"] =
        Value::from("CreateIpRecord");
    assert_rejected(
        "duplicate",
        &spec,
        "operationId `CreateIpRecord` is used twice",
    );
    let mut spec = ip_record_spec();
    at(&mut spec, &["paths", "/v1/IpRecords", "get"])
        .as_mapping_mut()
        .unwrap()
        .remove("operationId");
    assert_rejected("missing", &spec, "GET /v1/IpRecords: missing operationId");
}

#[test]
fn yaml_and_openapi_errors_name_the_file() {
    // An unquoted pattern in a YAML flow mapping, as the progenitor notes warn.
    let problems = generate("flow", "openapi: 3.0.3\nx: {pattern: ^TK[0-9]{32}$}\n").unwrap_err();
    assert!(
        problems[0].contains("flow.yaml: not valid YAML"),
        "{problems:?}"
    );
    let problems = generate("not_openapi", "openapi: 3.0.3\ninfo: 7\n").unwrap_err();
    assert!(
        problems[0].contains("not_openapi.yaml: not a valid OpenAPI 3.0 document"),
        "{problems:?}"
    );
}

#[test]
fn form_fields_no_spec_needs_are_refused() {
    // The generator and the emulator share one vocabulary (`codegen/src/vocabulary.rs`); a form
    // field outside it is refused by name rather than half supported.
    for (field, schema, expected) in [
        (
            "Secure",
            "{type: boolean}",
            "form field `Secure`: type Some(\"boolean\") is not supported in a form body",
        ),
        (
            "Label",
            "{type: string, default: office}",
            "form field `Label`: only an integer field's `default` is supported",
        ),
    ] {
        assert_rejected(
            "unsupported_field",
            &with_create_field(field, schema),
            expected,
        );
    }
}

/// The IpRecord spec with one more field (`schema` in YAML) in its create request.
fn with_create_field(field: &str, schema: &str) -> Value {
    let mut spec = ip_record_spec();
    let props = at(
        &mut spec,
        &[
            "components",
            "schemas",
            "CreateIpRecordRequest",
            "properties",
        ],
    );
    props[field] = yaml_serde::from_str(schema).unwrap();
    spec
}
