//! The embedded emulator (`twilio_ip_access::mock`), through the facade and through raw HTTP.
//! Everything here talks to 127.0.0.1 only.

#![cfg(feature = "mock")]

use std::{
    io::{Read, Write},
    time::{Duration, Instant},
};

use futures_util::TryStreamExt;
use serde_json::Value;
use twilio_ip_access::{
    Error, RetryPolicy,
    mock::{Fault, MockTwilio},
    reqwest::{self, Method},
};

mod common;

use common::emulator::{assert_api_error, assert_twilio_error, call, call_as, receive};

// ---------------------------------------------------------------------------------------------
// Helpers

fn sip_path(mock: &MockTwilio, acl: &str) -> String {
    format!(
        "/2010-04-01/Accounts/{}/SIP/IpAccessControlLists/{acl}/IpAddresses.json",
        mock.account_sid()
    )
}

fn is_iso_utc(date: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(date).is_ok() && date.len() == 20 && date.ends_with('Z')
}

// ---------------------------------------------------------------------------------------------
// Lifecycles through the facade

#[tokio::test]
async fn ip_record_lifecycle() {
    let mock = MockTwilio::start().await;
    let records = mock.client().ip_records();

    let first = records
        .create("203.0.113.10")
        .friendly_name("sbc-1")
        .cidr_prefix_length(30)
        .await
        .unwrap();
    let sid = first.sid.clone();
    assert_eq!(&first.account_sid, mock.account_sid());
    assert_eq!(first.friendly_name.as_deref(), Some("sbc-1"));
    assert_eq!(first.ip_address.as_deref(), Some("203.0.113.10"));
    assert_eq!(first.cidr_prefix_length, Some(30));
    assert_eq!(first.url, format!("{}/v1/IpRecords/{sid}", mock.base_url()));
    for i in 11..15 {
        let record = records.create(format!("203.0.113.{i}")).await.unwrap();
        assert_eq!(record.friendly_name, None, "unset friendly name is null");
        assert_eq!(
            record.cidr_prefix_length,
            Some(32),
            "the default prefix is the whole address"
        );
    }

    let fetched = records.fetch(&sid).await.unwrap();
    assert_eq!(&fetched.sid, &sid);
    assert_eq!(fetched.date_created, first.date_created);

    mock.clear_requests();
    let pages: Vec<_> = records
        .list()
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.items().len()).collect::<Vec<_>>(),
        vec![2, 2, 1]
    );
    let listed: Vec<_> = pages
        .into_iter()
        .flatten()
        .map(|r| r.ip_address.unwrap())
        .collect();
    assert_eq!(
        listed,
        (10..15)
            .map(|i| format!("203.0.113.{i}"))
            .collect::<Vec<_>>(),
        "creation order"
    );
    // The facade follows the links: the PageSize, Page and PageToken the emulator issued.
    let queries: Vec<Vec<(String, String)>> = mock
        .requests()
        .into_iter()
        .map(|r| {
            url::form_urlencoded::parse(r.query.unwrap_or_default().as_bytes())
                .into_owned()
                .collect()
        })
        .collect();
    assert_eq!(queries.len(), 3);
    for (page, query) in queries.iter().enumerate() {
        let get = |name: &str| {
            query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("PageSize"), Some("2"));
        if page > 0 {
            assert_eq!(get("Page"), Some(&*page.to_string()));
            assert!(
                get("PageToken").is_some_and(|t| t.starts_with("PAIL")),
                "{query:?}"
            );
        }
    }
    assert_eq!(records.list().limit(3).collect().await.unwrap().len(), 3);

    let updated = records.update(&sid).friendly_name("sbc-1b").await.unwrap();
    assert_eq!(updated.friendly_name.as_deref(), Some("sbc-1b"));
    assert_eq!(updated.ip_address.as_deref(), Some("203.0.113.10"));
    assert!(updated.date_updated >= updated.date_created);

    records.delete(&sid).await.unwrap();
    let err = records.fetch(&sid).await.unwrap_err();
    assert_api_error(
        &err,
        404,
        20404,
        &format!("The requested resource /IpRecords/{sid} was not found"),
    );
    let err = records.delete(&sid).await.unwrap_err();
    assert_eq!(err.code(), Some(20404));
    assert_eq!(records.list().collect().await.unwrap().len(), 4);
}

#[tokio::test]
async fn source_ip_mapping_lifecycle() {
    let mock = MockTwilio::start().await;
    let client = mock.client();
    let (domain_a, domain_b) = (mock.create_sip_domain(), mock.create_sip_domain());
    let mut sids = Vec::new();
    for i in 0..5 {
        let record = client
            .ip_records()
            .create(format!("198.51.100.{i}"))
            .await
            .unwrap();
        let mapping = client
            .source_ip_mappings()
            .create(record.sid.clone(), &domain_a)
            .await
            .unwrap();
        assert_eq!(mapping.ip_record_sid, record.sid);
        assert_eq!(&mapping.sip_domain_sid, &domain_a);
        let sid = mapping.sid;
        assert_eq!(
            mapping.url,
            format!("{}/v1/SourceIpMappings/{sid}", mock.base_url())
        );
        sids.push(sid);
    }
    let mappings = client.source_ip_mappings();
    assert_eq!(mappings.fetch(&sids[0]).await.unwrap().sid, sids[0]);

    let pages: Vec<_> = mappings
        .list()
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let listed: Vec<_> = pages.into_iter().flatten().map(|m| m.sid).collect();
    assert_eq!(listed, sids);

    let updated = mappings.update(&sids[1], &domain_b).await.unwrap();
    assert_eq!(&updated.sip_domain_sid, &domain_b);
    assert_eq!(
        mappings.fetch(&sids[1]).await.unwrap().sip_domain_sid,
        domain_b
    );

    mappings.delete(&sids[1]).await.unwrap();
    let err = mappings.fetch(&sids[1]).await.unwrap_err();
    assert_api_error(
        &err,
        404,
        20404,
        &format!(
            "The requested resource /SourceIpMappings/{} was not found",
            sids[1]
        ),
    );
}

