//! Pass: the two paths of a spec file, the API generation they belong to, and the path's groups
//! of literal segments and parameters (which give the parents and the accessor names).

use serde_json::Value;

use super::{ACCOUNT_PREFIX, Api, Group, Reader, SidKind, text, url_host};

/// The collection and instance paths of a spec file, with their path items.
pub(super) struct Paths<'v> {
    pub(super) list_path: String,
    pub(super) list_item: &'v Value,
    pub(super) instance_path: String,
    pub(super) instance_item: &'v Value,
    pub(super) api: Api,
}

impl<'a> Reader<'a> {
    /// `servers[0].url` without its trailing slash, and the product: its host's first label.
    pub(super) fn server(&mut self) -> (String, String) {
        let server = self
            .doc
            .pointer("/servers/0/url")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_owned();
        let product = url_host(&server)
            .and_then(|h| h.split('.').next().map(str::to_owned))
            .unwrap_or_default();
        if product.is_empty() {
            self.problem("`servers[0].url` must be the product's https URL, such as https://voice.twilio.com");
        }
        (product, server)
    }

    /// The list and instance paths (`x-twilio: {pathType: ..}`), checked against each other.
    pub(super) fn paths(&mut self) -> Option<Paths<'a>> {
        let doc = self.doc;
        let paths = doc.get("paths").and_then(Value::as_object);
        let paths: Vec<(&String, &Value)> = paths.into_iter().flatten().collect();
        let path_type =
            |item: &Value| text(item.get("x-twilio").unwrap_or(&Value::Null), "pathType");
        let lists: Vec<_> = paths
            .iter()
            .filter(|(_, i)| path_type(i) == "list")
            .collect();
        let instances: Vec<_> = paths
            .iter()
            .filter(|(_, i)| path_type(i) == "instance")
            .collect();
        if paths.len() != 2 || lists.len() != 1 || instances.len() != 1 {
            self.problem("declare exactly two paths, one with `x-twilio: {pathType: list}` and one with `x-twilio: {pathType: instance}`");
            return None;
        }
        let (list_path, list_item) = (lists[0].0.clone(), lists[0].1);
        let (instance_path, instance_item) = (instances[0].0.clone(), instances[0].1);

        let api = if list_path.starts_with("/2010-04-01/") {
            if !list_path.starts_with(ACCOUNT_PREFIX) || !list_path.ends_with(".json") {
                self.problem(format!(
                    "`{list_path}`: Api 2010-04-01 paths start with {ACCOUNT_PREFIX} and end in .json"
                ));
            }
            Api::V2010
        } else {
            Api::V1
        };
        let expected_instance = match api {
            Api::V2010 => format!("{}/{{Sid}}.json", list_path.trim_end_matches(".json")),
            Api::V1 => format!("{list_path}/{{Sid}}"),
        };
        if instance_path != expected_instance {
            self.problem(format!(
                "the instance path must be `{expected_instance}` (the collection path and `{{Sid}}`), found `{instance_path}`"
            ));
        }
        Some(Paths {
            list_path,
            list_item,
            instance_path,
            instance_item,
            api,
        })
    }

    /// The collection path after the API prefix, in groups of literals and the parameter after
    /// them; the last group is the collection itself.
    pub(super) fn groups(&mut self, paths: &Paths<'_>, sid_kinds: &[SidKind]) -> Vec<Group> {
        let list_path = &paths.list_path;
        let rest = match paths.api {
            Api::V2010 => list_path
                .strip_prefix(ACCOUNT_PREFIX)
                .unwrap_or(list_path)
                .trim_end_matches(".json")
                .to_owned(),
            Api::V1 => {
                let mut parts = list_path.splitn(3, '/');
                let (_, version, rest) = (parts.next(), parts.next(), parts.next());
                if !version.is_some_and(|v| v.starts_with('v')) {
                    self.problem(format!(
                        "`{list_path}` starts with neither /vN/ nor {ACCOUNT_PREFIX}"
                    ));
                }
                format!("/{}", rest.unwrap_or_default())
            }
        };
        let mut groups = Vec::new();
        let mut literals = Vec::new();
        for segment in rest.split('/').filter(|s| !s.is_empty()) {
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => {
                    let param = self.path_param(paths.list_item, name, sid_kinds);
                    if literals.is_empty() {
                        self.problem(format!(
                            "`{list_path}`: a parameter must follow a literal segment"
                        ));
                    }
                    groups.push(Group {
                        literals: std::mem::take(&mut literals),
                        param,
                    });
                }
                None => literals.push(segment.to_owned()),
            }
        }
        if literals.is_empty() {
            self.problem(format!("`{list_path}` must end in the collection's name"));
        }
        groups.push(Group {
            literals,
            param: None,
        });
        groups
    }
}
