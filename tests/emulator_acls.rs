//! The emulator's SIP IP access control lists, their trunk associations and SIP domain mappings,
//! and the read-only trunks and SIP domains, through the client (and raw HTTP where the wire
//! itself is the point). Everything here talks to 127.0.0.1 only.

#![cfg(feature = "mock")]

use futures_util::TryStreamExt;
use serde_json::Value;
use twilio_ip_access::{mock::MockTwilio, reqwest::Method};

mod common;

use common::emulator::{assert_api_error, assert_twilio_error, call};

// ---------------------------------------------------------------------------------------------
// Helpers

fn sip(account: &str, rest: &str) -> String {
    format!("/2010-04-01/Accounts/{account}/SIP/{rest}")
}

/// A well-formed SID of no record.
fn unknown(prefix: &str) -> String {
    format!("{prefix}{}", "0".repeat(32))
}

/// The query parameters of every request logged since the last `clear_requests`.
fn logged_queries(mock: &MockTwilio) -> Vec<(String, Vec<(String, String)>)> {
    mock.requests()
        .into_iter()
        .map(|r| {
            let query = url::form_urlencoded::parse(r.query.unwrap_or_default().as_bytes())
                .into_owned()
                .collect();
            (r.path, query)
        })
        .collect()
}

fn query_value<'q>(query: &'q [(String, String)], name: &str) -> Option<&'q str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// An RFC 2822 date as Twilio writes it: parseable, in GMT, `+0000`.
#[track_caller]
fn assert_rfc2822(date: &Value) {
    let text = date
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {date}"));
    assert!(
        chrono::DateTime::parse_from_rfc2822(text).is_ok() && text.ends_with(" +0000"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// SIP IP access control lists

#[tokio::test]
async fn sip_ip_access_control_list_lifecycle() {
    let mock = MockTwilio::start().await;
    let client = mock.client();
    let lists = client.sip_ip_access_control_lists();
    let account = mock.account_sid().to_string();

    assert!(lists.list().collect().await.unwrap().is_empty());
    let created = lists.create("office").await.unwrap();
    let sid = created.sid.clone();
    assert!(sid.as_str().starts_with("AL"), "{sid}");
    assert_eq!(&created.account_sid, mock.account_sid());
    assert_eq!(created.friendly_name.as_deref(), Some("office"));
    assert_eq!(
        created.uri,
        sip(&account, &format!("IpAccessControlLists/{sid}.json"))
    );
    assert_eq!(created.date_created, created.date_updated);

    // On the wire: RFC 2822 dates and the relative `uri`, as the 2010 API sends them.
    let raw = call(&mock, Method::GET, &created.uri, &[]).await;
    assert_eq!(raw.status, 200, "{}", raw.text);
    assert_rfc2822(&raw.body["date_created"]);
    assert_rfc2822(&raw.body["date_updated"]);
    assert_eq!(raw.body["uri"], created.uri.as_str());
    assert_eq!(raw.body["sid"], sid.as_str());

    let fetched = lists.fetch(&sid).await.unwrap();
    assert_eq!(fetched, created);

    let renamed = lists.update(&sid, "head office").await.unwrap();
    assert_eq!(renamed.friendly_name.as_deref(), Some("head office"));
    assert_eq!(renamed.date_created, created.date_created);
    assert!(renamed.date_updated >= created.date_updated);
    assert_eq!(lists.fetch(&sid).await.unwrap(), renamed);

    for name in ["lab", "branch"] {
        lists.create(name).await.unwrap();
    }
    let names: Vec<_> = lists
        .list()
        .collect()
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.friendly_name.unwrap())
        .collect();
    assert_eq!(names, ["head office", "lab", "branch"], "creation order");

    lists.delete(&sid).await.unwrap();
    let err = lists.fetch(&sid).await.unwrap_err();
    assert_api_error(
        &err,
        404,
        20404,
        &format!(
            "The requested resource {} was not found",
            sip(&account, &format!("IpAccessControlLists/{sid}.json"))
        ),
    );
    assert_eq!(lists.delete(&sid).await.unwrap_err().code(), Some(20404));
    assert_eq!(
        lists.update(&sid, "x").await.unwrap_err().code(),
        Some(20404)
    );
    assert_eq!(lists.list().collect().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_list_name_is_required_and_bounded() {
    let mock = MockTwilio::start().await;
    let path = sip(mock.account_sid().as_str(), "IpAccessControlLists.json");
    for form in [vec![], vec![("FriendlyName", "")]] {
        let answer = call(&mock, Method::POST, &path, &form).await;
        assert_twilio_error(
            &answer,
            400,
            20001,
            "Missing required parameter FriendlyName in the post body",
        );
    }
    let long = "n".repeat(256);
    let answer = call(&mock, Method::POST, &path, &[("FriendlyName", &long)]).await;
    assert_twilio_error(
        &answer,
        400,
        20001,
        "Invalid FriendlyName: must be at most 255 characters",
    );
    // The client checks the same bounds before sending.
    mock.clear_requests();
    let lists = mock.client().sip_ip_access_control_lists();
    assert!(lists.create(long.clone()).await.is_err());
    assert!(lists.create("").await.is_err());
    assert!(mock.requests().is_empty(), "nothing was sent");
    assert!(lists.list().collect().await.unwrap().is_empty());
}

#[tokio::test]
async fn lists_of_a_subaccount_through_account() {
    let mock = MockTwilio::start().await;
    let client = mock.client();
    let (sub, token) = mock.add_subaccount();

    // The main account acts on its subaccount's lists with `.account(..)`.
    let created = client
        .sip_ip_access_control_lists()
        .account(&sub)
        .create("sub office")
        .await
        .unwrap();
    assert_eq!(created.account_sid, sub);
    assert_eq!(
        created.uri,
        sip(
            sub.as_str(),
            &format!("IpAccessControlLists/{}.json", created.sid)
        )
    );
    let address = client
        .sip_ip_access_control_list(&created.sid)
        .account(&sub)
        .ip_addresses()
        .create("desk", "192.0.2.10")
        .await
        .unwrap();
    assert_eq!(address.account_sid, sub);

    // The subaccount's own client sees the list; the main account's lists do not hold it.
    let sub_client = mock
        .client_builder()
        .account_sid(sub.as_str())
        .auth_token(&token)
        .build()
        .unwrap();
    let seen = sub_client
        .sip_ip_access_control_lists()
        .fetch(&created.sid)
        .await
        .unwrap();
    assert_eq!(seen, created);
    assert!(
        client
            .sip_ip_access_control_lists()
            .list()
            .collect()
            .await
            .unwrap()
            .is_empty()
    );
    let err = client
        .sip_ip_access_control_lists()
        .fetch(&created.sid)
        .await
        .unwrap_err();
    assert_api_error(
        &err,
        404,
        20404,
        &format!(
            "The requested resource {} was not found",
            sip(
                mock.account_sid().as_str(),
                &format!("IpAccessControlLists/{}.json", created.sid)
            )
        ),
    );

    // A subaccount cannot reach its parent's list, not even by naming the parent's account.
    let parents = client
        .sip_ip_access_control_lists()
        .create("parent")
        .await
        .unwrap();
    let err = sub_client
        .sip_ip_access_control_lists()
        .fetch(&parents.sid)
        .await
        .unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(404), Some(20404)));
    let err = sub_client
        .sip_ip_access_control_lists()
        .account(mock.account_sid())
        .fetch(&parents.sid)
        .await
        .unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(404), Some(20404)));
    let err = sub_client
        .sip_ip_access_control_lists()
        .account(mock.account_sid())
        .delete(&parents.sid)
        .await
        .unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(404), Some(20404)));
    assert!(
        client
            .sip_ip_access_control_lists()
            .fetch(&parents.sid)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn deleting_a_list_deletes_its_addresses() {
    let mock = MockTwilio::start().await;
    let client = mock.client();
    let list = client
        .sip_ip_access_control_lists()
        .create("doomed")
        .await
        .unwrap();
    let addresses = client.sip_ip_access_control_list(&list.sid).ip_addresses();
    let mut sids = Vec::new();
    for i in 0..3 {
        let address = addresses
            .create(format!("desk {i}"), format!("192.0.2.{i}"))
            .await
            .unwrap();
        sids.push(address.sid);
    }
    // Another list's addresses are not touched.
    let kept = client
        .sip_ip_access_control_lists()
        .create("kept")
        .await
        .unwrap();
    let kept_addresses = client.sip_ip_access_control_list(&kept.sid).ip_addresses();
    kept_addresses.create("desk", "192.0.2.1").await.unwrap();

    client
        .sip_ip_access_control_lists()
        .delete(&list.sid)
        .await
        .unwrap();
    let err = addresses.list().send().await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(404), Some(20404)));
    for sid in &sids {
        let err = addresses.fetch(sid).await.unwrap_err();
        assert_eq!((err.status(), err.code()), (Some(404), Some(20404)));
    }
    assert_eq!(kept_addresses.list().collect().await.unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// The quickstart: a list, its addresses, a trunk and a SIP domain

#[tokio::test]
async fn quickstart_flow_associates_and_maps_a_list_created_through_the_api() {
    let mock = MockTwilio::start().await;
    let client = mock.client();
    let trunk = mock.create_trunk_named("edge", "edge.pstn.twilio.com");
    let domain = mock.create_sip_domain_named("office.sip.twilio.com", "office");

    let list = client
        .sip_ip_access_control_lists()
        .create("sbc-allowlist")
        .await
        .unwrap();
    let addresses = client.sip_ip_access_control_list(&list.sid).ip_addresses();
    addresses.create("sbc-1", "203.0.113.10").await.unwrap();
    addresses
        .create("sbc-pool", "198.51.100.0")
        .cidr_prefix_length(28)
        .await
        .unwrap();

    let association = client
        .trunk(&trunk)
        .ip_access_control_lists()
        .create(&list.sid)
        .await
        .unwrap();
    assert_eq!(association.sid, list.sid);
    assert_eq!(association.trunk_sid, trunk);
    assert_eq!(&association.account_sid, mock.account_sid());
    assert_eq!(association.friendly_name.as_deref(), Some("sbc-allowlist"));
    assert_eq!(
        association.url,
        format!(
            "{}/v1/Trunks/{trunk}/IpAccessControlLists/{}",
            mock.base_url(),
            list.sid
        )
    );

    let mappings = client
        .sip_domain(&domain)
        .auth_calls_ip_access_control_list_mappings();
    let mapping = mappings.create(&list.sid).await.unwrap();
    assert_eq!(mapping.sid, list.sid);
    assert_eq!(&mapping.account_sid, mock.account_sid());
    assert_eq!(mapping.friendly_name.as_deref(), Some("sbc-allowlist"));
    assert_eq!(mappings.fetch(&list.sid).await.unwrap(), mapping);
    let raw = call(
        &mock,
        Method::GET,
        &sip(
            mock.account_sid().as_str(),
            &format!(
                "Domains/{domain}/Auth/Calls/IpAccessControlListMappings/{}.json",
                list.sid
            ),
        ),
        &[],
    )
    .await;
    assert_eq!(raw.status, 200, "{}", raw.text);
    assert_rfc2822(&raw.body["date_created"]);

    // The list is the one source of its name: a rename shows in the association and the mapping.
    client
        .sip_ip_access_control_lists()
        .update(&list.sid, "sbc-allowlist-v2")
        .await
        .unwrap();
    let association = client
        .trunk(&trunk)
        .ip_access_control_lists()
        .fetch(&list.sid)
        .await
        .unwrap();
    assert_eq!(
        association.friendly_name.as_deref(),
        Some("sbc-allowlist-v2")
    );
    let listed = mappings.list().collect().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].friendly_name.as_deref(), Some("sbc-allowlist-v2"));
    let associated = client
        .trunk(&trunk)
        .ip_access_control_lists()
        .list()
        .collect()
        .await
        .unwrap();
    assert_eq!(
        associated
            .iter()
            .map(|a| a.friendly_name.as_deref())
            .collect::<Vec<_>>(),
        [Some("sbc-allowlist-v2")]
    );

    // The same list may be mapped to another domain and associated with another trunk.
    let other_domain = mock.create_sip_domain();
    client
        .sip_domain(&other_domain)
        .auth_calls_ip_access_control_list_mappings()
        .create(&list.sid)
        .await
        .unwrap();
    let other_trunk = mock.create_trunk();
    client
        .trunk(&other_trunk)
        .ip_access_control_lists()
        .create(&list.sid)
        .await
        .unwrap();

    // Removing a mapping or an association leaves the list and its addresses alone.
    mappings.delete(&list.sid).await.unwrap();
    let err = mappings.fetch(&list.sid).await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(404), Some(20404)));
    assert!(mappings.list().collect().await.unwrap().is_empty());
    client
        .trunk(&trunk)
        .ip_access_control_lists()
        .delete(&list.sid)
        .await
        .unwrap();
    assert_eq!(addresses.list().collect().await.unwrap().len(), 2);
    assert!(
        client
            .sip_ip_access_control_lists()
            .fetch(&list.sid)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_list_is_mapped_to_a_domain_once() {
    let mock = MockTwilio::start().await;
    let client = mock.client();
    let domain = mock.create_sip_domain();
    let list = client
        .sip_ip_access_control_lists()
        .create("office")
        .await
        .unwrap();
    let mappings = client
        .sip_domain(&domain)
        .auth_calls_ip_access_control_list_mappings();
    mappings.create(&list.sid).await.unwrap();
    let err = mappings.create(&list.sid).await.unwrap_err();
    assert_api_error(
        &err,
        400,
        20001,
        &format!(
            "Invalid IpAccessControlListSid: IpAccessControlList {} is already associated with SIP Domain {domain}",
            list.sid
        ),
    );
    assert_eq!(mappings.list().collect().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_mapping_needs_an_existing_list_and_domain() {
    let mock = MockTwilio::start().await;
    let client = mock.client();
    let domain = mock.create_sip_domain();
    let missing = unknown("AL");
    let mappings = client
        .sip_domain(&domain)
        .auth_calls_ip_access_control_list_mappings();
    let err = mappings.create(missing.as_str()).await.unwrap_err();
    assert_api_error(
        &err,
        400,
        20001,
        &format!("Invalid IpAccessControlListSid: IpAccessControlList {missing} does not exist"),
    );

    // A list of another account (here a subaccount) does not exist for this one.
    let (sub, _) = mock.add_subaccount();
    let theirs = client
        .sip_ip_access_control_lists()
        .account(&sub)
        .create("theirs")
        .await
        .unwrap();
    let err = mappings.create(&theirs.sid).await.unwrap_err();
    assert_api_error(
        &err,
        400,
        20001,
        &format!(
            "Invalid IpAccessControlListSid: IpAccessControlList {} does not exist",
            theirs.sid
        ),
    );

    // An unknown domain is a 404 for the path.
    let list = client
        .sip_ip_access_control_lists()
        .create("office")
        .await
        .unwrap();
    let nowhere = unknown("SD");
    let err = client
        .sip_domain(nowhere.as_str())
        .auth_calls_ip_access_control_list_mappings()
        .create(&list.sid)
        .await
        .unwrap_err();
    assert_api_error(
        &err,
        404,
        20404,
        &format!(
            "The requested resource {} was not found",
            sip(
                mock.account_sid().as_str(),
                &format!("Domains/{nowhere}/Auth/Calls/IpAccessControlListMappings.json")
            )
        ),
    );
    // Raw: the field is required and must be a list SID.
    let path = sip(
        mock.account_sid().as_str(),
        &format!("Domains/{domain}/Auth/Calls/IpAccessControlListMappings.json"),
    );
    let answer = call(&mock, Method::POST, &path, &[]).await;
    assert_twilio_error(
        &answer,
        400,
        20001,
        "Missing required parameter IpAccessControlListSid in the post body",
    );
    let answer = call(
        &mock,
        Method::POST,
        &path,
        &[("IpAccessControlListSid", "ALnothex")],
    )
    .await;
    assert_twilio_error(
        &answer,
        400,
        20001,
        "Invalid IpAccessControlListSid: must be `AL` followed by 32 hex digits",
    );
    assert!(mappings.list().collect().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_attached_list_cannot_be_deleted_until_it_is_detached() {
    let mock = MockTwilio::start().await;
    let client = mock.client();
    let lists = client.sip_ip_access_control_lists();
    let trunk = mock.create_trunk();
    let domain = mock.create_sip_domain();
    let list = lists.create("office").await.unwrap();
    client
        .sip_ip_access_control_list(&list.sid)
        .ip_addresses()
        .create("desk", "192.0.2.1")
        .await
        .unwrap();

    // Associated with a trunk.
    let trunk_lists = client.trunk(&trunk).ip_access_control_lists();
    trunk_lists.create(&list.sid).await.unwrap();
    let err = lists.delete(&list.sid).await.unwrap_err();
    assert_api_error(
        &err,
        400,
        20001,
        &format!(
            "IpAccessControlList {} cannot be deleted while it is associated with Trunk {trunk}; remove the association first",
            list.sid
        ),
    );
    trunk_lists.delete(&list.sid).await.unwrap();

    // Mapped to a SIP domain.
    let mappings = client
        .sip_domain(&domain)
        .auth_calls_ip_access_control_list_mappings();
    mappings.create(&list.sid).await.unwrap();
    let err = lists.delete(&list.sid).await.unwrap_err();
    assert_api_error(
        &err,
        400,
        20001,
        &format!(
            "IpAccessControlList {} cannot be deleted while it is associated with SIP Domain {domain}; remove the association first",
            list.sid
        ),
    );
    // The refused delete changed nothing.
    assert!(lists.fetch(&list.sid).await.is_ok());
    assert_eq!(mappings.fetch(&list.sid).await.unwrap().sid, list.sid);
    assert_eq!(
        client
            .sip_ip_access_control_list(&list.sid)
            .ip_addresses()
            .list()
            .collect()
            .await
            .unwrap()
            .len(),
        1
    );

    mappings.delete(&list.sid).await.unwrap();
    lists.delete(&list.sid).await.unwrap();
    assert_eq!(
        lists.fetch(&list.sid).await.unwrap_err().code(),
        Some(20404)
    );
}

// ---------------------------------------------------------------------------------------------
// Read-only trunks and SIP domains

#[tokio::test]
async fn trunks_are_listed_and_fetched_with_their_names() {
    let mock = MockTwilio::start().await;
    let client = mock.client();
    let edge = mock.create_trunk_named("edge", "edge.pstn.twilio.com");
    let core = mock.create_trunk_named("core", "core.pstn.twilio.com");
    let numbered = mock.create_trunk();

    let trunk = client.trunks().fetch(&edge).await.unwrap();
    assert_eq!(trunk.sid, edge);
    assert_eq!(&trunk.account_sid, mock.account_sid());
    assert_eq!(trunk.friendly_name.as_deref(), Some("edge"));
    assert_eq!(trunk.domain_name.as_deref(), Some("edge.pstn.twilio.com"));
    assert_eq!(trunk.url, format!("{}/v1/Trunks/{edge}", mock.base_url()));
    assert!(trunk.date_updated >= trunk.date_created);

    let listed = client.trunks().list().collect().await.unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|t| (
                t.sid.clone(),
                t.friendly_name.as_deref(),
                t.domain_name.as_deref()
            ))
            .collect::<Vec<_>>(),
        [
            (edge.clone(), Some("edge"), Some("edge.pstn.twilio.com")),
            (core, Some("core"), Some("core.pstn.twilio.com")),
            (numbered, Some("trunk-3"), Some("trunk-3.pstn.twilio.com")),
        ]
    );

    let missing = unknown("TK");
    let err = client.trunks().fetch(missing.as_str()).await.unwrap_err();
    assert_api_error(
        &err,
        404,
        20404,
        &format!("The requested resource /Trunks/{missing} was not found"),
    );
    // The wire: ISO 8601 dates, the v1 way.
    let raw = call(&mock, Method::GET, &format!("/v1/Trunks/{edge}"), &[]).await;
    let date = raw.body["date_created"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(date).is_ok() && date.ends_with('Z'),
        "{date}"
    );
}

#[tokio::test]
async fn sip_domains_are_listed_and_fetched_with_their_names() {
    let mock = MockTwilio::start().await;
    let client = mock.client();
    let office = mock.create_sip_domain_named("office.sip.twilio.com", "office");
    let numbered = mock.create_sip_domain();
    let account = mock.account_sid().to_string();

    let domain = client.sip_domains().fetch(&office).await.unwrap();
    assert_eq!(domain.sid, office);
    assert_eq!(&domain.account_sid, mock.account_sid());
    assert_eq!(domain.domain_name.as_deref(), Some("office.sip.twilio.com"));
    assert_eq!(domain.friendly_name.as_deref(), Some("office"));
    assert_eq!(domain.api_version.as_deref(), Some("2010-04-01"));
    assert_eq!(domain.uri, sip(&account, &format!("Domains/{office}.json")));

    let listed = client.sip_domains().list().collect().await.unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|d| (
                d.sid.clone(),
                d.domain_name.as_deref(),
                d.friendly_name.as_deref()
            ))
            .collect::<Vec<_>>(),
        [
            (
                office.clone(),
                Some("office.sip.twilio.com"),
                Some("office")
            ),
            (numbered, Some("domain-2.sip.twilio.com"), Some("domain-2")),
        ]
    );

    let raw = call(&mock, Method::GET, &domain.uri, &[]).await;
    assert_rfc2822(&raw.body["date_created"]);
    assert_rfc2822(&raw.body["date_updated"]);

    // Domains belong to the main account: a subaccount has none, and cannot see these.
    let (sub, _) = mock.add_subaccount();
    assert!(
        client
            .sip_domains()
            .account(&sub)
            .list()
            .collect()
            .await
            .unwrap()
            .is_empty()
    );
    let err = client
        .sip_domains()
        .account(&sub)
        .fetch(&office)
        .await
        .unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(404), Some(20404)));
    let missing = unknown("SD");
    let err = client
        .sip_domains()
        .fetch(missing.as_str())
        .await
        .unwrap_err();
    assert_api_error(
        &err,
        404,
        20404,
        &format!(
            "The requested resource {} was not found",
            sip(&account, &format!("Domains/{missing}.json"))
        ),
    );
}