#[tokio::test]
async fn trunk_ip_access_control_list_lifecycle() {
    let mock = MockTwilio::start().await;
    let client = mock.client();
    let trunk_sid = mock.create_trunk();
    let trunk = client.trunk(&trunk_sid).ip_access_control_lists();
    let mut acls = Vec::new();
    for i in 0..5 {
        let acl = mock.create_ip_access_control_list(&format!("list {i}"));
        let association = trunk.create(&acl).await.unwrap();
        assert_eq!(&association.sid, &acl);
        assert_eq!(&association.trunk_sid, &trunk_sid);
        assert_eq!(&association.account_sid, mock.account_sid());
        assert_eq!(
            association.friendly_name.as_deref(),
            Some(&*format!("list {i}"))
        );
        assert_eq!(
            association.url,
            format!(
                "{}/v1/Trunks/{trunk_sid}/IpAccessControlLists/{acl}",
                mock.base_url()
            )
        );
        acls.push(acl);
    }
    assert_eq!(
        trunk
            .fetch(&acls[2])
            .await
            .unwrap()
            .friendly_name
            .as_deref(),
        Some("list 2")
    );

    let pages: Vec<_> = trunk
        .list()
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let listed: Vec<_> = pages.into_iter().flatten().map(|a| a.sid).collect();
    assert_eq!(listed, acls);

    trunk.delete(&acls[0]).await.unwrap();
    let err = trunk.fetch(&acls[0]).await.unwrap_err();
    assert_api_error(
        &err,
        404,
        20404,
        &format!(
            "The requested resource /Trunks/{trunk_sid}/IpAccessControlLists/{} was not found",
            acls[0]
        ),
    );
    // The list itself survives the dissociation and can be associated again.
    assert!(trunk.create(&acls[0]).await.is_ok());
}

