//! The generator of the `twilio-ip-access` crate: `spec/*.yaml` in, Rust out. Its build script
//! calls [`generate_dir`] on `spec/` and [`Output::write_to`] into `OUT_DIR`; the tests and the
//! generation benchmark call [`generate_dir`] and [`generate`] on fixture specs.
//!
//! - `model.rs` reads a spec file into what the emitters need (paths, parents, SIDs, form
//!   fields with their constraints, response properties), or says which convention of
//!   `spec/README.md` it breaks;
//! - `preflight.rs` catches the shapes that make progenitor panic;
//! - `bindings.rs` runs progenitor (one module per file);
//! - `facade.rs` emits the handles and builders users call;
//! - `emulator.rs` emits the emulator's tables;
//! - `sids.rs` emits the typed SID kinds;
//! - `naming.rs` turns Twilio's names into Rust's;
//! - `vocabulary.rs` holds the types the model and the emulator's tables share (the file is
//!   also written into `OUT_DIR` and included by the emulator).
//!
//! The spec directory is the resource list: every `*.yaml` file in it is a resource.

pub mod bindings;
pub mod emulator;
pub mod facade;
pub mod field_docs;
pub mod model;
pub mod naming;
pub mod preflight;
pub mod sids;
pub mod vocabulary;

/// The text of `vocabulary.rs`, which [`Output::write_to`] writes into `OUT_DIR` for the
/// emulator's tables to include: the generator and the emulator share its types.
pub const VOCABULARY: &str = include_str!("vocabulary.rs");

use std::path::Path;

use proc_macro2::TokenStream;
use serde_json::Value;

/// Everything generated from one spec directory.
#[derive(Debug)]
pub struct Output {
    /// (module, progenitor bindings) per spec file.
    pub bindings: Vec<(String, String)>,
    /// `generated.rs`: one module per spec file, including its bindings.
    pub modules: String,
    /// `facade.rs`: handles, builders, accessors.
    pub facade: String,
    /// `sid_kinds.rs`.
    pub sid_kinds: String,
    /// `emulator_tables.rs`.
    pub emulator: String,
}

impl Output {
    /// Writes every generated file into `dir` (build.rs passes `OUT_DIR`): `<module>.rs` per
    /// spec file, `generated.rs`, `facade.rs`, `sid_kinds.rs`, `emulator_tables.rs` and `vocabulary.rs`.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        let bindings = self
            .bindings
            .iter()
            .map(|(module, code)| (format!("{module}.rs"), code.as_str()))
            .chain([("vocabulary.rs".to_owned(), VOCABULARY)]);
        let shared = [
            ("generated.rs", &self.modules),
            ("facade.rs", &self.facade),
            ("sid_kinds.rs", &self.sid_kinds),
            ("emulator_tables.rs", &self.emulator),
        ]
        .map(|(name, code)| (name.to_owned(), code.as_str()));
        for (name, code) in bindings.chain(shared) {
            let dest = dir.join(&name);
            std::fs::write(&dest, code)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", dest.display())))?;
        }
        Ok(())
    }
}

/// Reads a spec file as JSON values, checking the OpenAPI version first.
fn load(file: &Path) -> Result<Value, Vec<String>> {
    let text = std::fs::read_to_string(file).map_err(|e| vec![format!("cannot read: {e}")])?;
    let raw: yaml_serde::Value =
        yaml_serde::from_str(&text).map_err(|e| vec![format!("not valid YAML: {e}")])?;
    let doc: Value =
        serde_json::to_value(&raw).map_err(|e| vec![format!("not representable as JSON: {e}")])?;
    let version = doc.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("3.0.") {
        return Err(vec![format!(
            "`openapi: {version}` is not supported; progenitor reads OpenAPI 3.0.x only"
        )]);
    }
    Ok(doc)
}