#[tokio::test]
async fn writes_to_trunks_and_sip_domains_are_405() {
    let mock = MockTwilio::start().await;
    let trunk = mock.create_trunk();
    let domain = mock.create_sip_domain();
    let account = mock.account_sid().to_string();
    let trunk_path = format!("/v1/Trunks/{trunk}");
    let domain_path = sip(&account, &format!("Domains/{domain}.json"));
    let domains = sip(&account, "Domains.json");
    for (method, path, form) in [
        (
            Method::POST,
            "/v1/Trunks",
            vec![("FriendlyName", "new trunk")],
        ),
        (
            Method::POST,
            trunk_path.as_str(),
            vec![("FriendlyName", "x")],
        ),
        (Method::DELETE, trunk_path.as_str(), vec![]),
        (
            Method::POST,
            domains.as_str(),
            vec![("DomainName", "new.sip.twilio.com")],
        ),
        (
            Method::POST,
            domain_path.as_str(),
            vec![("FriendlyName", "x")],
        ),
        (Method::DELETE, domain_path.as_str(), vec![]),
        (Method::PUT, trunk_path.as_str(), vec![]),
    ] {
        let answer = call(&mock, method.clone(), path, &form).await;
        assert_twilio_error(&answer, 405, 20004, "Method not allowed");
        assert!(
            answer.body["more_info"]
                .as_str()
                .is_some_and(|u| u.ends_with("/20004")),
            "{method} {path}: {}",
            answer.text
        );
    }
    // Nothing changed.
    let client = mock.client();
    assert_eq!(client.trunks().list().collect().await.unwrap().len(), 1);
    assert_eq!(
        client.sip_domains().list().collect().await.unwrap().len(),
        1
    );
    assert_eq!(
        client
            .trunks()
            .fetch(&trunk)
            .await
            .unwrap()
            .friendly_name
            .as_deref(),
        Some("trunk-1")
    );
}

