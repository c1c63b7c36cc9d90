//! Generates the low-level clients from the curated OpenAPI files in `spec/`.
//!
//! One module per spec file is written to `OUT_DIR` and `include!`d by `src/generated.rs`.
//! Nothing generated is committed: editing a spec and running `cargo build` regenerates.
//!
//! progenitor panics on a handful of spec shapes (see `../shared/notes/progenitor-notes.md`);
//! `preflight` checks for them first so that a broken spec fails the build with the file name
//! and the problem instead of a backtrace from inside the generator.

use std::{env, fs, path::Path};

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};

/// The spec files, and the module each one becomes.
const SPECS: &[(&str, &str)] = &[
    ("spec/ip_record.yaml", "ip_record"),
    ("spec/source_ip_mapping.yaml", "source_ip_mapping"),
    (
        "spec/trunk_ip_access_control_list.yaml",
        "trunk_ip_access_control_list",
    ),
    ("spec/sip_ip_address.yaml", "sip_ip_address"),
];

/// Component schemas replaced by the crate's own types, so that one kind of value is one Rust
/// type in every generated module: (schema name, Rust path, traits the type implements).
const REPLACEMENTS: &[(&str, &str)] = &[
    ("AccountSid", "crate::sid::AccountSid"),
    ("IpRecordSid", "crate::sid::IpRecordSid"),
    ("SourceIpMappingSid", "crate::sid::SourceIpMappingSid"),
    ("SipDomainSid", "crate::sid::SipDomainSid"),
    ("TrunkSid", "crate::sid::TrunkSid"),
    (
        "IpAccessControlListSid",
        "crate::sid::IpAccessControlListSid",
    ),
    ("IpAddressSid", "crate::sid::IpAddressSid"),
    // Validated once, in the facade (`crate::validate`), with errors that name the parameter.
    ("FriendlyName", "::std::string::String"),
    ("Ipv4Address", "::std::net::Ipv4Addr"),
    ("CidrPrefixLength", "u8"),
    ("Rfc2822DateTime", "crate::time::Rfc2822DateTime"),
    ("TwilioError", "crate::error::ApiErrorBody"),
];

fn main() {
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=spec");
    // For the User-Agent: `rust/<version>` of the compiler that built the crate.
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|v| v.split_whitespace().nth(1).map(str::to_owned))
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=TWILIO_IP_ACCESS_RUSTC_VERSION={version}");

    let mut failures = Vec::new();
    for (file, module) in SPECS {
        println!("cargo:rerun-if-changed={file}");
        match generate(file) {
            Ok(code) => {
                let dest = Path::new(&out_dir).join(format!("{module}.rs"));
                fs::write(&dest, code)
                    .unwrap_or_else(|e| panic!("writing {}: {e}", dest.display()));
            }
            Err(problems) => failures.extend(problems),
        }
    }
    if !failures.is_empty() {
        // A plain message and exit code: cargo shows this text without a backtrace.
        eprintln!("error: the OpenAPI spec cannot be turned into Rust:");
        for failure in &failures {
            eprintln!("  - {failure}");
        }
        std::process::exit(1);
    }
}

/// Generates the module for one spec file, or says what is wrong with it, each problem prefixed
/// with the file name.
pub(crate) fn generate(file: &str) -> Result<String, Vec<String>> {
    generate_unnamed(file).map_err(|problems| {
        problems
            .into_iter()
            .map(|p| format!("{file}: {p}"))
            .collect()
    })
}

fn generate_unnamed(file: &str) -> Result<String, Vec<String>> {
    let text = fs::read_to_string(file).map_err(|e| vec![format!("cannot read: {e}")])?;
    let raw: serde_yaml::Value =
        serde_yaml::from_str(&text).map_err(|e| vec![format!("not valid YAML: {e}")])?;
    let version = raw.get("openapi").and_then(|v| v.as_str()).unwrap_or("");
    if !version.starts_with("3.0.") {
        return Err(vec![format!(
            "`openapi: {version}` is not supported; progenitor reads OpenAPI 3.0.x only"
        )]);
    }
    let raw_copy = raw.clone();
    let spec: OpenAPI = serde_yaml::from_value(raw)
        .map_err(|e| vec![format!("not a valid OpenAPI 3.0 document: {e}")])?;
    let mut problems = preflight(&spec);
    object_formats(&raw_copy, "", &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // The facade implements `ClientHooks` (auth, user agent, retries, tracing) for every
        // generated client; `Expected` makes a forgotten impl a compile error.
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote::quote! { crate::transport::Transport })
        // Resources compare equal field by field, so callers (and tests) can diff them.
        .with_derive("PartialEq");
    for (schema, rust) in REPLACEMENTS {
        settings.with_replacement(schema, rust, replacement_impls(rust));
    }

    let mut generator = Generator::new(&settings);
    // progenitor reports some problems by panicking; keep the message, drop the backtrace.
    std::panic::set_hook(Box::new(|_| {}));
    let tokens = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        generator.generate_tokens(&spec)
    }));
    let _ = std::panic::take_hook();
    let tokens = match tokens {
        Ok(Ok(tokens)) => tokens,
        Ok(Err(e)) => return Err(vec![format!("progenitor rejected the spec: {e}")]),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            return Err(vec![format!("progenitor panicked: {msg}")]);
        }
    };
    let ast =
        syn::parse2(tokens).map_err(|e| vec![format!("generated code does not parse: {e}")])?;
    Ok(prettyplease::unparse(&ast))
}

fn replacement_impls(rust: &str) -> impl Iterator<Item = TypeImpl> + use<> {
    let impls: &[TypeImpl] = match rust {
        "crate::error::ApiErrorBody" | "crate::time::Rfc2822DateTime" => &[TypeImpl::Display],
        "u8" => &[TypeImpl::Display, TypeImpl::FromStr, TypeImpl::Default],
        _ => &[TypeImpl::Display, TypeImpl::FromStr],
    };
    impls.iter().cloned()
}

/// Checks for the spec shapes that make progenitor panic or generate code that misbehaves.
fn preflight(spec: &OpenAPI) -> Vec<String> {
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

/// `format` on a `type: object` schema panics typify; openapiv3 drops the key, so look at the YAML.
fn object_formats(value: &serde_yaml::Value, at: &str, out: &mut Vec<String>) {
    match value {
        serde_yaml::Value::Mapping(map) => {
            let is_object = map.get("type").and_then(|t| t.as_str()) == Some("object");
            if is_object && map.contains_key("format") {
                out.push(format!("{at}: `format` on an object schema panics typify"));
            }
            for (key, child) in map {
                let key = key.as_str().unwrap_or("?");
                object_formats(child, &format!("{at}/{key}"), out);
            }
        }
        serde_yaml::Value::Sequence(items) => {
            for (i, child) in items.iter().enumerate() {
                object_formats(child, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}
