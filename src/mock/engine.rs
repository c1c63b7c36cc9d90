//! The generic handlers: create, fetch, update, delete and list for every resource of the
//! table, driven by what its [`Resource`] states. A request is resolved to a resource path
//! ([`routes`]), its input read (form or paging parameters), its account and parents checked,
//! then the operation runs under the store's lock, calling the [`rules`] at fixed points.
//!
//! Checks come in a fixed order, the first failure being the answer: an unknown path is a 404,
//! a method the resource does not declare a 405, an unreadable body or query a 400/70002, an
//! unknown account, parent or SID a 404, then the form fields in their declared order, then
//! the records they reference, then the rules (400/20001).

use std::sync::Mutex;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::{
    catalog,
    errors::TwilioError,
    faults::lock,
    form::Form,
    paging::Paging,
    routes::{self, Operation, Params},
    rules,
    store::{self, Account, Record, Store},
    table::{Api, DateFormat, Field, FieldKind, Resource, Source, Str},
};
use crate::time::Rfc2822DateTime;

/// One request, as the engine needs it (after the gate: authenticated, body read).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call<'a> {
    /// The authenticated account.
    pub(crate) caller: &'a str,
    /// `http://127.0.0.1:PORT`, for v1 `url`s.
    pub(crate) base_url: &'a str,
    pub(crate) method: &'a Method,
    /// The path as sent (percent-encoding kept).
    pub(crate) path: &'a str,
    pub(crate) query: Option<&'a str>,
    pub(crate) content_type: Option<&'a str>,
    pub(crate) body: &'a [u8],
}

/// A successful answer: a status and, except for 204, a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) body: Option<Value>,
}

impl Reply {
    fn json(status: StatusCode, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
        }
    }
}

/// An operation with what it reads besides the path.
enum Work {
    Create(Form),
    List(Paging),
    Fetch,
    Update(Form),
    Delete,
}

/// Answers `call` from the store.
pub(crate) fn handle(store: &Mutex<Store>, call: &Call<'_>) -> Result<Reply, TwilioError> {
    let not_found = || TwilioError::not_found(call.path);
    let matched = routes::resolve(call.path).ok_or_else(not_found)?;
    let operation = matched
        .operation(call.method)
        .ok_or_else(|| TwilioError::method_not_allowed(matched.allow()))?;
    let form = || Form::from_body(call.content_type, call.body);
    let work = match operation {
        Operation::Create => Work::Create(form()?),
        Operation::List => Work::List(Paging::from_query(call.query)?),
        Operation::Fetch => Work::Fetch,
        Operation::Update => Work::Update(form()?),
        Operation::Delete => Work::Delete,
    };
    let params = matched.decode().map_err(|_| not_found())?;
    let mut store = lock(store);
    let scope = Scope::resolve(&store, call, matched.resource, &params)?;
    match work {
        Work::Create(form) => create(&mut store, &scope, &form),
        Work::List(paging) => list(&store, &scope, &paging),
        Work::Fetch => fetch(&store, &scope),
        Work::Update(form) => update(&mut store, &scope, &form),
        Work::Delete => delete(&mut store, &scope),
    }
}

/// Where a request acts: the resource, the owning account, the parents (all checked to exist)
/// and, on an instance path, the SID.
#[derive(Debug)]
struct Scope<'a> {
    resource: &'static Resource,
    account: String,
    parents: Vec<String>,
    sid: Option<String>,
    call: &'a Call<'a>,
}

