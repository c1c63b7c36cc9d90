//! The handlers of the 19 operations. Authentication, body parsing, parameter checks, paging
//! and error bodies are shared (see the sibling modules); each handler states what its resource
//! stores and which rules it enforces.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::Value;

use super::{
    errors::TwilioError,
    form::Form,
    paging::{Listed, Paging, Selection},
    server::{Ctx, Params},
    state::{
        Account, Acl, Dates, IpRecord, MAX_ADDRESSES_PER_LIST, SipIpAddress, SourceIpMapping,
        Store, TrunkAcl, find, find_mut, remove,
    },
};
use crate::sid::kind;

type Reply = Result<Response, TwilioError>;

fn created(body: Value) -> Response {
    (StatusCode::CREATED, Json(body)).into_response()
}

fn ok(body: Value) -> Response {
    Json(body).into_response()
}

/// 204 with an empty body.
fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// One page of `items`, rendered.
fn page<T: Listed>(
    store: &Store,
    paging: &Paging,
    items: &[T],
    prefix: &str,
    render: impl Fn(&T) -> Value,
) -> Result<(Selection, Vec<Value>), TwilioError> {
    let selection = paging.select(items, prefix, |sid| store.seq_of(sid))?;
    let shown = items.get(selection.range.clone()).unwrap_or_default();
    Ok((selection, shown.iter().map(render).collect()))
}

// ---------------------------------------------------------------------------------------------
// Voice v1: IpRecords and SourceIpMappings, owned directly by the account. List, fetch and
// delete are the same for both.

/// A Voice v1 resource owned directly by the account.
pub(crate) trait TopLevel: Listed + Send + Sized + 'static {
    /// The SID prefix.
    const PREFIX: &'static str;
    /// The list envelope's key.
    const KEY: &'static str;
    /// The list path.
    const PATH: &'static str;
    fn items(account: &Account) -> &[Self];
    fn items_mut(account: &mut Account) -> &mut Vec<Self>;
    fn render(&self, account_sid: &str, base_url: &str) -> Value;
}

impl TopLevel for IpRecord {
    const PREFIX: &'static str = "IL";
    const KEY: &'static str = "ip_records";
    const PATH: &'static str = "/v1/IpRecords";
    fn items(account: &Account) -> &[Self] {
        &account.ip_records
    }
    fn items_mut(account: &mut Account) -> &mut Vec<Self> {
        &mut account.ip_records
    }
    fn render(&self, account_sid: &str, base_url: &str) -> Value {
        self.json(account_sid, base_url)
    }
}

impl TopLevel for SourceIpMapping {
    const PREFIX: &'static str = "IB";
    const KEY: &'static str = "source_ip_mappings";
    const PATH: &'static str = "/v1/SourceIpMappings";
    fn items(account: &Account) -> &[Self] {
        &account.source_ip_mappings
    }
    fn items_mut(account: &mut Account) -> &mut Vec<Self> {
        &mut account.source_ip_mappings
    }
    fn render(&self, _account_sid: &str, base_url: &str) -> Value {
        self.json(base_url)
    }
}

pub(crate) async fn list<R: TopLevel>(ctx: Ctx, paging: Paging) -> Reply {
    let store = ctx.store();
    let items = R::items(store.account(&ctx.account)?);
    let (selection, shown) = page(&store, &paging, items, R::PREFIX, |item| {
        item.render(&ctx.account, ctx.base_url())
    })?;
    Ok(ok(paging.v1_envelope(
        R::KEY,
        ctx.base_url(),
        R::PATH,
        &selection,
        shown,
    )))
}

pub(crate) async fn fetch<R: TopLevel>(ctx: Ctx, Params(sid): Params<String>) -> Reply {
    let store = ctx.store();
    let item = find(R::items(store.account(&ctx.account)?), &sid).ok_or_else(|| ctx.not_found())?;
    Ok(ok(item.render(&ctx.account, ctx.base_url())))
}

pub(crate) async fn delete<R: TopLevel>(ctx: Ctx, Params(sid): Params<String>) -> Reply {
    let mut store = ctx.store();
    if !remove(R::items_mut(store.account_mut(&ctx.account)?), &sid) {
        return Err(ctx.not_found());
    }
    Ok(no_content())
}