#[tokio::test]
async fn sip_ip_address_lifecycle() {
    let mock = MockTwilio::start().await;
    let acl = mock.create_ip_access_control_list("office");
    let addresses = mock
        .client()
        .sip_ip_access_control_list(&acl)
        .ip_addresses();
    let mut sids = Vec::new();
    for i in 0..5 {
        let address = addresses
            .create(format!("office {i}"), format!("192.0.2.{i}"))
            .await
            .unwrap();
        assert_eq!(address.cidr_prefix_length, Some(32));
        assert_eq!(&address.ip_access_control_list_sid, &acl);
        let sid = address.sid;
        assert_eq!(
            address.uri,
            format!(
                "/2010-04-01/Accounts/{}/SIP/IpAccessControlLists/{acl}/IpAddresses/{sid}.json",
                mock.account_sid()
            )
        );
        sids.push(sid);
    }
    let fetched = addresses.fetch(&sids[0]).await.unwrap();
    assert_eq!(fetched.friendly_name.as_deref(), Some("office 0"));
    assert_eq!(fetched.ip_address.as_deref(), Some("192.0.2.0"));

    let pages: Vec<_> = addresses
        .list()
        .page_size(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(
        pages
            .into_iter()
            .flatten()
            .map(|a| a.sid)
            .collect::<Vec<_>>(),
        sids
    );

    let updated = addresses
        .update(&sids[0])
        .ip_address("192.0.2.128")
        .cidr_prefix_length(25)
        .friendly_name("lan")
        .await
        .unwrap();
    assert_eq!(updated.ip_address.as_deref(), Some("192.0.2.128"));
    assert_eq!(updated.cidr_prefix_length, Some(25));
    assert_eq!(updated.friendly_name.as_deref(), Some("lan"));

    addresses.delete(&sids[0]).await.unwrap();
    let err = addresses.fetch(&sids[0]).await.unwrap_err();
    let path = format!(
        "/2010-04-01/Accounts/{}/SIP/IpAccessControlLists/{acl}/IpAddresses/{}.json",
        mock.account_sid(),
        sids[0]
    );
    assert_api_error(
        &err,
        404,
        20404,
        &format!("The requested resource {path} was not found"),
    );
}

#[tokio::test]
async fn wire_formats_match_the_seed_pages() {
    let mock = MockTwilio::start().await;
    let acl = mock.create_ip_access_control_list("office");
    let created = call(
        &mock,
        Method::POST,
        "/v1/IpRecords",
        &[("IpAddress", "10.2.3.4")],
    )
    .await;
    assert_eq!(created.status, 201);
    assert!(
        is_iso_utc(created.body["date_created"].as_str().unwrap()),
        "{}",
        created.text
    );
    assert_eq!(created.body["friendly_name"], Value::Null);
    assert_eq!(created.body["cidr_prefix_length"], 32);

    let path = sip_path(&mock, acl.as_str());
    let address = call(
        &mock,
        Method::POST,
        &path,
        &[("FriendlyName", "f"), ("IpAddress", "192.168.1.1")],
    )
    .await;
    assert_eq!(address.status, 201);
    let date = address.body["date_created"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc2822(date).is_ok() && date.ends_with(" +0000"),
        "{date}"
    );

    let list = call(&mock, Method::GET, &path, &[]).await;
    assert_eq!(list.status, 200);
    for (key, value) in [
        ("page", Value::from(0)),
        ("page_size", Value::from(50)),
        ("start", Value::from(0)),
        ("end", Value::from(0)),
        ("uri", Value::from(format!("{path}?PageSize=50&Page=0"))),
        (
            "first_page_uri",
            Value::from(format!("{path}?PageSize=50&Page=0")),
        ),
        ("next_page_uri", Value::Null),
        ("previous_page_uri", Value::Null),
    ] {
        assert_eq!(list.body[key], value, "{key}");
    }

    let list = call(&mock, Method::GET, "/v1/IpRecords", &[]).await;
    let url = format!("{}/v1/IpRecords?PageSize=50&Page=0", mock.base_url());
    assert_eq!(list.body["meta"]["url"], url);
    assert_eq!(list.body["meta"]["first_page_url"], url);
    assert_eq!(list.body["meta"]["key"], "ip_records");
    assert_eq!(list.body["meta"]["next_page_url"], Value::Null);
    assert_eq!(list.body["ip_records"].as_array().map(Vec::len), Some(1));

    let sid = created.body["sid"].as_str().unwrap();
    let deleted = call(&mock, Method::DELETE, &format!("/v1/IpRecords/{sid}"), &[]).await;
    assert_eq!(
        (deleted.status, deleted.text.as_str()),
        (204, ""),
        "delete answers 204 with an empty body"
    );
}

#[tokio::test]
async fn page_links_terminate_and_tokens_are_honoured() {
    let mock = MockTwilio::start().await;
    for i in 0..5 {
        call(
            &mock,
            Method::POST,
            "/v1/IpRecords",
            &[("IpAddress", &*format!("10.0.0.{i}"))],
        )
        .await;
    }
    let mut url = format!("{}/v1/IpRecords?PageSize=2", mock.base_url());
    let mut seen = Vec::new();
    let mut previous = Vec::new();
    for _ in 0..10 {
        let answer = receive(
            reqwest::Client::new()
                .get(&url)
                .basic_auth(mock.account_sid().as_str(), Some(mock.auth_token())),
        )
        .await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        seen.extend(
            answer.body["ip_records"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["ip_address"].clone()),
        );
        previous.push(answer.body["meta"]["previous_page_url"].clone());
        match answer.body["meta"]["next_page_url"].as_str() {
            Some(next) => url = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    assert_eq!(previous[0], Value::Null);
    assert_eq!(
        previous[1],
        format!("{}/v1/IpRecords?PageSize=2&Page=0", mock.base_url())
    );
    assert!(
        previous[2]
            .as_str()
            .unwrap()
            .contains("&Page=1&PageToken=PA")
    );
}

// ---------------------------------------------------------------------------------------------
// Authentication and accounts

#[tokio::test]
async fn authentication() {
    let mock = MockTwilio::start().await;
    let account = mock.account_sid().as_str();

    let anonymous =
        receive(reqwest::Client::new().get(format!("{}/v1/IpRecords", mock.base_url()))).await;
    assert_twilio_error(&anonymous, 401, 20003, "Authenticate");
    let wrong = call_as(
        &mock,
        account,
        "not-the-token",
        Method::GET,
        "/v1/IpRecords",
        &[],
    )
    .await;
    assert_twilio_error(&wrong, 401, 20003, "Authenticate");
    let stranger = call_as(
        &mock,
        "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        mock.auth_token(),
        Method::GET,
        "/v1/IpRecords",
        &[],
    )
    .await;
    assert_twilio_error(&stranger, 401, 20003, "Authenticate");
    let bearer = receive(
        reqwest::Client::new()
            .get(format!("{}/v1/IpRecords", mock.base_url()))
            .bearer_auth(mock.auth_token()),
    )
    .await;
    assert_twilio_error(&bearer, 401, 20003, "Authenticate");

    let wrong_client = mock.client_builder().auth_token("wrong").build().unwrap();
    let err = wrong_client.ip_records().list().send().await.unwrap_err();
    assert_api_error(&err, 401, 20003, "Authenticate");

    // An API key authenticates as its account.
    let (key, secret) = mock.add_api_key();
    let keyed = mock
        .client_builder()
        .api_key(key.as_str(), &secret)
        .build()
        .unwrap();
    let record = keyed.ip_records().create("203.0.113.1").await.unwrap();
    assert_eq!(&record.account_sid, mock.account_sid());
    let wrong_key = call_as(
        &mock,
        key.as_str(),
        mock.auth_token(),
        Method::GET,
        "/v1/IpRecords",
        &[],
    )
    .await;
    assert_eq!(wrong_key.status, 401);
    assert_eq!(
        mock.client()
            .ip_records()
            .list()
            .collect()
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn subaccounts_have_their_own_resources() {
    let mock = MockTwilio::start().await;
    let (sub, token) = mock.add_subaccount();
    let sub_client = twilio_ip_access::Client::builder()
        .account_sid(sub.as_str())
        .auth_token(&token)
        .base_url(mock.base_url())
        .build()
        .unwrap();
    let record = sub_client.ip_records().create("203.0.113.5").await.unwrap();
    assert_eq!(&record.account_sid, &sub);
    assert!(
        mock.client()
            .ip_records()
            .list()
            .collect()
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        sub_client
            .ip_records()
            .list()
            .collect()
            .await
            .unwrap()
            .len(),
        1
    );
    let err = mock
        .client()
        .ip_records()
        .fetch(record.sid)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(20404));

    // A subaccount cannot reach its parent's lists through a 2010 path.
    let acl = mock.create_ip_access_control_list("parent's");
    let path = sip_path(&mock, acl.as_str());
    let answer = call_as(&mock, sub.as_str(), &token, Method::GET, &path, &[]).await;
    assert_twilio_error(
        &answer,
        404,
        20404,
        &format!("The requested resource {path} was not found"),
    );
}

#[tokio::test]
async fn a_2010_path_naming_another_account_is_not_found() {
    let mock = MockTwilio::start().await;
    let acl = mock.create_ip_access_control_list("office");
    let other = format!(
        "/2010-04-01/Accounts/AC{}/SIP/IpAccessControlLists/{acl}/IpAddresses.json",
        "b".repeat(32)
    );
    for (method, form) in [
        (Method::GET, &[][..]),
        (
            Method::POST,
            &[("FriendlyName", "x"), ("IpAddress", "192.0.2.1")][..],
        ),
    ] {
        let answer = call(&mock, method, &other, form).await;
        assert_twilio_error(
            &answer,
            404,
            20404,
            &format!("The requested resource {other} was not found"),
        );
    }
    // The facade's subaccount switch reaches the same 404.
    let err = mock
        .client()
        .sip_ip_access_control_list(&acl)
        .account(format!("AC{}", "b".repeat(32)))
        .ip_addresses()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(404), Some(20404)));
}

// ---------------------------------------------------------------------------------------------
// Parameter validation (raw HTTP: the facade checks before sending)

/// A validation case: path, form fields, expected message.
type Case<'a> = (String, Vec<(&'a str, &'a str)>, &'a str);

#[tokio::test]
async fn missing_and_invalid_parameters() {
    let mock = MockTwilio::start().await;
    let acl = mock.create_ip_access_control_list("office");
    let sip = sip_path(&mock, acl.as_str());
    let long_name = "n".repeat(256);
    // (path, form, message); every case is a POST.
    let cases: Vec<Case> = vec![
        (
            "/v1/IpRecords".into(),
            vec![],
            "Missing required parameter IpAddress in the post body",
        ),
        (
            "/v1/IpRecords".into(),
            vec![("IpAddress", "")],
            "Missing required parameter IpAddress in the post body",
        ),
        (
            "/v1/IpRecords".into(),
            vec![("IpAddress", "10.0.0.*")],
            "Invalid IpAddress: wildcards are not supported; give a complete IPv4 address and a CidrPrefixLength",
        ),
        (
            "/v1/IpRecords".into(),
            vec![("IpAddress", "010.0.0.1")],
            "Invalid IpAddress: not an IPv4 address in dotted decimal notation",
        ),
        (
            "/v1/IpRecords".into(),
            vec![("IpAddress", "10.0.0.0/24")],
            "Invalid IpAddress: give the prefix length as CidrPrefixLength, not in CIDR notation",
        ),
        (
            "/v1/IpRecords".into(),
            vec![("IpAddress", "2001:db8::1")],
            "Invalid IpAddress: only IPv4 addresses are supported",
        ),
        (
            "/v1/IpRecords".into(),
            vec![("IpAddress", "10.0.0.1"), ("CidrPrefixLength", "33")],
            "Invalid CidrPrefixLength: must be an integer from 0 to 32",
        ),
        (
            "/v1/IpRecords".into(),
            vec![("IpAddress", "10.0.0.1"), ("CidrPrefixLength", "-1")],
            "Invalid CidrPrefixLength: must be an integer from 0 to 32",
        ),
        (
            "/v1/IpRecords".into(),
            vec![("IpAddress", "10.0.0.1"), ("FriendlyName", &long_name)],
            "Invalid FriendlyName: must be at most 255 characters",
        ),
        (
            sip.clone(),
            vec![("IpAddress", "10.0.0.1")],
            "Missing required parameter FriendlyName in the post body",
        ),
        (
            sip.clone(),
            vec![("FriendlyName", "x")],
            "Missing required parameter IpAddress in the post body",
        ),
        (
            "/v1/SourceIpMappings".into(),
            vec![],
            "Missing required parameter IpRecordSid in the post body",
        ),
        (
            "/v1/SourceIpMappings".into(),
            vec![("IpRecordSid", "ILnothex"), ("SipDomainSid", "SDx")],
            "Invalid IpRecordSid: must be `IL` followed by 32 hex digits",
        ),
        (
            format!("/v1/Trunks/{}/IpAccessControlLists", mock.create_trunk()),
            vec![("Unknown", "ignored")],
            "Missing required parameter IpAccessControlListSid in the post body",
        ),
    ];
    for (path, form, message) in cases {
        let answer = call(&mock, Method::POST, &path, &form).await;
        assert_twilio_error(&answer, 400, 20001, message);
        assert!(
            !answer.text.contains("10.0.0"),
            "IP addresses are not echoed: {}",
            answer.text
        );
    }
    // Nothing was created by the rejected requests.
    assert!(
        mock.client()
            .ip_records()
            .list()
            .collect()
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn update_validation() {
    let mock = MockTwilio::start().await;
    let client = mock.client();
    let record = client.ip_records().create("203.0.113.1").await.unwrap().sid;
    let mapping = client
        .source_ip_mappings()
        .create(&record, mock.create_sip_domain())
        .await
        .unwrap()
        .sid;
    let acl = mock.create_ip_access_control_list("office");
    let address = client
        .sip_ip_access_control_list(&acl)
        .ip_addresses()
        .create("a", "192.0.2.1")
        .await
        .unwrap()
        .sid;

    let answer = call(
        &mock,
        Method::POST,
        &format!("/v1/SourceIpMappings/{mapping}"),
        &[],
    )
    .await;
    assert_twilio_error(
        &answer,
        400,
        20001,
        "Missing required parameter SipDomainSid in the post body",
    );
    let answer = call(
        &mock,
        Method::POST,
        &format!("/v1/IpRecords/{record}"),
        &[("FriendlyName", &"x".repeat(300))],
    )
    .await;
    assert_twilio_error(
        &answer,
        400,
        20001,
        "Invalid FriendlyName: must be at most 255 characters",
    );
    let path = format!(
        "/2010-04-01/Accounts/{}/SIP/IpAccessControlLists/{acl}/IpAddresses/{address}.json",
        mock.account_sid()
    );
    let answer = call(&mock, Method::POST, &path, &[("IpAddress", "300.1.1.1")]).await;
    assert_twilio_error(
        &answer,
        400,
        20001,
        "Invalid IpAddress: not an IPv4 address in dotted decimal notation",
    );
    // An update without fields is accepted (every field of these two is optional).
    assert_eq!(call(&mock, Method::POST, &path, &[]).await.status, 200);
    assert_eq!(
        call(&mock, Method::POST, &format!("/v1/IpRecords/{record}"), &[])
            .await
            .status,
        200
    );
    // Unknown SIDs are 404 before the body is looked at.
    let unknown = format!("/v1/IpRecords/IL{}", "0".repeat(32));
    assert_eq!(
        call(
            &mock,
            Method::POST,
            &unknown,
            &[("FriendlyName", &"x".repeat(300))]
        )
        .await
        .status,
        404
    );
}

// ---------------------------------------------------------------------------------------------
// Rules between resources

#[tokio::test]
async fn a_list_holds_at_most_100_addresses() {
    let mock = MockTwilio::start().await;
    let acl = mock.create_ip_access_control_list("full");
    let addresses = mock
        .client()
        .sip_ip_access_control_list(&acl)
        .ip_addresses();
    for i in 0..100u32 {
        addresses
            .create(format!("a{i}"), format!("10.1.{}.{}", i / 250, i % 250))
            .await
            .unwrap();
    }
    let answer = call(
        &mock,
        Method::POST,
        &sip_path(&mock, acl.as_str()),
        &[("FriendlyName", "x"), ("IpAddress", "10.2.0.1")],
    )
    .await;
    assert_twilio_error(
        &answer,
        400,
        20001,
        &format!("IpAccessControlList {acl} already holds the maximum of 100 IpAddresses"),
    );
    let err = addresses.create("x", "10.2.0.1").await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(400), Some(20001)));
    assert_eq!(addresses.list().collect().await.unwrap().len(), 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_respect_the_limit() {
    let mock = MockTwilio::start().await;
    let acl = mock.create_ip_access_control_list("busy");
    let addresses = mock
        .client()
        .sip_ip_access_control_list(&acl)
        .ip_addresses();
    for i in 0..50u32 {
        addresses
            .create(format!("seed {i}"), format!("10.3.0.{i}"))
            .await
            .unwrap();
    }
    let tasks: Vec<_> = (0..64u32)
        .map(|i| {
            let addresses = addresses.clone();
            tokio::spawn(async move {
                addresses
                    .create(format!("racer {i}"), format!("10.4.0.{i}"))
                    .await
            })
        })
        .collect();
    let (mut created, mut rejected) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => created += 1,
            Err(err) => {
                assert_eq!(
                    (err.status(), err.code()),
                    (Some(400), Some(20001)),
                    "{err}"
                );
                rejected += 1;
            }
        }
    }
    assert_eq!((created, rejected), (50, 14));
    assert_eq!(
        addresses
            .list()
            .page_size(1000)
            .collect()
            .await
            .unwrap()
            .len(),
        100
    );
}

#[tokio::test]
async fn mappings_need_an_existing_record_and_domain() {
    let mock = MockTwilio::start().await;
    let record = mock
        .client()
        .ip_records()
        .create("203.0.113.1")
        .await
        .unwrap()
        .sid;
    let domain = mock.create_sip_domain();
    let missing_record = format!("IL{}", "0".repeat(32));
    let missing_domain = format!("SD{}", "0".repeat(32));

    let answer = call(
        &mock,
        Method::POST,
        "/v1/SourceIpMappings",
        &[
            ("IpRecordSid", &missing_record),
            ("SipDomainSid", domain.as_str()),
        ],
    )
    .await;
    assert_twilio_error(
        &answer,
        400,
        20001,
        &format!("Invalid IpRecordSid: IpRecord {missing_record} does not exist"),
    );
    let answer = call(
        &mock,
        Method::POST,
        "/v1/SourceIpMappings",
        &[
            ("IpRecordSid", record.as_str()),
            ("SipDomainSid", &missing_domain),
        ],
    )
    .await;
    assert_twilio_error(
        &answer,
        400,
        20001,
        &format!("Invalid SipDomainSid: SIP Domain {missing_domain} does not exist"),
    );

    let mapping = mock
        .client()
        .source_ip_mappings()
        .create(&record, &domain)
        .await
        .unwrap()
        .sid;
    let err = mock
        .client()
        .source_ip_mappings()
        .update(&mapping, missing_domain.as_str())
        .await
        .unwrap_err();
    assert_api_error(
        &err,
        400,
        20001,
        &format!("Invalid SipDomainSid: SIP Domain {missing_domain} does not exist"),
    );
}

#[tokio::test]
async fn trunk_association_rules() {
    let mock = MockTwilio::start().await;
    let trunk = mock.create_trunk();
    let acl = mock.create_ip_access_control_list("office");
    let lists = mock.client().trunk(&trunk).ip_access_control_lists();

    let missing = format!("AL{}", "0".repeat(32));
    let err = lists.create(missing.as_str()).await.unwrap_err();
    assert_api_error(
        &err,
        400,
        20001,
        &format!("Invalid IpAccessControlListSid: IpAccessControlList {missing} does not exist"),
    );

    lists.create(&acl).await.unwrap();
    let err = lists.create(&acl).await.unwrap_err();
    assert_api_error(
        &err,
        400,
        20001,
        &format!(
            "Invalid IpAccessControlListSid: IpAccessControlList {acl} is already associated with Trunk {trunk}"
        ),
    );

    let unknown = format!("TK{}", "0".repeat(32));
    let other = mock
        .client()
        .trunk(unknown.as_str())
        .ip_access_control_lists();
    let err = other.create(&acl).await.unwrap_err();
    assert_api_error(
        &err,
        404,
        20404,
        &format!("The requested resource /Trunks/{unknown}/IpAccessControlLists was not found"),
    );
    assert_eq!(other.list().send().await.unwrap_err().code(), Some(20404));
}

// ---------------------------------------------------------------------------------------------
// Paging parameters

#[tokio::test]
async fn page_parameters() {
    let mock = MockTwilio::start().await;
    let acl = mock.create_ip_access_control_list("office");
    for path in ["/v1/IpRecords".to_owned(), sip_path(&mock, acl.as_str())] {
        for (query, code, message) in [
            (
                "PageSize=0",
                20001,
                "Invalid PageSize: must be an integer from 1 to 1000",
            ),
            (
                "PageSize=1001",
                20001,
                "Invalid PageSize: must be an integer from 1 to 1000",
            ),
            (
                "PageSize=abc",
                20001,
                "Invalid PageSize: must be an integer from 1 to 1000",
            ),
            (
                "PageSize=1e3",
                20001,
                "Invalid PageSize: must be an integer from 1 to 1000",
            ),
            ("Page=-1", 20001, "Invalid Page: must be 0 or more"),
            (
                "Page=x",
                20001,
                "Invalid Page: not an integer; a page index is from 0 to 9223372036854775807",
            ),
            (
                "Page=9223372036854775808",
                20001,
                "Invalid Page: above the largest page index, 9223372036854775807",
            ),
            (
                "Page=184467440737095516160",
                20001,
                "Invalid Page: above the largest page index, 9223372036854775807",
            ),
            (
                "PageToken=nonsense",
                20001,
                "Invalid PageToken: not a page token this list issued; follow the next page link",
            ),
            (
                "Page=1",
                70002,
                "Invalid Page: a Page above 0 needs the PageToken of the previous page's next page link",
            ),
            (
                "Page=%ZZ",
                70002,
                "Invalid query string: malformed percent-encoding or not UTF-8",
            ),
        ] {
            let answer = call(&mock, Method::GET, &format!("{path}?{query}"), &[]).await;
            assert_twilio_error(&answer, 400, code, message);
        }
        assert_eq!(
            call(
                &mock,
                Method::GET,
                &format!("{path}?PageSize=1000&Page=0"),
                &[]
            )
            .await
            .status,
            200
        );
    }
}

/// `Page` is an int64 of 0 or more in the spec, and the emulator serves every such value: a page
/// index above 2^32 with a page token is answered, and echoed in the page's links.
#[tokio::test]
async fn every_page_index_the_spec_allows_is_served() {
    let mock = MockTwilio::start().await;
    let client = mock.client();
    let mut sids = Vec::new();
    for i in 0..2 {
        let record = client
            .ip_records()
            .create(format!("198.51.100.{i}"))
            .await
            .unwrap();
        sids.push(record.sid.to_string());
    }
    for page in ["4294967296", "9223372036854775806"] {
        let path = format!(
            "/v1/IpRecords?PageSize=1&Page={page}&PageToken=PA{}",
            sids[0]
        );
        let answer = call(&mock, Method::GET, &path, &[]).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        assert_eq!(answer.body["meta"]["page"].to_string(), page);
        assert_eq!(answer.body["ip_records"][0]["sid"], sids[1].as_str());
    }
}

/// Twilio stores a `CidrPrefixLength` of 0 as 32 (terraform-provider-twilio #137): an entry sent
/// as `/0` holds one address. The emulator does the same on create and on update.
#[tokio::test]
async fn a_prefix_length_of_0_is_stored_as_32() {
    let mock = MockTwilio::start().await;
    let acl = mock.create_ip_access_control_list("office");
    let path = sip_path(&mock, acl.as_str());
    let created = call(
        &mock,
        Method::POST,
        &path,
        &[
            ("FriendlyName", "everyone?"),
            ("IpAddress", "0.0.0.0"),
            ("CidrPrefixLength", "0"),
        ],
    )
    .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["cidr_prefix_length"], 32);
    let uri = created.body["uri"].as_str().unwrap().to_owned();
    let updated = call(&mock, Method::POST, &uri, &[("CidrPrefixLength", "24")]).await;
    assert_eq!(updated.body["cidr_prefix_length"], 24);
    let updated = call(&mock, Method::POST, &uri, &[("CidrPrefixLength", "0")]).await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.body["cidr_prefix_length"], 32);
    assert_eq!(
        call(&mock, Method::GET, &uri, &[]).await.body["cidr_prefix_length"],
        32
    );

    let record = mock
        .client()
        .ip_records()
        .create("0.0.0.0")
        .cidr_prefix_length(0)
        .await
        .unwrap();
    assert_eq!(record.cidr_prefix_length, Some(32));
}