impl<'a> Scope<'a> {
    /// A 2010 path's `{AccountSid}` must be the caller or one of its subaccounts (v1 paths act
    /// on the caller); each parent must be an existing record, in that account, of the resource
    /// its prefix names. Anything else is a 404 for the request's path.
    fn resolve(
        store: &Store,
        call: &'a Call<'a>,
        resource: &'static Resource,
        params: &Params,
    ) -> Result<Self, TwilioError> {
        let not_found = || TwilioError::not_found(call.path);
        let account = match resource.api {
            Api::V1 => call.caller,
            Api::V2010 => params
                .get("AccountSid")
                .filter(|account| store.may_act_for(call.caller, account))
                .ok_or_else(not_found)?,
        };
        let owner = store.account(account)?;
        let mut parents: Vec<String> = Vec::with_capacity(resource.parents.len());
        for parent in resource.parents {
            let sid = params.get(parent.param).ok_or_else(not_found)?;
            let exists = catalog::named_by_prefix(parent.sid_prefix).is_some_and(|named| {
                owner
                    .records(named)
                    .iter()
                    .any(|r| r.sid == sid && parents.ends_with(&r.parents))
            });
            if !exists {
                return Err(not_found());
            }
            parents.push(sid.to_owned());
        }
        Ok(Self {
            resource,
            account: account.to_owned(),
            parents,
            sid: params.get("Sid").map(str::to_owned),
            call,
        })
    }

    fn not_found(&self) -> TwilioError {
        TwilioError::not_found(self.call.path)
    }

    /// The instance's SID (an instance path always has one).
    fn sid(&self) -> Result<&str, TwilioError> {
        self.sid.as_deref().ok_or_else(|| self.not_found())
    }

    fn owner<'s>(&self, store: &'s Store) -> Result<&'s Account, TwilioError> {
        store.account(&self.account)
    }

    fn owner_mut<'s>(&self, store: &'s mut Store) -> Result<&'s mut Account, TwilioError> {
        store.account_mut(&self.account)
    }

    /// The collection path, filled in.
    fn list_path(&self) -> String {
        catalog::fill(self.resource.list_path, |name| {
            path_value(self.resource, &self.account, &self.parents, None, name)
        })
    }
}

/// The value of a path template's parameter `name`.
fn path_value<'v>(
    resource: &Resource,
    account: &'v str,
    parents: &'v [String],
    sid: Option<&'v str>,
    name: &str,
) -> Option<&'v str> {
    match name {
        "AccountSid" => Some(account),
        "Sid" => sid,
        _ => resource
            .parents
            .iter()
            .position(|p| p.param == name)
            .and_then(|i| parents.get(i))
            .map(String::as_str),
    }
}

// ---------------------------------------------------------------------------------------------
// The five operations

fn create(store: &mut Store, scope: &Scope<'_>, form: &Form) -> Result<Reply, TwilioError> {
    let resource = scope.resource;
    let fields = resource
        .create
        .ok_or_else(|| TwilioError::method_not_allowed(routes::allow(scope.call.path)))?;
    let given = as_twilio_stores(form.fields(fields)?);
    let owner = scope.owner(store)?;
    check_references(owner, &given)?;
    let linked_sid = match resource.association {
        None => None,
        Some(wire) => Some(association_sid(owner, scope, wire, &given)?),
    };
    rules::before_create(owner, resource, &scope.parents)?;
    let (sid, seq) = match linked_sid {
        Some(sid) => (sid, store.next_seq()),
        None => store.mint(resource.sid_prefix),
    };
    let values = given
        .into_iter()
        .filter_map(|(field, value)| {
            let value = value.or_else(|| field.default.map(Value::from))?;
            Some((field.property.to_owned(), value))
        })
        .collect();
    let now = store::now();
    let record = Record {
        seq,
        sid,
        parents: scope.parents.clone(),
        values,
        created: now,
        updated: now,
    };
    let owner = scope.owner_mut(store)?;
    owner.records_mut(resource).push(record);
    let owner = scope.owner(store)?;
    let record = owner
        .records(resource)
        .last()
        .ok_or_else(|| scope.not_found())?;
    Ok(Reply::json(
        StatusCode::CREATED,
        render(scope, owner, record),
    ))
}

fn fetch(store: &Store, scope: &Scope<'_>) -> Result<Reply, TwilioError> {
    let owner = scope.owner(store)?;
    let record = owner
        .find(scope.resource, &scope.parents, scope.sid()?)
        .ok_or_else(|| scope.not_found())?;
    Ok(Reply::json(StatusCode::OK, render(scope, owner, record)))
}