/// `IpAddress` (required), `FriendlyName`, `CidrPrefixLength` (default 32).
pub(crate) async fn create_ip_record(ctx: Ctx, form: Form) -> Reply {
    let ip_address = form.ip_address()?;
    let friendly_name = form.optional_friendly_name()?;
    let cidr_prefix_length = form.cidr_prefix_length()?.unwrap_or(32);
    let mut store = ctx.store();
    let (sid, seq) = store.mint(IpRecord::PREFIX);
    let record = IpRecord {
        seq,
        sid,
        friendly_name,
        ip_address,
        cidr_prefix_length,
        dates: Dates::new(),
    };
    let body = record.json(&ctx.account, ctx.base_url());
    store.account_mut(&ctx.account)?.ip_records.push(record);
    Ok(created(body))
}

/// `FriendlyName`.
pub(crate) async fn update_ip_record(ctx: Ctx, Params(sid): Params<String>, form: Form) -> Reply {
    let mut store = ctx.store();
    let record = find_mut(&mut store.account_mut(&ctx.account)?.ip_records, &sid)
        .ok_or_else(|| ctx.not_found())?;
    if let Some(name) = form.optional_friendly_name()? {
        record.friendly_name = Some(name);
    }
    record.dates.touch();
    Ok(ok(record.json(&ctx.account, ctx.base_url())))
}

/// Checks that `sip_domain_sid` names a SIP domain of the account.
fn check_sip_domain(account: &Account, sip_domain_sid: &str) -> Result<(), TwilioError> {
    if !account.sip_domains.iter().any(|d| d == sip_domain_sid) {
        return Err(TwilioError::invalid(
            "SipDomainSid",
            &format!("SIP Domain {sip_domain_sid} does not exist"),
        ));
    }
    Ok(())
}

/// `IpRecordSid` and `SipDomainSid` (both required, both must exist).
pub(crate) async fn create_source_ip_mapping(ctx: Ctx, form: Form) -> Reply {
    let ip_record_sid = form.sid::<kind::IpRecord>("IpRecordSid")?.to_string();
    let sip_domain_sid = form.sid::<kind::SipDomain>("SipDomainSid")?.to_string();
    let mut store = ctx.store();
    let account = store.account(&ctx.account)?;
    if find(&account.ip_records, &ip_record_sid).is_none() {
        return Err(TwilioError::invalid(
            "IpRecordSid",
            &format!("IpRecord {ip_record_sid} does not exist"),
        ));
    }
    check_sip_domain(account, &sip_domain_sid)?;
    let (sid, seq) = store.mint(SourceIpMapping::PREFIX);
    let mapping = SourceIpMapping {
        seq,
        sid,
        ip_record_sid,
        sip_domain_sid,
        dates: Dates::new(),
    };
    let body = mapping.json(ctx.base_url());
    store
        .account_mut(&ctx.account)?
        .source_ip_mappings
        .push(mapping);
    Ok(created(body))
}

/// `SipDomainSid` (required, must exist).
pub(crate) async fn update_source_ip_mapping(
    ctx: Ctx,
    Params(sid): Params<String>,
    form: Form,
) -> Reply {
    let mut store = ctx.store();
    let account = store.account_mut(&ctx.account)?;
    if find(&account.source_ip_mappings, &sid).is_none() {
        return Err(ctx.not_found());
    }
    let sip_domain_sid = form.sid::<kind::SipDomain>("SipDomainSid")?.to_string();
    check_sip_domain(account, &sip_domain_sid)?;
    let mapping = find_mut(&mut account.source_ip_mappings, &sid).ok_or_else(|| ctx.not_found())?;
    mapping.sip_domain_sid = sip_domain_sid;
    mapping.dates.touch();
    Ok(ok(mapping.json(ctx.base_url())))
}

// ---------------------------------------------------------------------------------------------
// Trunking v1: the IP access control lists associated with a trunk of the account.

fn friendly_name_of<'a>(account: &'a Account, acl_sid: &str) -> &'a str {
    account
        .acl(acl_sid)
        .map(|acl| acl.friendly_name.as_str())
        .unwrap_or_default()
}