/// One spec file: its model and its bindings' tokens.
fn resource(file: &Path) -> Result<(model::Resource, TokenStream), Vec<String>> {
    let doc = load(file)?;
    let spec: openapiv3::OpenAPI = serde_json::from_value(doc.clone())
        .map_err(|e| vec![format!("not a valid OpenAPI 3.0 document: {e}")])?;
    let mut problems = preflight::preflight(&spec);
    preflight::object_formats(&doc, "", &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    let module = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned();
    if module.is_empty()
        || !module
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(vec![
            "the file name must be a snake_case module name, such as `ip_record.yaml`".into(),
        ]);
    }
    let shown = format!(
        "spec/{}",
        file.file_name().and_then(|n| n.to_str()).unwrap_or("")
    );
    let resource = model::read(&shown, &module, &doc)?;
    let tokens = bindings::generate(&resource, &doc)?;
    Ok((resource, tokens))
}

/// The progenitor bindings of one spec file, formatted, or what is wrong with it (each problem
/// prefixed with the file name). For the tests and the generation benchmark.
pub fn generate(file: &str) -> Result<String, Vec<String>> {
    let prefixed = |problems: Vec<String>| -> Vec<String> {
        problems
            .into_iter()
            .map(|p| format!("{file}: {p}"))
            .collect()
    };
    let (_, tokens) = resource(Path::new(file)).map_err(prefixed)?;
    format(tokens).map_err(prefixed)
}

fn format(tokens: TokenStream) -> Result<String, Vec<String>> {
    let ast: syn::File =
        syn::parse2(tokens).map_err(|e| vec![format!("generated code does not parse: {e}")])?;
    Ok(prettyplease::unparse(&ast))
}

/// Generates everything from the `*.yaml` files of `dir`, in file name order.
pub fn generate_dir(dir: &Path) -> Result<Output, Vec<String>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| vec![format!("{}: cannot read: {e}", dir.display())])?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(vec![format!("{}: no spec files (*.yaml)", dir.display())]);
    }
    let mut problems = Vec::new();
    let mut resources = Vec::new();
    let mut bindings = Vec::new();
    for file in &files {
        let name = file.display().to_string();
        match resource(file) {
            Ok((resource, tokens)) => match format(tokens) {
                Ok(code) => {
                    bindings.push((resource.module.clone(), code));
                    resources.push(resource);
                }
                Err(p) => problems.extend(p.into_iter().map(|p| format!("{name}: {p}"))),
            },
            Err(p) => problems.extend(p.into_iter().map(|p| format!("{name}: {p}"))),
        }
    }
    // What several files must agree on.
    let mut products = std::collections::BTreeMap::new();
    for r in &resources {
        if let Some((server, file)) = products.insert(&r.product, (&r.server, &r.file))
            && server != &r.server
        {
            problems.push(format!(
                "{} and {file} give product `{}` two hosts: {} and {server}",
                r.file, r.product, r.server
            ));
        }
    }
    let sid_kinds = sids::emit(&resources).map_err(|p| {
        problems.extend(p);
    });
    let facade = facade::emit(&resources).map_err(|p| problems.extend(p));
    if !problems.is_empty() {
        return Err(problems);
    }
    let (Ok(sid_kinds), Ok(facade)) = (sid_kinds, facade) else {
        return Err(problems);
    };
    let modules = resources.iter().map(|r| {
        let module = quote::format_ident!("{}", r.module);
        let file = format!("/{}.rs", r.module);
        let doc = format!("{} (`spec/{}.yaml`).", r.title, r.module);
        quote::quote! {
            #[doc = #doc]
            pub mod #module {
                include!(concat!(env!("OUT_DIR"), #file));
            }
        }
    });
    let modules = quote::quote! { #(#modules)* };
    Ok(Output {
        bindings,
        modules: format(modules)?,
        facade: format(facade)?,
        sid_kinds: format(sid_kinds)?,
        emulator: format(emulator::emit(&resources))?,
    })
}