// ---------------------------------------------------------------------------------------------
// Robustness

#[tokio::test]
async fn malformed_requests_get_json_errors() {
    let mock = MockTwilio::start().await;
    let http = reqwest::Client::new();
    let url = format!("{}/v1/IpRecords", mock.base_url());
    let auth = |r: reqwest::RequestBuilder| {
        r.basic_auth(mock.account_sid().as_str(), Some(mock.auth_token()))
    };

    let oversized = format!("IpAddress=10.0.0.1&FriendlyName={}", "x".repeat(70 * 1024));
    let answer = receive(
        auth(http.post(&url))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(oversized),
    )
    .await;
    assert_twilio_error(
        &answer,
        413,
        70002,
        "Request body too large: at most 65536 bytes are accepted",
    );

    let answer = receive(
        auth(http.post(&url))
            .header("content-type", "application/json")
            .body(r#"{"IpAddress":"10.0.0.1"}"#),
    )
    .await;
    assert_twilio_error(
        &answer,
        400,
        70002,
        "Invalid Content-Type: the request body must be application/x-www-form-urlencoded",
    );

    let answer = receive(auth(http.post(&url)).body("IpAddress=10.0.0.1")).await;
    assert_twilio_error(
        &answer,
        400,
        70002,
        "Invalid Content-Type: the request body must be application/x-www-form-urlencoded",
    );

    let form = |body: &'static [u8]| {
        auth(http.post(&url))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
    };
    let answer = receive(form(b"IpAddress=10.0.0.1&FriendlyName=\xff\xfe")).await;
    assert_twilio_error(&answer, 400, 70002, "Invalid request body: not valid UTF-8");
    let answer = receive(form(b"IpAddress=10.0.0.1&FriendlyName=%C3%28")).await;
    assert_twilio_error(&answer, 400, 70002, "Invalid request body: not valid UTF-8");
    let answer = receive(form(b"IpAddress=10.0.0.1&FriendlyName=%G1")).await;
    assert_twilio_error(
        &answer,
        400,
        70002,
        "Invalid request body: malformed application/x-www-form-urlencoded data",
    );

    // Unknown routes and methods.
    for path in [
        "/v1/Nope",
        "/v1/IpRecords/",
        "/2010-04-01/Accounts",
        "/v1/IpRecords/garbage/more",
        "/",
    ] {
        let answer = call(&mock, Method::GET, path, &[]).await;
        let shown = path
            .strip_prefix("/v1")
            .filter(|p| p.starts_with('/'))
            .unwrap_or(path);
        assert_twilio_error(
            &answer,
            404,
            20404,
            &format!("The requested resource {shown} was not found"),
        );
    }
    let answer = call(&mock, Method::GET, "/v1/IpRecords/garbage", &[]).await;
    assert_twilio_error(
        &answer,
        404,
        20404,
        "The requested resource /IpRecords/garbage was not found",
    );
    let acl = mock.create_ip_access_control_list("x");
    let no_json = sip_path(&mock, acl.as_str()).replace(
        "IpAddresses.json",
        &format!("IpAddresses/IP{}", "0".repeat(32)),
    );
    assert_eq!(call(&mock, Method::GET, &no_json, &[]).await.status, 404);
    for (method, path) in [
        (Method::PUT, "/v1/IpRecords".to_owned()),
        (Method::PATCH, format!("/v1/IpRecords/IL{}", "0".repeat(32))),
        (
            Method::POST,
            format!(
                "/v1/Trunks/{}/IpAccessControlLists/AL{}",
                mock.create_trunk(),
                "0".repeat(32)
            ),
        ),
        (Method::DELETE, "/v1/SourceIpMappings".to_owned()),
    ] {
        let answer = call(&mock, method, &path, &[]).await;
        assert_twilio_error(&answer, 405, 20004, "Method not allowed");
    }
    // The server is still healthy.
    assert!(mock.client().ip_records().create("10.0.0.1").await.is_ok());
}

