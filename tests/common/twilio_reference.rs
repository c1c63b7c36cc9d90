//! Twilio's own reference material, copied into `tests/fixtures/` (see the README.md of each
//! folder for the source and licence): the published OpenAPI description (twilio-oai 2.6.7, cut
//! down to the operations this crate covers) and the request/response pairs of Twilio's generated
//! helper-library tests. Read from the crate only, never from outside the repository.

use std::{
    fs,
    path::{Path, PathBuf},
};

use serde_json::Value;

/// Twilio's OpenAPI files (`*.yaml`), relative to the crate root.
pub const OAI_DIR: &str = "tests/fixtures/twilio-oai-2.6.7";
/// The SDK test fixtures, relative to the crate root.
pub const SDK_FIXTURES: &str = "tests/fixtures/twilio-sdk-tests/fixtures.json";

/// HTTP methods Twilio's files use.
const METHODS: [&str; 3] = ["get", "post", "delete"];

fn crate_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// One of Twilio's OpenAPI files.
pub struct RefFile {
    /// File name, e.g. `twilio_voice_v1.subset.yaml`.
    pub name: String,
    pub json: Value,
}

/// One operation of Twilio's OpenAPI files.
pub struct RefOperation<'a> {
    pub file: &'a str,
    /// `https://…` host of the path item (its own `servers`, else the file's).
    pub host: &'a str,
    pub path: &'a str,
    /// Lower-case method.
    pub method: &'a str,
    pub operation_id: Option<&'a str>,
    pub path_item: &'a Value,
    pub op: &'a Value,
    pub doc: &'a Value,
}

impl RefOperation<'_> {
    /// For messages: `Twilio's <file> paths.<path>.<method> (<operationId>)`.
    pub fn location(&self) -> String {
        format!(
            "Twilio's {}/{} paths.{}.{} ({})",
            OAI_DIR,
            self.file,
            self.path,
            self.method,
            self.operation_id.unwrap_or("no operationId")
        )
    }

    /// The declared 2xx status keys, in file order.
    pub fn success_statuses(&self) -> Vec<&str> {
        self.op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|r| r.keys())
            .map(String::as_str)
            .filter(|k| k.starts_with('2'))
            .collect()
    }
}

/// Twilio's OpenAPI files, parsed.
pub struct Reference {
    files: Vec<RefFile>,
}

impl Reference {
    /// Reads every `*.yaml` of [`OAI_DIR`], sorted by name. Panics naming the file on error.
    pub fn load() -> Self {
        let dir = crate_path(OAI_DIR);
        let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .map(|entry| entry.expect("directory entry").path())
            .filter(|p| p.extension().is_some_and(|ext| ext == "yaml"))
            .collect();
        paths.sort();
        assert!(!paths.is_empty(), "no *.yaml in {}", dir.display());
        let files = paths
            .into_iter()
            .map(|path| {
                let text = fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
                let json: Value = serde_yaml::from_str(&text)
                    .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
                let name = path
                    .file_name()
                    .and_then(|s| s.to_str())
                    .expect("UTF-8 file name")
                    .to_owned();
                RefFile { name, json }
            })
            .collect();
        Self { files }
    }

    pub fn files(&self) -> &[RefFile] {
        &self.files
    }

    /// Every operation of every file.
    pub fn operations(&self) -> Vec<RefOperation<'_>> {
        let mut out = Vec::new();
        for file in &self.files {
            let file_host = file
                .json
                .pointer("/servers/0/url")
                .and_then(Value::as_str)
                .unwrap_or("");
            let Some(paths) = file.json.get("paths").and_then(Value::as_object) else {
                continue;
            };
            for (path, item) in paths {
                let host = item
                    .pointer("/servers/0/url")
                    .and_then(Value::as_str)
                    .unwrap_or(file_host);
                for method in METHODS {
                    let Some(op) = item.get(method) else { continue };
                    out.push(RefOperation {
                        file: &file.name,
                        host,
                        path,
                        method,
                        operation_id: op.get("operationId").and_then(Value::as_str),
                        path_item: item,
                        op,
                        doc: &file.json,
                    });
                }
            }
        }
        out
    }

    /// The operation with this method (lower case) and path template.
    pub fn operation(&self, method: &str, path: &str) -> Option<RefOperation<'_>> {
        self.operations()
            .into_iter()
            .find(|op| op.method == method && op.path == path)
    }
}

/// The `fixtures` array of [`SDK_FIXTURES`].
pub fn load_sdk_fixtures() -> Vec<Value> {
    let path = crate_path(SDK_FIXTURES);
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    match doc.get("fixtures") {
        Some(Value::Array(fixtures)) => fixtures.clone(),
        _ => panic!("{}: no `fixtures` array", path.display()),
    }
}

/// Whether a concrete request path matches an OpenAPI path template: literal text must be equal
/// and each `{Name}` stands for one or more characters other than `/`.
pub fn path_matches(template: &str, path: &str) -> bool {
    let template: Vec<&str> = template.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    template.len() == path.len()
        && template
            .iter()
            .zip(&path)
            .all(|(t, p)| match (t.find('{'), t.find('}')) {
                (Some(open), Some(close)) if open < close => {
                    let (prefix, suffix) = (&t[..open], &t[close + 1..]);
                    p.len() > prefix.len() + suffix.len()
                        && p.starts_with(prefix)
                        && p.ends_with(suffix)
                }
                _ => t == p,
            })
}