/// An unknown SID is a 404 before the body is looked at; absent fields are left as they are.
fn update(store: &mut Store, scope: &Scope<'_>, form: &Form) -> Result<Reply, TwilioError> {
    let resource = scope.resource;
    let sid = scope.sid()?;
    let owner = scope.owner(store)?;
    owner
        .find(resource, &scope.parents, sid)
        .ok_or_else(|| scope.not_found())?;
    let fields = resource
        .update
        .ok_or_else(|| TwilioError::method_not_allowed(routes::allow(scope.call.path)))?;
    let given = as_twilio_stores(form.fields(fields)?);
    check_references(owner, &given)?;
    let record = scope
        .owner_mut(store)?
        .find_mut(resource, &scope.parents, sid)
        .ok_or_else(|| scope.not_found())?;
    for (field, value) in given {
        if let Some(value) = value {
            record.values.insert(field.property.to_owned(), value);
        }
    }
    record.updated = store::now();
    let owner = scope.owner(store)?;
    let record = owner
        .find(resource, &scope.parents, sid)
        .ok_or_else(|| scope.not_found())?;
    Ok(Reply::json(StatusCode::OK, render(scope, owner, record)))
}

fn delete(store: &mut Store, scope: &Scope<'_>) -> Result<Reply, TwilioError> {
    let resource = scope.resource;
    let sid = scope.sid()?;
    let owner = scope.owner_mut(store)?;
    owner
        .find(resource, &scope.parents, sid)
        .ok_or_else(|| scope.not_found())?;
    rules::before_delete(owner, resource, sid)?;
    owner
        .records_mut(resource)
        .retain(|r| !(r.sid == sid && r.parents == scope.parents));
    rules::after_delete(owner, resource, sid);
    Ok(Reply {
        status: StatusCode::NO_CONTENT,
        body: None,
    })
}

fn list(store: &Store, scope: &Scope<'_>, paging: &Paging) -> Result<Reply, TwilioError> {
    let resource = scope.resource;
    let owner = scope.owner(store)?;
    let items: Vec<&Record> = owner.scoped(resource, &scope.parents).collect();
    let selection = paging.select(&items, resource.sid_prefix, |sid| store.seq_of(sid))?;
    let shown = items
        .get(selection.range.clone())
        .unwrap_or_default()
        .iter()
        .map(|record| render(scope, owner, record))
        .collect();
    let path = scope.list_path();
    let body = match resource.api {
        Api::V1 => paging.v1_envelope(
            resource.list_key,
            scope.call.base_url,
            &path,
            &selection,
            shown,
        ),
        Api::V2010 => paging.v2010_envelope(resource.list_key, &path, &selection, shown),
    };
    Ok(Reply::json(StatusCode::OK, body))
}

// ---------------------------------------------------------------------------------------------
// References, associations, rendering

/// The form field whose value 0 Twilio stores as 32.
const CIDR_PREFIX_LENGTH: &str = "CidrPrefixLength";