#[tokio::test]
async fn a_stalled_body_does_not_hang_other_requests() {
    let mock = MockTwilio::start().await;
    let addr = mock.addr();
    // A client that announces a body and never sends it.
    let stalled = std::thread::spawn(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .write_all(
                b"POST /v1/IpRecords HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nIpAddr",
            )
            .unwrap();
        std::thread::sleep(Duration::from_millis(500));
    });
    let started = Instant::now();
    assert!(mock.client().ip_records().list().send().await.is_ok());
    assert!(started.elapsed() < Duration::from_secs(2));
    stalled.join().unwrap();
}

// ---------------------------------------------------------------------------------------------
// Fault injection and the request log

#[tokio::test]
async fn injected_503_with_retry_after_then_success() {
    let mock = MockTwilio::start().await;
    mock.inject(
        Fault::on(Method::GET, "/v1/IpRecords")
            .status(503)
            .retry_after(Duration::from_secs(2))
            .times(1),
    );
    let first = call(&mock, Method::GET, "/v1/IpRecords", &[]).await;
    assert_twilio_error(&first, 503, 20503, "Service unavailable");
    assert_eq!(
        first
            .headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("2")
    );
    let second = call(&mock, Method::GET, "/v1/IpRecords", &[]).await;
    assert_eq!(second.status, 200);
    assert!(second.headers.get("retry-after").is_none());
}