// ---------------------------------------------------------------------------------------------
// Pagination in the right envelope

/// Follows a 2010 list from `first` over raw HTTP: each page is the flat envelope with `key`,
/// relative links, and no `meta`. Returns the SIDs in order and the number of pages.
async fn walk_2010(mock: &MockTwilio, first: &str, key: &str) -> (Vec<String>, usize) {
    let mut path = first.to_owned();
    let (mut sids, mut pages) = (Vec::new(), 0);
    loop {
        let page = call(mock, Method::GET, &path, &[]).await;
        assert_eq!(page.status, 200, "{}", page.text);
        assert!(page.body.get("meta").is_none(), "{}", page.text);
        let items = page.body[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key} in {}", page.text));
        assert_eq!(page.body["page"], pages, "{}", page.text);
        assert_eq!(page.body["page_size"], 2);
        assert_eq!(page.body["start"], pages * 2);
        assert!(
            page.body["first_page_uri"]
                .as_str()
                .is_some_and(|u| u.starts_with("/2010-04-01/Accounts/") && u.contains("Page=0")),
            "{}",
            page.text
        );
        if pages == 0 {
            assert_eq!(page.body["previous_page_uri"], Value::Null);
        } else {
            assert!(
                page.body["previous_page_uri"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("/2010-04-01/"))
            );
        }
        sids.extend(items.iter().map(|i| i["sid"].as_str().unwrap().to_owned()));
        pages += 1;
        match page.body["next_page_uri"].as_str() {
            Some(next) => {
                assert!(
                    next.starts_with("/2010-04-01/Accounts/"),
                    "relative: {next}"
                );
                assert!(next.contains("PageToken="), "{next}");
                path = next.to_owned();
            }
            None => return (sids, pages),
        }
        assert!(pages < 20, "the links do not end");
    }
}

