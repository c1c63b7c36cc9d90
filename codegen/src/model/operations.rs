//! Pass: the operations a spec file declares, each where the conventions put it (create and
//! list on the collection, fetch, update and delete on the instance) with its success status.

use super::{EnumSchema, OpKind, Operation, Reader, SidKind, paths::Paths};

impl Reader<'_> {
    pub(super) fn operations(
        &mut self,
        paths: &Paths<'_>,
        sid_kinds: &[SidKind],
        enums: &[EnumSchema],
    ) -> Vec<Operation> {
        let (list_item, instance_item) = (paths.list_item, paths.instance_item);
        let mut operations = Vec::new();
        for (item, method, kind, status) in [
            (list_item, "post", OpKind::Create, "201"),
            (list_item, "get", OpKind::List, "200"),
            (instance_item, "get", OpKind::Fetch, "200"),
            (instance_item, "post", OpKind::Update, "200"),
            (instance_item, "delete", OpKind::Delete, "204"),
        ] {
            if let Some(op) = item.get(method) {
                if op.pointer(&format!("/responses/{status}")).is_none() {
                    self.problem(format!(
                        "{} {}: a {} answers {status}",
                        method.to_uppercase(),
                        if kind == OpKind::Create || kind == OpKind::List {
                            &paths.list_path
                        } else {
                            &paths.instance_path
                        },
                        kind.verb()
                    ));
                }
                operations.push(self.operation(kind, op, sid_kinds, enums));
            }
        }
        for (path, item) in [
            (&paths.list_path, list_item),
            (&paths.instance_path, instance_item),
        ] {
            for method in ["put", "patch", "head", "options", "trace"] {
                if item.get(method).is_some() {
                    self.problem(format!(
                        "{} {path}: Twilio's resources use GET, POST and DELETE only",
                        method.to_uppercase()
                    ));
                }
            }
        }
        if operations.is_empty() {
            self.problem("declare at least one operation");
        }
        operations
    }
}