#[tokio::test]
async fn faults_match_method_and_path_and_count_down() {
    let mock = MockTwilio::start().await;
    mock.inject(Fault::on("post", "/v1/IpRecords").status(429).times(2));
    // Other methods and paths are untouched.
    assert_eq!(
        call(&mock, Method::GET, "/v1/IpRecords", &[]).await.status,
        200
    );
    assert_eq!(
        call(&mock, Method::GET, "/v1/SourceIpMappings", &[])
            .await
            .status,
        200
    );
    for _ in 0..2 {
        let answer = call(
            &mock,
            Method::POST,
            "/v1/IpRecords",
            &[("IpAddress", "10.0.0.1")],
        )
        .await;
        assert_twilio_error(&answer, 429, 20429, "Too Many Requests");
    }
    assert_eq!(
        call(
            &mock,
            Method::POST,
            "/v1/IpRecords",
            &[("IpAddress", "10.0.0.1")]
        )
        .await
        .status,
        201
    );

    // Faults apply after authentication: a wrong password is still a 401 and uses no fault.
    mock.inject(Fault::on("*", "/").status(500));
    let answer = call_as(
        &mock,
        mock.account_sid().as_str(),
        "wrong",
        Method::GET,
        "/v1/IpRecords",
        &[],
    )
    .await;
    assert_eq!(answer.status, 401);
    let answer = call(&mock, Method::GET, "/v1/IpRecords", &[]).await;
    assert_twilio_error(&answer, 500, 20500, "Internal Server Error");
}