/// The values as Twilio stores them, where that differs from what was sent: Twilio accepts a
/// `CidrPrefixLength` of 0 and stores 32 (terraform-provider-twilio issue #137), so an entry
/// sent as `/0` allows one address, not every one.
fn as_twilio_stores(
    mut given: Vec<(&'static Field, Option<Value>)>,
) -> Vec<(&'static Field, Option<Value>)> {
    for (field, value) in &mut given {
        if field.wire == CIDR_PREFIX_LENGTH && value.as_ref().and_then(Value::as_i64) == Some(0) {
            *value = Some(Value::from(32));
        }
    }
    given
}

/// Every SID-valued field whose prefix names an emulated resource must name an existing record
/// of it in the account.
fn check_references(
    owner: &Account,
    given: &[(&'static Field, Option<Value>)],
) -> Result<(), TwilioError> {
    for (field, value) in given {
        let (FieldKind::Sid { prefix }, Some(Value::String(sid))) = (&field.kind, value) else {
            continue;
        };
        let Some(target) = catalog::named_by_prefix(prefix) else {
            continue;
        };
        if owner.find_any(target, sid).is_none() {
            let reason = format!("{} {sid} does not exist", catalog::noun(field.wire));
            return Err(TwilioError::invalid(field.wire, &reason));
        }
    }
    Ok(())
}

/// The SID of a new association: the value of its field `wire` (which [`check_references`]
/// has found), not yet associated under the same parents.
fn association_sid(
    owner: &Account,
    scope: &Scope<'_>,
    wire: &str,
    given: &[(&'static Field, Option<Value>)],
) -> Result<String, TwilioError> {
    let sid = given
        .iter()
        .find(|(field, _)| field.wire == wire)
        .and_then(|(_, value)| value.as_ref()?.as_str())
        .ok_or_else(|| TwilioError::missing(wire))?;
    if owner.find(scope.resource, &scope.parents, sid).is_some() {
        let holder = match (scope.resource.parents.last(), scope.parents.last()) {
            (Some(parent), Some(parent_sid)) => format!(
                " with {} {parent_sid}",
                catalog::parent_noun(parent.param, parent.sid_prefix)
            ),
            _ => String::new(),
        };
        let reason = format!(
            "{} {sid} is already associated{holder}",
            catalog::noun(wire)
        );
        return Err(TwilioError::invalid(wire, &reason));
    }
    Ok(sid.to_owned())
}

/// A record as its resource's `properties` say. An association's values that its form did not
/// set (a list's `friendly_name`) are the linked record's, as they are now.
fn render(scope: &Scope<'_>, owner: &Account, record: &Record) -> Value {
    let resource = scope.resource;
    let account = scope.account.as_str();
    let linked = catalog::linked(resource).and_then(|target| owner.find_any(target, &record.sid));
    let instance_path = || {
        catalog::fill(resource.instance_path, |name| {
            path_value(resource, account, &record.parents, Some(&record.sid), name)
        })
    };
    let mut out = Map::new();
    for property in resource.properties {
        let value = match property.source {
            Source::Sid => Value::from(record.sid.as_str()),
            Source::AccountSid => Value::from(account),
            Source::Parent(i) => record
                .parents
                .get(i)
                .map_or(Value::Null, |sid| Value::from(sid.as_str())),
            Source::DateCreated(format) => date_value(&record.created, format),
            Source::DateUpdated(format) => date_value(&record.updated, format),
            Source::Url => Value::from(format!("{}{}", scope.call.base_url, instance_path())),
            Source::Uri => Value::from(instance_path()),
            Source::Links => {
                let base = match resource.api {
                    Api::V1 => format!("{}{}", scope.call.base_url, instance_path()),
                    Api::V2010 => instance_path(),
                };
                links(&base, &property.subresources)
            }
            Source::Value => match record
                .values
                .get(property.name.as_ref())
                .or_else(|| linked?.values.get(property.name.as_ref()))
            {
                Some(value) => value.clone(),
                None if property.nullable => Value::Null,
                // The spec does not allow null here: an unset value is left out.
                None => continue,
            },
        };
        out.insert(property.name.to_string(), value);
    }
    Value::Object(out)
}

/// The links to the subresources `names` of the instance at `base` (its v1 `url`, or its 2010
/// `uri`): `…/IpAccessControlLists` in v1, `…/IpAddresses.json` in 2010.
fn links(base: &str, names: &[Str]) -> Value {
    let (stem, suffix) = match base.strip_suffix(".json") {
        Some(stem) => (stem, ".json"),
        None => (base, ""),
    };
    names
        .iter()
        .map(|name| {
            let segment: String = name
                .split('_')
                .flat_map(|word| {
                    let mut chars = word.chars();
                    chars
                        .next()
                        .map(|first| first.to_ascii_uppercase())
                        .into_iter()
                        .chain(chars)
                })
                .collect();
            (
                name.to_string(),
                Value::from(format!("{stem}/{segment}{suffix}")),
            )
        })
        .collect::<Map<String, Value>>()
        .into()
}

/// `2020-03-18T23:31:36Z` (v1) or `Mon, 20 Jul 2015 17:27:10 +0000` (2010).
fn date_value(date: &DateTime<Utc>, format: DateFormat) -> Value {
    Value::from(match format {
        DateFormat::Iso8601 => date.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        DateFormat::Rfc2822 => Rfc2822DateTime(*date).to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::table::{SIP_DOMAIN, SIP_IP_ACCESS_CONTROL_LIST, SIP_IP_ADDRESS, TRUNK};

    const BASE: &str = "http://127.0.0.1:9";
    const FORM: &str = "application/x-www-form-urlencoded";

    struct World {
        store: Mutex<Store>,
        account: String,
    }

    impl World {
        fn new() -> Self {
            let store = Store::new(None, None);
            let account = store.main_account().to_owned();
            Self {
                store: Mutex::new(store),
                account,
            }
        }

        fn seed(&self, resource: &'static Resource, values: &[(&str, &str)]) -> String {
            let values = values
                .iter()
                .map(|(k, v)| (k.to_string(), Value::from(*v)))
                .collect();
            lock(&self.store).seed(resource, values)
        }

        fn call(&self, method: Method, path: &str, body: &str) -> Result<Reply, TwilioError> {
            let (path, query) = match path.split_once('?') {
                Some((path, query)) => (path, Some(query)),
                None => (path, None),
            };
            let call = Call {
                caller: &self.account,
                base_url: BASE,
                method: &method,
                path,
                query,
                content_type: Some(FORM),
                body: body.as_bytes(),
            };
            handle(&self.store, &call)
        }

        #[track_caller]
        fn ok(&self, method: Method, path: &str, body: &str) -> Value {
            match self.call(method, path, body) {
                Ok(reply) => reply.body.unwrap_or(Value::Null),
                Err(e) => panic!("{path}: {e:?}"),
            }
        }

        #[track_caller]
        fn err(&self, method: Method, path: &str, body: &str) -> (u16, u32, String) {
            let e = self.call(method, path, body).unwrap_err();
            (e.status.as_u16(), e.code, e.message)
        }

        fn api(&self, rest: &str) -> String {
            format!("/2010-04-01/Accounts/{}{rest}", self.account)
        }
    }

    #[test]
    fn dates() {
        let date = DateTime::from_timestamp(1_437_413_230, 0).unwrap();
        assert_eq!(
            date_value(&date, DateFormat::Iso8601),
            "2015-07-20T17:27:10Z"
        );
        assert_eq!(
            date_value(&date, DateFormat::Rfc2822),
            "Mon, 20 Jul 2015 17:27:10 +0000"
        );
    }

    fn is_rfc2822(value: &Value) -> bool {
        value.as_str().is_some_and(|d| {
            chrono::DateTime::parse_from_rfc2822(d).is_ok() && d.ends_with(" +0000")
        })
    }

    #[test]
    fn renders_a_v1_resource() {
        let w = World::new();
        let created = w.call(
            Method::POST,
            "/v1/IpRecords",
            "IpAddress=203.0.113.10&FriendlyName=sbc",
        );
        let created = created.unwrap();
        assert_eq!(created.status, StatusCode::CREATED);
        let body = created.body.unwrap();
        let sid = body["sid"].as_str().unwrap().to_owned();
        let keys: Vec<&str> = body
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "account_sid",
                "cidr_prefix_length",
                "date_created",
                "date_updated",
                "friendly_name",
                "ip_address",
                "sid",
                "url"
            ]
        );
        assert!(sid.starts_with("IL") && sid.len() == 34);
        assert_eq!(body["account_sid"], w.account.as_str());
        assert_eq!(body["cidr_prefix_length"], 32, "the default is stored");
        assert_eq!(body["friendly_name"], "sbc");
        assert_eq!(body["url"], format!("{BASE}/v1/IpRecords/{sid}"));
        let date = body["date_created"].as_str().unwrap();
        assert!(date.len() == 20 && date.ends_with('Z'), "{date}");
        assert_eq!(w.ok(Method::GET, &format!("/v1/IpRecords/{sid}"), ""), body);

        // A trunk's list: trunk_sid from the path, friendly_name from the linked list.
        let trunk = w.seed(TRUNK, &[("friendly_name", "t")]);
        let acl = w.seed(SIP_IP_ACCESS_CONTROL_LIST, &[("friendly_name", "office")]);
        let path = format!("/v1/Trunks/{trunk}/IpAccessControlLists");
        let association = w.ok(
            Method::POST,
            &path,
            &format!("IpAccessControlListSid={acl}"),
        );
        assert_eq!(association["sid"], acl.as_str());
        assert_eq!(association["trunk_sid"], trunk.as_str());
        assert_eq!(association["friendly_name"], "office");
        assert_eq!(association["url"], format!("{BASE}{path}/{acl}"));
        assert_eq!(association.as_object().unwrap().len(), 7);
        // A renamed list shows its new name through the association.
        w.ok(
            Method::POST,
            &w.api(&format!("/SIP/IpAccessControlLists/{acl}.json")),
            "FriendlyName=renamed",
        );
        let listed = w.ok(Method::GET, &path, "");
        assert_eq!(
            listed["ip_access_control_lists"][0]["friendly_name"],
            "renamed"
        );
        assert_eq!(listed["meta"]["key"], "ip_access_control_lists");
        assert_eq!(
            listed["meta"]["url"],
            format!("{BASE}{path}?PageSize=50&Page=0")
        );

        let trunk_body = w.ok(Method::GET, &format!("/v1/Trunks/{trunk}"), "");
        assert_eq!(trunk_body["friendly_name"], "t");
        assert_eq!(trunk_body["secure"], Value::Null);
        assert_eq!(trunk_body["url"], format!("{BASE}/v1/Trunks/{trunk}"));
        assert_eq!(
            trunk_body["links"]["ip_access_control_lists"],
            format!("{BASE}/v1/Trunks/{trunk}/IpAccessControlLists")
        );
        assert_eq!(
            trunk_body["links"]["origination_urls"],
            format!("{BASE}/v1/Trunks/{trunk}/OriginationUrls")
        );
    }

    #[test]
    fn renders_a_2010_resource() {
        let w = World::new();
        let acl = w.seed(SIP_IP_ACCESS_CONTROL_LIST, &[("friendly_name", "office")]);
        let path = w.api(&format!("/SIP/IpAccessControlLists/{acl}/IpAddresses.json"));
        let created = w.ok(Method::POST, &path, "FriendlyName=desk&IpAddress=192.0.2.1");
        let sid = created["sid"].as_str().unwrap().to_owned();
        let keys: Vec<&str> = created
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "account_sid",
                "cidr_prefix_length",
                "date_created",
                "date_updated",
                "friendly_name",
                "ip_access_control_list_sid",
                "ip_address",
                "sid",
                "uri"
            ]
        );
        assert!(sid.starts_with("IP"));
        assert_eq!(created["ip_access_control_list_sid"], acl.as_str());
        assert_eq!(created["cidr_prefix_length"], 32);
        assert!(is_rfc2822(&created["date_created"]), "{created}");
        let uri = w.api(&format!(
            "/SIP/IpAccessControlLists/{acl}/IpAddresses/{sid}.json"
        ));
        assert_eq!(created["uri"], uri.as_str());

        let updated = w.ok(Method::POST, &uri, "CidrPrefixLength=24&FriendlyName=");
        assert_eq!(updated["cidr_prefix_length"], 24);
        assert_eq!(
            updated["friendly_name"], "",
            "an empty optional name clears it"
        );
        assert_eq!(updated["ip_address"], "192.0.2.1");

        let listed = w.ok(Method::GET, &path, "");
        assert_eq!(listed["ip_addresses"][0], updated);
        assert_eq!(listed["uri"], format!("{path}?PageSize=50&Page=0"));
        assert_eq!(listed["end"], 0);

        // The list itself, a new 2010 resource.
        let list = w.ok(
            Method::GET,
            &w.api(&format!("/SIP/IpAccessControlLists/{acl}.json")),
            "",
        );
        assert_eq!(list["friendly_name"], "office");
        assert_eq!(
            list["subresource_uris"],
            serde_json::json!({
                "ip_addresses": w.api(&format!("/SIP/IpAccessControlLists/{acl}/IpAddresses.json"))
            })
        );
        assert_eq!(
            list["uri"],
            w.api(&format!("/SIP/IpAccessControlLists/{acl}.json"))
                .as_str()
        );
        let lists = w.ok(Method::GET, &w.api("/SIP/IpAccessControlLists.json"), "");
        assert_eq!(
            lists["ip_access_control_lists"].as_array().map(Vec::len),
            Some(1)
        );
    }

    #[test]
    fn read_only_resources_and_undeclared_operations_answer_405() {
        let w = World::new();
        let trunk = w.seed(TRUNK, &[]);
        let domain = w.seed(SIP_DOMAIN, &[]);
        for (method, path) in [
            (Method::POST, "/v1/Trunks".to_owned()),
            (Method::POST, format!("/v1/Trunks/{trunk}")),
            (Method::DELETE, format!("/v1/Trunks/{trunk}")),
            (Method::POST, w.api("/SIP/Domains.json")),
            (
                Method::DELETE,
                w.api(&format!("/SIP/Domains/{domain}.json")),
            ),
            // No update on an association.
            (
                Method::POST,
                format!(
                    "/v1/Trunks/{trunk}/IpAccessControlLists/AL{}",
                    "0".repeat(32)
                ),
            ),
            (Method::PUT, "/v1/IpRecords".to_owned()),
        ] {
            assert_eq!(
                w.err(method, &path, "FriendlyName=x"),
                (405, 20004, "Method not allowed".to_owned()),
                "{path}"
            );
        }
        assert_eq!(w.err(Method::GET, "/v1/Nope", "").0, 404);
        let domains = w.ok(Method::GET, &w.api("/SIP/Domains.json"), "");
        assert_eq!(domains["domains"][0]["sid"], domain.as_str());
    }

    #[test]
    fn an_association_is_made_once_per_parent() {
        let w = World::new();
        let domain = w.seed(SIP_DOMAIN, &[]);
        let acl = w.seed(SIP_IP_ACCESS_CONTROL_LIST, &[("friendly_name", "office")]);
        let path = w.api(&format!(
            "/SIP/Domains/{domain}/Auth/Calls/IpAccessControlListMappings.json"
        ));
        let form = format!("IpAccessControlListSid={acl}");
        let mapping = w.ok(Method::POST, &path, &form);
        assert_eq!(mapping["sid"], acl.as_str());
        assert_eq!(mapping["friendly_name"], "office");
        assert!(is_rfc2822(&mapping["date_updated"]));
        assert_eq!(
            w.err(Method::POST, &path, &form),
            (
                400,
                20001,
                format!(
                    "Invalid IpAccessControlListSid: IpAccessControlList {acl} is already associated with SIP Domain {domain}"
                )
            )
        );
        let missing = format!("AL{}", "0".repeat(32));
        assert_eq!(
            w.err(
                Method::POST,
                &path,
                &format!("IpAccessControlListSid={missing}")
            ),
            (
                400,
                20001,
                format!(
                    "Invalid IpAccessControlListSid: IpAccessControlList {missing} does not exist"
                )
            )
        );
        // The same list under another domain is another association.
        let other = w.seed(SIP_DOMAIN, &[]);
        let other_path = path.replace(&domain, &other);
        assert!(w.call(Method::POST, &other_path, &form).is_ok());
        let listed = w.ok(Method::GET, &path, "");
        assert_eq!(listed["contents"].as_array().map(Vec::len), Some(1));
        // An unknown domain is a 404 for the path.
        let unknown = path.replace(&domain, &format!("SD{}", "0".repeat(32)));
        assert_eq!(w.err(Method::GET, &unknown, "").0, 404);
    }

    #[test]
    fn a_linked_list_cannot_be_deleted_and_takes_its_addresses_with_it() {
        let w = World::new();
        let trunk = w.seed(TRUNK, &[]);
        let domain = w.seed(SIP_DOMAIN, &[]);
        let acl = w.ok(
            Method::POST,
            &w.api("/SIP/IpAccessControlLists.json"),
            "FriendlyName=office",
        )["sid"]
            .as_str()
            .unwrap()
            .to_owned();
        let instance = w.api(&format!("/SIP/IpAccessControlLists/{acl}.json"));
        let addresses = w.api(&format!("/SIP/IpAccessControlLists/{acl}/IpAddresses.json"));
        w.ok(
            Method::POST,
            &addresses,
            "FriendlyName=a&IpAddress=192.0.2.1",
        );
        let form = format!("IpAccessControlListSid={acl}");
        let trunk_path = format!("/v1/Trunks/{trunk}/IpAccessControlLists");
        let domain_path = w.api(&format!(
            "/SIP/Domains/{domain}/Auth/Calls/IpAccessControlListMappings.json"
        ));
        w.ok(Method::POST, &trunk_path, &form);
        w.ok(Method::POST, &domain_path, &form);

        // The associations are named in spec file order: the domain mapping's file comes first.
        assert_eq!(
            w.err(Method::DELETE, &instance, ""),
            (
                400,
                20001,
                format!(
                    "IpAccessControlList {acl} cannot be deleted while it is associated with SIP Domain {domain}; remove the association first"
                )
            )
        );
        w.ok(
            Method::DELETE,
            &domain_path.replace("Mappings.json", &format!("Mappings/{acl}.json")),
            "",
        );
        // Removing the association leaves the list and its addresses alone.
        let kept = w.ok(Method::GET, &addresses, "");
        assert_eq!(kept["ip_addresses"].as_array().map(Vec::len), Some(1));
        assert_eq!(w.ok(Method::GET, &instance, "")["friendly_name"], "office");
        assert_eq!(
            w.err(Method::DELETE, &instance, "").2,
            format!(
                "IpAccessControlList {acl} cannot be deleted while it is associated with Trunk {trunk}; remove the association first"
            )
        );
        w.ok(Method::DELETE, &format!("{trunk_path}/{acl}"), "");
        let deleted = w.call(Method::DELETE, &instance, "").unwrap();
        assert_eq!(
            (deleted.status, deleted.body),
            (StatusCode::NO_CONTENT, None)
        );
        // Its addresses went with it: the path names nothing now, and nothing is left behind.
        assert_eq!(w.err(Method::GET, &addresses, "").0, 404);
        let store = lock(&w.store);
        let account = store.account(&w.account).unwrap();
        assert!(account.records(SIP_IP_ADDRESS).is_empty());
    }

    #[test]
    fn validation_references_and_the_address_limit() {
        let w = World::new();
        let domain = w.seed(SIP_DOMAIN, &[]);
        let missing_record = format!("IL{}", "0".repeat(32));
        assert_eq!(
            w.err(
                Method::POST,
                "/v1/SourceIpMappings",
                &format!("IpRecordSid={missing_record}&SipDomainSid={domain}")
            )
            .2,
            format!("Invalid IpRecordSid: IpRecord {missing_record} does not exist")
        );
        let acl = w.seed(SIP_IP_ACCESS_CONTROL_LIST, &[("friendly_name", "x")]);
        let path = w.api(&format!("/SIP/IpAccessControlLists/{acl}/IpAddresses.json"));
        for i in 0..crate::MAX_ADDRESSES_PER_LIST {
            w.ok(
                Method::POST,
                &path,
                &format!("FriendlyName=a&IpAddress=10.0.0.{}", i % 250),
            );
        }
        assert_eq!(
            w.err(Method::POST, &path, "FriendlyName=a&IpAddress=10.0.1.1"),
            (
                400,
                20001,
                format!("IpAccessControlList {acl} already holds the maximum of 100 IpAddresses")
            )
        );
        // Field errors come before the limit; a required field is checked on update too.
        assert_eq!(
            w.err(Method::POST, &path, "IpAddress=10.0.1.1").2,
            "Missing required parameter FriendlyName in the post body"
        );
        let list = w.api(&format!("/SIP/IpAccessControlLists/{acl}.json"));
        assert_eq!(
            w.err(Method::POST, &list, "FriendlyName=").2,
            "Missing required parameter FriendlyName in the post body"
        );
        // Another account's 2010 path is not found.
        let other = path.replace(&w.account, &format!("AC{}", "b".repeat(32)));
        assert_eq!(w.err(Method::GET, &other, "").0, 404);
    }
}
