//! The router: which resource, and which of its two paths, a request path names, and which
//! operation a method asks for there.
//!
//! Every resource of [`RESOURCES`] has a collection path and an instance path. A template is
//! split at `/` into segments, each a literal (`IpRecords`, `IpAddresses.json`) or a parameter
//! with an optional literal suffix (`{TrunkSid}`, `{Sid}.json`). A path matches a template when
//! it has as many segments, every literal is equal and every parameter is non-empty (and ends
//! with its suffix). When several templates match, the one with the most literal segments wins.
//!
//! This is hand-written rather than axum's route table: matchit refuses two templates with
//! different parameter names at one position (`/SIP/IpAccessControlLists/{Sid}.json` beside
//! `/SIP/IpAccessControlLists/{IpAccessControlListSid}/IpAddresses.json`), which the spec files
//! legitimately produce.

use std::sync::LazyLock;

use axum::http::Method;

use super::{
    form::{Malformed, percent_decode},
    table::{RESOURCES, Resource},
};

/// Which of a resource's two paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PathKind {
    /// The collection: list (GET) and create (POST).
    List,
    /// One record: fetch (GET), update (POST), delete (DELETE).
    Instance,
}

/// What a request asks of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    Create,
    List,
    Fetch,
    Update,
    Delete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment {
    Literal(&'static str),
    Param {
        name: &'static str,
        suffix: &'static str,
    },
}

#[derive(Debug)]
struct Route {
    resource: &'static Resource,
    kind: PathKind,
    segments: Vec<Segment>,
}

/// Every resource's two templates, split once.
static ROUTES: LazyLock<Vec<Route>> = LazyLock::new(|| {
    RESOURCES
        .iter()
        .flat_map(|resource| {
            [
                (PathKind::List, resource.list_path),
                (PathKind::Instance, resource.instance_path),
            ]
            .map(|(kind, template)| Route {
                resource,
                kind,
                segments: split(template),
            })
        })
        .collect()
});

/// `/a/{B}/{Sid}.json` → `[a, {B}, {Sid} + ".json"]`.
fn split(template: &'static str) -> Vec<Segment> {
    template
        .strip_prefix('/')
        .unwrap_or(template)
        .split('/')
        .map(|segment| {
            let param = segment
                .strip_prefix('{')
                .and_then(|rest| rest.split_once('}'));
            match param {
                Some((name, suffix)) => Segment::Param { name, suffix },
                None => Segment::Literal(segment),
            }
        })
        .collect()
}

/// The parameters of `path` if it matches `segments`, with how many literal segments matched.
fn match_segments<'p>(
    segments: &[Segment],
    path: &'p str,
) -> Option<(usize, Vec<(&'static str, &'p str)>)> {
    let parts = path.strip_prefix('/')?.split('/');
    if parts.clone().count() != segments.len() {
        return None;
    }
    let mut literals = 0;
    let mut params = Vec::new();
    for (segment, part) in segments.iter().zip(parts) {
        match *segment {
            Segment::Literal(literal) if literal == part => literals += 1,
            Segment::Literal(_) => return None,
            Segment::Param { name, suffix } => {
                let value = part.strip_suffix(suffix).filter(|v| !v.is_empty())?;
                params.push((name, value));
            }
        }
    }
    Some((literals, params))
}

/// A request path resolved to a resource's path.
#[derive(Debug, Clone)]
pub(crate) struct Matched<'p> {
    pub(crate) resource: &'static Resource,
    pub(crate) kind: PathKind,
    /// The path parameters as sent (still percent-encoded), in path order.
    params: Vec<(&'static str, &'p str)>,
}

/// The resource path `path` names, if any (none: a 404).
pub(crate) fn resolve(path: &str) -> Option<Matched<'_>> {
    resolve_in(&ROUTES, path)
}

/// The `Allow` value of `path`: the methods it accepts (empty for a path of no resource).
pub(crate) fn allow(path: &str) -> String {
    resolve(path)
        .map(|matched| matched.allow())
        .unwrap_or_default()
}