/// `IpAccessControlListSid` (required): an existing list of the account, not yet associated.
pub(crate) async fn create_trunk_acl(
    ctx: Ctx,
    Params(trunk_sid): Params<String>,
    form: Form,
) -> Reply {
    let mut store = ctx.store();
    let account = store.account(&ctx.account)?;
    let trunk = account.trunk(&trunk_sid).ok_or_else(|| ctx.not_found())?;
    let acl_sid = form
        .sid::<kind::IpAccessControlList>("IpAccessControlListSid")?
        .to_string();
    let Some(acl) = account.acl(&acl_sid) else {
        let reason = format!("IpAccessControlList {acl_sid} does not exist");
        return Err(TwilioError::invalid("IpAccessControlListSid", &reason));
    };
    if find(&trunk.acls, &acl_sid).is_some() {
        let reason =
            format!("IpAccessControlList {acl_sid} is already associated with Trunk {trunk_sid}");
        return Err(TwilioError::invalid("IpAccessControlListSid", &reason));
    }
    let friendly_name = acl.friendly_name.clone();
    let seq = store.next_seq();
    let association = TrunkAcl {
        seq,
        acl_sid,
        dates: Dates::new(),
    };
    let body = association.json(&ctx.account, &trunk_sid, &friendly_name, ctx.base_url());
    let trunk = store
        .account_mut(&ctx.account)?
        .trunk_mut(&trunk_sid)
        .ok_or_else(|| ctx.not_found())?;
    trunk.acls.push(association);
    Ok(created(body))
}

pub(crate) async fn list_trunk_acls(
    ctx: Ctx,
    Params(trunk_sid): Params<String>,
    paging: Paging,
) -> Reply {
    let store = ctx.store();
    let account = store.account(&ctx.account)?;
    let trunk = account.trunk(&trunk_sid).ok_or_else(|| ctx.not_found())?;
    let (selection, shown) = page(&store, &paging, &trunk.acls, "AL", |association| {
        let friendly_name = friendly_name_of(account, &association.acl_sid);
        association.json(&ctx.account, &trunk_sid, friendly_name, ctx.base_url())
    })?;
    let path = format!("/v1/Trunks/{trunk_sid}/IpAccessControlLists");
    Ok(ok(paging.v1_envelope(
        "ip_access_control_lists",
        ctx.base_url(),
        &path,
        &selection,
        shown,
    )))
}

pub(crate) async fn fetch_trunk_acl(
    ctx: Ctx,
    Params((trunk_sid, sid)): Params<(String, String)>,
) -> Reply {
    let store = ctx.store();
    let account = store.account(&ctx.account)?;
    let trunk = account.trunk(&trunk_sid).ok_or_else(|| ctx.not_found())?;
    let association = find(&trunk.acls, &sid).ok_or_else(|| ctx.not_found())?;
    let friendly_name = friendly_name_of(account, &sid);
    Ok(ok(association.json(
        &ctx.account,
        &trunk_sid,
        friendly_name,
        ctx.base_url(),
    )))
}

/// Dissociates the list from the trunk; the list itself stays.
pub(crate) async fn delete_trunk_acl(
    ctx: Ctx,
    Params((trunk_sid, sid)): Params<(String, String)>,
) -> Reply {
    let mut store = ctx.store();
    let trunk = store
        .account_mut(&ctx.account)?
        .trunk_mut(&trunk_sid)
        .ok_or_else(|| ctx.not_found())?;
    if !remove(&mut trunk.acls, &sid) {
        return Err(ctx.not_found());
    }
    Ok(no_content())
}

// ---------------------------------------------------------------------------------------------
// Api 2010-04-01: the IP addresses of a SIP IP access control list. `{AccountSid}` must be the
// authenticated account or one of its subaccounts, and the list must belong to it.

/// The list a 2010 path names, if the caller may see it.
fn acl<'a>(
    store: &'a Store,
    ctx: &Ctx,
    account_sid: &str,
    acl_sid: &str,
) -> Result<&'a Acl, TwilioError> {
    if !store.may_act_for(&ctx.account, account_sid) {
        return Err(ctx.not_found());
    }
    store
        .account(account_sid)
        .ok()
        .and_then(|a| a.acl(acl_sid))
        .ok_or_else(|| ctx.not_found())
}

fn acl_mut<'a>(
    store: &'a mut Store,
    ctx: &Ctx,
    account_sid: &str,
    acl_sid: &str,
) -> Result<&'a mut Acl, TwilioError> {
    if !store.may_act_for(&ctx.account, account_sid) {
        return Err(ctx.not_found());
    }
    store
        .account_mut(account_sid)
        .ok()
        .and_then(|a| a.acl_mut(acl_sid))
        .ok_or_else(|| ctx.not_found())
}