#[tokio::test]
async fn the_facade_retries_an_injected_429() {
    let mock = MockTwilio::start().await;
    mock.inject(
        Fault::on("POST", "/v1/IpRecords")
            .status(429)
            .retry_after(Duration::ZERO)
            .times(2),
    );
    let client = mock
        .client_builder()
        .retry_policy(RetryPolicy::default().max_attempts(3).jitter(false))
        .build()
        .unwrap();
    client.ip_records().create("203.0.113.9").await.unwrap();
    let posts = mock
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 3);
    assert_eq!(
        client.ip_records().list().collect().await.unwrap().len(),
        1,
        "one record despite three attempts"
    );
}

#[tokio::test]
async fn delay_faults_slow_a_request_down() {
    let mock = MockTwilio::start().await;
    mock.inject(Fault::on("GET", "/v1/IpRecords").delay(Duration::from_millis(300)));
    let started = Instant::now();
    assert!(mock.client().ip_records().list().send().await.is_ok());
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    assert!(mock.client().ip_records().list().send().await.is_ok());
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "the delay applied once"
    );
    // A delay longer than the client's timeout is a timeout, and the server stays usable.
    mock.inject(Fault::on("GET", "/v1/IpRecords").delay(Duration::from_secs(30)));
    let impatient = mock
        .client_builder()
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    match impatient.ip_records().list().send().await {
        Err(twilio_ip_access::Error::Transport {
            source,
            attempts: 1,
        }) => {
            assert!(source.is_timeout(), "{source:?}")
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(mock.client().ip_records().list().send().await.is_ok());
}

#[tokio::test]
async fn faults_after_handling_let_the_write_land_and_the_log_says_so() {
    let mock = MockTwilio::start().await;
    let impatient = mock
        .client_builder()
        .timeout(Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    // A plain delay past the client's timeout: the client gives up, the handler never runs.
    mock.inject(Fault::on("POST", "/v1/IpRecords").delay(Duration::from_secs(5)));
    let err = impatient
        .ip_records()
        .create("203.0.113.1")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    // After handling: the same timeout for the client, but the record is stored.
    mock.inject(
        Fault::on("POST", "/v1/IpRecords")
            .delay(Duration::from_secs(5))
            .after_handling(),
    );
    let err = impatient
        .ip_records()
        .create("203.0.113.2")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    // After handling with a status: stored, answered 500.
    mock.inject(
        Fault::on("POST", "/v1/IpRecords")
            .status(500)
            .after_handling(),
    );
    let err = impatient
        .ip_records()
        .create("203.0.113.3")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    let stored: Vec<_> = mock
        .client()
        .ip_records()
        .list()
        .collect()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.ip_address.unwrap_or_default())
        .collect();
    assert_eq!(stored, ["203.0.113.2", "203.0.113.3"]);
    let handled: Vec<_> = mock
        .requests()
        .iter()
        .map(|r| (r.method.clone(), r.handled))
        .collect();
    assert_eq!(
        handled,
        [
            ("POST".to_owned(), None),
            ("POST".to_owned(), Some(201)),
            ("POST".to_owned(), Some(201)),
            ("GET".to_owned(), Some(200)),
        ]
    );
}

#[tokio::test]
async fn every_product_has_its_base_url_and_an_absurd_retry_after_does_not_panic() {
    let mock = MockTwilio::start().await;
    assert_eq!(mock.voice_base_url(), format!("http://{}", mock.addr()));
    assert_eq!(mock.trunking_base_url(), mock.base_url());
    assert_eq!(mock.api_base_url(), mock.base_url());
    mock.inject(
        Fault::on("GET", "/v1/IpRecords")
            .status(429)
            .retry_after(Duration::MAX),
    );
    let err = mock
        .client_builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
        .ip_records()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(u64::MAX)));
}