fn resolve_in<'p>(routes: &[Route], path: &'p str) -> Option<Matched<'p>> {
    let mut best: Option<(usize, Matched<'p>)> = None;
    for route in routes {
        if let Some((literals, params)) = match_segments(&route.segments, path)
            && best.as_ref().is_none_or(|(most, _)| literals > *most)
        {
            let matched = Matched {
                resource: route.resource,
                kind: route.kind,
                params,
            };
            best = Some((literals, matched));
        }
    }
    best.map(|(_, matched)| matched)
}

impl Matched<'_> {
    /// The operation `method` asks for on this path, if the resource declares it (none: a 405).
    /// `HEAD` is a `GET` without the body, as axum's routes answer it.
    pub(crate) fn operation(&self, method: &Method) -> Option<Operation> {
        let r = self.resource;
        let get = *method == Method::GET || *method == Method::HEAD;
        let operation = match self.kind {
            PathKind::List if get => Operation::List,
            PathKind::List if *method == Method::POST => Operation::Create,
            PathKind::Instance if get => Operation::Fetch,
            PathKind::Instance if *method == Method::POST => Operation::Update,
            PathKind::Instance if *method == Method::DELETE => Operation::Delete,
            _ => return None,
        };
        let declared = match operation {
            Operation::List => r.list,
            Operation::Create => r.create.is_some(),
            Operation::Fetch => r.fetch,
            Operation::Update => r.update.is_some(),
            Operation::Delete => r.delete,
        };
        declared.then_some(operation)
    }

    /// The methods this path accepts, for a 405's `Allow` header (such as `GET, HEAD, POST`):
    /// the operations the resource declares on it.
    pub(crate) fn allow(&self) -> String {
        [Method::GET, Method::HEAD, Method::POST, Method::DELETE]
            .iter()
            .filter(|method| self.operation(method).is_some())
            .map(Method::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The path parameters, percent-decoded; an undecodable one names no resource.
    pub(crate) fn decode(&self) -> Result<Params, Malformed> {
        let values = self
            .params
            .iter()
            .map(|(name, raw)| Ok((*name, percent_decode(raw)?)))
            .collect::<Result<_, Malformed>>()?;
        Ok(Params(values))
    }
}

/// Decoded path parameters, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Params(Vec<(&'static str, String)>);

impl Params {
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes(templates: &[&'static str]) -> Vec<Route> {
        let resource = &RESOURCES[0];
        templates
            .iter()
            .map(|t| Route {
                resource,
                kind: PathKind::List,
                segments: split(t),
            })
            .collect()
    }

    fn params<'p>(routes: &[Route], path: &'p str) -> Option<Vec<(&'static str, &'p str)>> {
        resolve_in(routes, path).map(|m| m.params)
    }

    #[test]
    fn literals_params_and_suffixes() {
        let table = routes(&["/v1/Things", "/v1/Things/{Sid}", "/a/{A}/B/{Sid}.json"]);
        assert_eq!(params(&table, "/v1/Things"), Some(vec![]));
        assert_eq!(params(&table, "/v1/Things/X1"), Some(vec![("Sid", "X1")]));
        assert_eq!(
            params(&table, "/a/1/B/IP2.json"),
            Some(vec![("A", "1"), ("Sid", "IP2")])
        );
        for unmatched in [
            "/v1/Things/",
            "/v1/Things/X/more",
            "/v1/things",
            "v1/Things",
            "/a/1/B/IP2",
            "/a/1/B/.json",
            "/a//B/IP2.json",
            "/",
            "",
        ] {
            assert_eq!(params(&table, unmatched), None, "{unmatched}");
        }
    }

    #[test]
    fn different_parameter_names_at_one_position_and_literals_first() {
        let table = routes(&[
            "/S/{AccountSid}/Lists/{Sid}.json",
            "/S/{AccountSid}/Lists/{ListSid}/Items.json",
            "/S/{AccountSid}/Lists/Special.json",
        ]);
        assert_eq!(
            params(&table, "/S/AC1/Lists/AL2.json"),
            Some(vec![("AccountSid", "AC1"), ("Sid", "AL2")])
        );
        assert_eq!(
            params(&table, "/S/AC1/Lists/AL2/Items.json"),
            Some(vec![("AccountSid", "AC1"), ("ListSid", "AL2")])
        );
        assert_eq!(
            params(&table, "/S/AC1/Lists/Special.json"),
            Some(vec![("AccountSid", "AC1")])
        );
    }

    #[test]
    fn the_table_routes_404_and_405() {
        let account = format!("AC{}", "a".repeat(32));
        let ip = format!(
            "/2010-04-01/Accounts/{account}/SIP/IpAccessControlLists/AL1/IpAddresses/IP2.json"
        );
        let matched = resolve(&ip).unwrap();
        assert_eq!(
            (matched.resource.module, matched.kind),
            ("sip_ip_address", PathKind::Instance)
        );
        let params = matched.decode().unwrap();
        assert_eq!(params.get("AccountSid"), Some(account.as_str()));
        assert_eq!(params.get("IpAccessControlListSid"), Some("AL1"));
        assert_eq!(params.get("Sid"), Some("IP2"));
        assert_eq!(matched.operation(&Method::POST), Some(Operation::Update));
        assert_eq!(matched.operation(&Method::PUT), None, "405");

        let list = resolve("/2010-04-01/Accounts/AC1/SIP/IpAccessControlLists/AL1.json").unwrap();
        assert_eq!(
            (list.resource.module, list.kind),
            ("sip_ip_access_control_list", PathKind::Instance)
        );
        let lists = resolve("/2010-04-01/Accounts/AC1/SIP/IpAccessControlLists.json").unwrap();
        assert_eq!(
            (lists.resource.module, lists.kind),
            ("sip_ip_access_control_list", PathKind::List)
        );
        assert_eq!(lists.operation(&Method::HEAD), Some(Operation::List));

        // Read-only resources: GET only.
        let trunk = resolve("/v1/Trunks/TK1").unwrap();
        assert_eq!(trunk.resource.module, "trunk");
        assert_eq!(trunk.operation(&Method::GET), Some(Operation::Fetch));
        for method in [Method::POST, Method::DELETE] {
            assert_eq!(trunk.operation(&method), None);
        }
        assert_eq!(
            resolve("/v1/Trunks").unwrap().operation(&Method::POST),
            None
        );
        assert_eq!(trunk.allow(), "GET, HEAD");
        assert_eq!(allow("/v1/Trunks"), "GET, HEAD");
        assert_eq!(allow("/v1/IpRecords"), "GET, HEAD, POST");
        assert_eq!(allow("/v1/IpRecords/IL1"), "GET, HEAD, POST, DELETE");
        assert_eq!(allow("/v1/Nope"), "");
        // No update on an association.
        let association = resolve("/v1/Trunks/TK1/IpAccessControlLists/AL1").unwrap();
        assert_eq!(association.operation(&Method::POST), None);
        assert_eq!(association.allow(), "GET, HEAD, DELETE");
        assert_eq!(
            association.operation(&Method::DELETE),
            Some(Operation::Delete)
        );

        for unknown in [
            "/v1/Nope",
            "/v1/IpRecords/",
            "/2010-04-01/Accounts",
            "/2010-04-01/Accounts/AC1/SIP/IpAccessControlLists/AL1/IpAddresses/IP2",
        ] {
            assert!(resolve(unknown).is_none(), "{unknown}");
        }
        let bad = resolve("/v1/IpRecords/IL%ff").unwrap();
        assert!(bad.decode().is_err());
        assert_eq!(
            resolve("/v1/IpRecords/IL%41")
                .unwrap()
                .decode()
                .unwrap()
                .get("Sid"),
            Some("ILA")
        );
    }
}