/// `{Sid}.json` → `{Sid}`.
fn address_sid(ctx: &Ctx, file: &str) -> Result<String, TwilioError> {
    file.strip_suffix(".json")
        .map(str::to_owned)
        .ok_or_else(|| ctx.not_found())
}

/// `FriendlyName` and `IpAddress` (required), `CidrPrefixLength` (default 32); at most 100
/// addresses per list.
pub(crate) async fn create_sip_address(
    ctx: Ctx,
    Params((account_sid, acl_sid)): Params<(String, String)>,
    form: Form,
) -> Reply {
    let mut store = ctx.store();
    let count = acl(&store, &ctx, &account_sid, &acl_sid)?.addresses.len();
    let friendly_name = form.friendly_name()?;
    let ip_address = form.ip_address()?;
    let cidr_prefix_length = form.cidr_prefix_length()?.unwrap_or(32);
    if count >= MAX_ADDRESSES_PER_LIST {
        return Err(TwilioError::rule(format!(
            "IpAccessControlList {acl_sid} already holds the maximum of {MAX_ADDRESSES_PER_LIST} IpAddresses"
        )));
    }
    let (sid, seq) = store.mint("IP");
    let address = SipIpAddress {
        seq,
        sid,
        friendly_name,
        ip_address,
        cidr_prefix_length,
        dates: Dates::new(),
    };
    let body = address.json(&account_sid, &acl_sid);
    acl_mut(&mut store, &ctx, &account_sid, &acl_sid)?
        .addresses
        .push(address);
    Ok(created(body))
}

pub(crate) async fn list_sip_addresses(
    ctx: Ctx,
    Params((account_sid, acl_sid)): Params<(String, String)>,
    paging: Paging,
) -> Reply {
    let store = ctx.store();
    let list = acl(&store, &ctx, &account_sid, &acl_sid)?;
    let (selection, shown) = page(&store, &paging, &list.addresses, "IP", |a| {
        a.json(&account_sid, &acl_sid)
    })?;
    let path = format!(
        "/2010-04-01/Accounts/{account_sid}/SIP/IpAccessControlLists/{acl_sid}/IpAddresses.json"
    );
    Ok(ok(paging.v2010_envelope(
        "ip_addresses",
        &path,
        &selection,
        shown,
    )))
}

pub(crate) async fn fetch_sip_address(
    ctx: Ctx,
    Params((account_sid, acl_sid, file)): Params<(String, String, String)>,
) -> Reply {
    let sid = address_sid(&ctx, &file)?;
    let store = ctx.store();
    let address = find(&acl(&store, &ctx, &account_sid, &acl_sid)?.addresses, &sid)
        .ok_or_else(|| ctx.not_found())?;
    Ok(ok(address.json(&account_sid, &acl_sid)))
}

/// `FriendlyName`, `IpAddress`, `CidrPrefixLength`, all optional.
pub(crate) async fn update_sip_address(
    ctx: Ctx,
    Params((account_sid, acl_sid, file)): Params<(String, String, String)>,
    form: Form,
) -> Reply {
    let sid = address_sid(&ctx, &file)?;
    let mut store = ctx.store();
    let list = acl_mut(&mut store, &ctx, &account_sid, &acl_sid)?;
    let address = find_mut(&mut list.addresses, &sid).ok_or_else(|| ctx.not_found())?;
    let friendly_name = form.optional_friendly_name()?;
    let ip_address = form.optional_ip_address()?;
    let cidr_prefix_length = form.cidr_prefix_length()?;
    if let Some(name) = friendly_name {
        address.friendly_name = name;
    }
    if let Some(ip) = ip_address {
        address.ip_address = ip;
    }
    if let Some(length) = cidr_prefix_length {
        address.cidr_prefix_length = length;
    }
    address.dates.touch();
    Ok(ok(address.json(&account_sid, &acl_sid)))
}

pub(crate) async fn delete_sip_address(
    ctx: Ctx,
    Params((account_sid, acl_sid, file)): Params<(String, String, String)>,
) -> Reply {
    let sid = address_sid(&ctx, &file)?;
    let mut store = ctx.store();
    if !remove(
        &mut acl_mut(&mut store, &ctx, &account_sid, &acl_sid)?.addresses,
        &sid,
    ) {
        return Err(ctx.not_found());
    }
    Ok(no_content())
}