#[tokio::test]
async fn new_lists_page_in_the_2010_envelope() {
    let mock = MockTwilio::start().await;
    let client = mock.client();
    let account = mock.account_sid().to_string();
    let mut lists = Vec::new();
    for i in 0..5 {
        let list = client
            .sip_ip_access_control_lists()
            .create(format!("list {i}"))
            .await
            .unwrap();
        lists.push(list.sid.to_string());
    }
    let mut domains = Vec::new();
    for _ in 0..5 {
        domains.push(mock.create_sip_domain().to_string());
    }
    let domain = domains[0].clone();
    let mappings = client
        .sip_domain(domain.as_str())
        .auth_calls_ip_access_control_list_mappings();
    for list in &lists {
        mappings.create(list.as_str()).await.unwrap();
    }

    // Raw: the flat envelope with its own key.
    let collection = sip(&account, "IpAccessControlLists.json");
    assert_eq!(
        walk_2010(
            &mock,
            &format!("{collection}?PageSize=2"),
            "ip_access_control_lists"
        )
        .await,
        (lists.clone(), 3)
    );
    assert_eq!(
        walk_2010(
            &mock,
            &format!("{}?PageSize=2", sip(&account, "Domains.json")),
            "domains"
        )
        .await,
        (domains.clone(), 3)
    );
    let mapping_path = sip(
        &account,
        &format!("Domains/{domain}/Auth/Calls/IpAccessControlListMappings.json"),
    );
    assert_eq!(
        walk_2010(&mock, &format!("{mapping_path}?PageSize=2"), "contents").await,
        (lists.clone(), 3)
    );

    // The client follows the same links, page by page.
    mock.clear_requests();
    let pages: Vec<_> = client
        .sip_ip_access_control_lists()
        .list()
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.items().len()).collect::<Vec<_>>(),
        [2, 2, 1]
    );
    let listed: Vec<String> = pages
        .into_iter()
        .flatten()
        .map(|l| l.sid.to_string())
        .collect();
    assert_eq!(listed, lists);
    let queries = logged_queries(&mock);
    assert_eq!(queries.len(), 3);
    for (page, (path, query)) in queries.iter().enumerate() {
        assert_eq!(path, &collection);
        assert_eq!(query_value(query, "PageSize"), Some("2"));
        if page > 0 {
            assert_eq!(query_value(query, "Page"), Some(&*page.to_string()));
            assert!(query_value(query, "PageToken").is_some(), "{query:?}");
        }
    }

    let pages: Vec<_> = client
        .sip_domains()
        .list()
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let listed: Vec<String> = pages
        .into_iter()
        .flatten()
        .map(|d| d.sid.to_string())
        .collect();
    assert_eq!(listed, domains);

    let pages: Vec<_> = mappings
        .list()
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let listed: Vec<String> = pages
        .into_iter()
        .flatten()
        .map(|m| m.sid.to_string())
        .collect();
    assert_eq!(listed, lists);
    assert_eq!(mappings.list().limit(3).collect().await.unwrap().len(), 3);
}