#[tokio::test]
async fn the_request_log_keeps_every_request_with_auth_redacted() {
    let mock = MockTwilio::start().await;
    mock.client()
        .ip_records()
        .create("203.0.113.10")
        .friendly_name("sbc 1")
        .cidr_prefix_length(24)
        .await
        .unwrap();
    let _ = call_as(
        &mock,
        "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "nope",
        Method::GET,
        "/v1/IpRecords?PageSize=5",
        &[],
    )
    .await;

    let log = mock.requests();
    assert_eq!(log.len(), 2);
    let create = &log[0];
    assert_eq!(create.method, "POST");
    assert_eq!(create.path, "/v1/IpRecords");
    assert_eq!(create.query, None);
    assert_eq!(
        create.body_text(),
        "CidrPrefixLength=24&FriendlyName=sbc+1&IpAddress=203.0.113.10"
    );
    assert_eq!(create.header("Authorization"), Some("** redacted **"));
    assert_eq!(
        create.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(
        create
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("twilio-ip-access/"))
    );
    let rejected = &log[1];
    assert_eq!(
        (rejected.method.as_str(), rejected.query.as_deref()),
        ("GET", Some("PageSize=5"))
    );
    assert_eq!(rejected.header("authorization"), Some("** redacted **"));
    let dump = format!("{log:?}");
    assert!(
        !dump.contains(mock.auth_token()) && !dump.contains("Basic "),
        "no credentials in the log"
    );

    mock.clear_requests();
    assert!(mock.requests().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Lifecycle of the emulator itself

#[test]
fn start_blocking_works_without_tokio() {
    let mock = MockTwilio::start_blocking();
    let addr = mock.addr();
    let credentials = base64_basic(mock.account_sid().as_str(), mock.auth_token());
    let body = "IpAddress=192.0.2.44";
    let request = format!(
        "POST /v1/IpRecords HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Basic {credentials}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 201"), "{response}");
    assert!(
        response.contains("\"ip_address\":\"192.0.2.44\""),
        "{response}"
    );

    // The same server, through the facade on a runtime of the caller's own.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let listed = runtime
        .block_on(mock.client().ip_records().list().collect())
        .unwrap();
    assert_eq!(listed.len(), 1);

    drop(mock);
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "dropping the handle stops the server"
    );
}

fn base64_basic(user: &str, password: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
}

#[tokio::test]
async fn shutdown_and_drop_stop_the_server() {
    let mock = MockTwilio::start().await;
    let addr = mock.addr();
    assert!(mock.client().ip_records().list().send().await.is_ok());
    mock.shutdown().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());

    let mock = MockTwilio::start().await;
    let addr = mock.addr();
    drop(mock);
    let deadline = Instant::now() + Duration::from_secs(5);
    while tokio::net::TcpStream::connect(addr).await.is_ok() {
        assert!(
            Instant::now() < deadline,
            "the server is still listening after drop"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn instances_are_independent_and_hide_their_token() {
    let (a, b) = (MockTwilio::start().await, MockTwilio::start().await);
    assert_ne!(a.base_url(), b.base_url());
    assert_ne!(a.account_sid(), b.account_sid());
    a.client().ip_records().create("203.0.113.1").await.unwrap();
    assert!(
        b.client()
            .ip_records()
            .list()
            .collect()
            .await
            .unwrap()
            .is_empty()
    );
    let shown = format!("{a:?} {a:#?}");
    assert!(!shown.contains(a.auth_token()), "{shown}");
    assert!(shown.contains(a.account_sid().as_str()));
    // One emulator's credentials do not open another.
    let answer = call_as(
        &b,
        a.account_sid().as_str(),
        a.auth_token(),
        Method::GET,
        "/v1/IpRecords",
        &[],
    )
    .await;
    assert_eq!(answer.status, 401);
}

#[tokio::test]
async fn configured_credentials_are_used() {
    let config = twilio_ip_access::mock::MockConfig {
        account_sid: Some(
            twilio_ip_access::sid::AccountSid::new("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").unwrap(),
        ),
        auth_token: Some("s3cret".into()),
        ..Default::default()
    };
    let mock = MockTwilio::start_with(config).await.unwrap();
    assert_eq!(
        mock.account_sid().as_str(),
        "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    );
    assert_eq!(mock.auth_token(), "s3cret");
    assert_eq!(
        call_as(
            &mock,
            "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "s3cret",
            Method::GET,
            "/v1/IpRecords",
            &[]
        )
        .await
        .status,
        200
    );

    let blank = twilio_ip_access::mock::MockConfig {
        auth_token: Some(" ".into()),
        ..Default::default()
    };
    let err = MockTwilio::start_with(blank).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
}