#[tokio::test]
async fn trunks_page_in_the_v1_envelope() {
    let mock = MockTwilio::start().await;
    let client = mock.client();
    let trunks: Vec<String> = (0..5).map(|_| mock.create_trunk().to_string()).collect();

    // Raw: `trunks` and `meta` with absolute URLs.
    let mut url = format!("{}/v1/Trunks?PageSize=2", mock.base_url());
    let (mut seen, mut pages) = (Vec::new(), 0);
    loop {
        let path = url.strip_prefix(mock.base_url()).unwrap().to_owned();
        let page = call(&mock, Method::GET, &path, &[]).await;
        assert_eq!(page.status, 200, "{}", page.text);
        let meta = &page.body["meta"];
        assert_eq!(meta["key"], "trunks");
        assert_eq!(meta["page"], pages);
        assert_eq!(meta["page_size"], 2);
        assert_eq!(
            meta["first_page_url"],
            format!("{}/v1/Trunks?PageSize=2&Page=0", mock.base_url())
        );
        assert!(page.body.get("next_page_uri").is_none(), "{}", page.text);
        seen.extend(
            page.body["trunks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["sid"].as_str().unwrap().to_owned()),
        );
        pages += 1;
        match meta["next_page_url"].as_str() {
            Some(next) => {
                assert!(next.starts_with(mock.base_url()), "absolute: {next}");
                url = next.to_owned();
            }
            None => break,
        }
        assert!(pages < 20, "the links do not end");
    }
    assert_eq!((seen, pages), (trunks.clone(), 3));

    // The client pages through them the same way.
    mock.clear_requests();
    let pages: Vec<_> = client
        .trunks()
        .list()
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.items().len()).collect::<Vec<_>>(),
        [2, 2, 1]
    );
    let listed: Vec<String> = pages
        .into_iter()
        .flatten()
        .map(|t| t.sid.to_string())
        .collect();
    assert_eq!(listed, trunks);
    let queries = logged_queries(&mock);
    assert_eq!(queries.len(), 3);
    for (page, (path, query)) in queries.iter().enumerate() {
        assert_eq!(path, "/v1/Trunks");
        assert_eq!(query_value(query, "PageSize"), Some("2"));
        if page > 0 {
            assert!(
                query_value(query, "PageToken").is_some_and(|t| t.starts_with("PA")),
                "{query:?}"
            );
        }
    }
}
