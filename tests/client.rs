//! Every one of the 32 operations through the facade, against a recording server on 127.0.0.1:
//! the exact method, URL, form body and headers sent, and the exact values parsed from JSON
//! examples (verbatim, placeholder SIDs included): the seed pages' for the first four resources,
//! Twilio's published OpenAPI description's for the others (twilio-oai 2.6.7,
//! `twilio_api_v2010.yaml` and `twilio_trunking_v1.yaml`; MIT, Copyright (C) 2023 Twilio, Inc.).
#![cfg(feature = "mock")]

mod support;

use std::net::Ipv4Addr;

use axum::http::Method;
use chrono::{TimeZone, Utc};
use support::{AC, Recorder, assert_bodiless, assert_form};
use twilio_ip_access::sid::{IpRecordSid, TrunkSid};

const IL: &str = "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const IB: &str = "IBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const SD: &str = "SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TK: &str = "TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const AL: &str = "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const IP: &str = "IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

// Seed page 000 (IpRecord).
const IP_RECORD_CREATE: &str = r#"{
  "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "sid": "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "friendly_name": "friendly_name",
  "ip_address": "IpAddress",
  "cidr_prefix_length": 30,
  "date_created": "2020-03-18T23:31:36Z",
  "date_updated": "2020-03-18T23:31:36Z",
  "url": "https://voice.twilio.com/v1/IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
}"#;
const IP_RECORD_FETCH: &str = r#"{
  "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "sid": "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "friendly_name": "friendly_name",
  "ip_address": "10.2.3.4",
  "cidr_prefix_length": 30,
  "date_created": "2020-03-18T23:31:36Z",
  "date_updated": "2020-03-18T23:31:37Z",
  "url": "https://voice.twilio.com/v1/IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
}"#;
const IP_RECORD_LIST: &str = r#"{
  "meta": {
    "page": 0,
    "page_size": 50,
    "first_page_url": "https://voice.twilio.com/v1/IpRecords?PageSize=50&Page=0",
    "previous_page_url": null,
    "url": "https://voice.twilio.com/v1/IpRecords?PageSize=50&Page=0",
    "next_page_url": null,
    "key": "ip_records"
  },
  "ip_records": [
    {
      "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "sid": "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "friendly_name": "friendly_name",
      "ip_address": "10.2.3.4",
      "cidr_prefix_length": 30,
      "date_created": "2020-03-18T23:31:36Z",
      "date_updated": "2020-03-18T23:31:37Z",
      "url": "https://voice.twilio.com/v1/IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    }
  ]
}"#;
// Seed page 002 (SourceIpMapping).
const MAPPING: &str = r#"{
  "sid": "IBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "ip_record_sid": "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "sip_domain_sid": "SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "date_created": "2020-03-18T23:31:36Z",
  "date_updated": "2020-03-18T23:31:37Z",
  "url": "https://voice.twilio.com/v1/SourceIpMappings/IBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
}"#;
// Seed page 004 (SourceIpMapping list).
const MAPPING_LIST_EMPTY: &str = r#"{
  "meta": {
    "key": "source_ip_mappings",
    "url": "https://voice.twilio.com/v1/SourceIpMappings?PageSize=50&Page=0",
    "page": 0,
    "page_size": 50,
    "next_page_url": null,
    "first_page_url": "https://voice.twilio.com/v1/SourceIpMappings?PageSize=50&Page=0",
    "previous_page_url": null
  },
  "source_ip_mappings": []
}"#;
// Seed page 003 (Trunk IpAccessControlList).
const TRUNK_ACL: &str = r#"{
  "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "date_created": "2018-04-30T20:59:06Z",
  "date_updated": "2018-04-30T20:59:06Z",
  "friendly_name": "friendly_name",
  "sid": "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "trunk_sid": "TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "url": "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
}"#;
const TRUNK_ACL_LIST: &str = r#"{
  "ip_access_control_lists": [
    {
      "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "date_created": "2018-05-02T17:29:34Z",
      "date_updated": "2018-05-02T17:29:34Z",
      "friendly_name": "friendly_name",
      "sid": "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "trunk_sid": "TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "url": "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    }
  ],
  "meta": {
    "first_page_url": "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAccessControlLists?PageSize=50&Page=0",
    "key": "ip_access_control_lists",
    "next_page_url": null,
    "page": 0,
    "page_size": 50,
    "previous_page_url": null,
    "url": "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAccessControlLists?PageSize=50&Page=0"
  }
}"#;
// Seed page 001 (SIP IpAddress), placeholder SIDs as Twilio prints them.
const SIP_ADDRESS_FETCH: &str = r#"{
  "account_sid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
  "date_created": "Mon, 20 Jul 2015 17:27:10 +0000",
  "date_updated": "Mon, 20 Jul 2015 17:27:10 +0000",
  "friendly_name": "friendly_name",
  "ip_access_control_list_sid": "ALXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
  "ip_address": "192.168.1.1",
  "cidr_prefix_length": 32,
  "sid": "IPXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
  "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses/IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json"
}"#;
const SIP_ADDRESS_CREATE: &str = r#"{
  "account_sid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
  "date_created": "Mon, 20 Jul 2015 17:27:10 +0000",
  "date_updated": "Mon, 20 Jul 2015 17:27:10 +0000",
  "friendly_name": "friendly_name",
  "ip_access_control_list_sid": "ALXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
  "ip_address": "ip_address",
  "cidr_prefix_length": 32,
  "sid": "IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses/IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json"
}"#;
const SIP_ADDRESS_LIST: &str = r#"{
  "end": 0,
  "first_page_uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses.json?PageSize=50&Page=0",
  "ip_addresses": [
    {
      "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "date_created": "Mon, 20 Jul 2015 17:27:10 +0000",
      "date_updated": "Mon, 20 Jul 2015 17:27:10 +0000",
      "friendly_name": "friendly_name",
      "ip_access_control_list_sid": "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "ip_address": "192.168.1.1",
      "cidr_prefix_length": 32,
      "sid": "IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses/IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json"
    }
  ],
  "next_page_uri": null,
  "page": 0,
  "page_size": 50,
  "previous_page_uri": null,
  "start": 0,
  "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses.json?PageSize=50&Page=0"
}"#;

fn v1_date(s: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 3, 18, 23, 31, s).unwrap()
}

const SIP_BASE: &str = "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses";

// ---- IpRecord -------------------------------------------------------------------------------

#[tokio::test]
async fn create_ip_record() {
    let server = Recorder::start().await;
    server.json(201, IP_RECORD_CREATE);
    let record = server
        .client()
        .ip_records()
        .create("203.0.113.10")
        .friendly_name("sbc one")
        .cidr_prefix_length(30)
        .send()
        .await
        .unwrap();
    assert_form(
        &server.single(),
        "/v1/IpRecords",
        "CidrPrefixLength=30&FriendlyName=sbc+one&IpAddress=203.0.113.10",
    );
    assert_eq!(record.sid, IL);
    assert_eq!(record.account_sid, AC);
    assert_eq!(record.friendly_name.as_deref(), Some("friendly_name"));
    assert_eq!(record.ip_address.as_deref(), Some("IpAddress"));
    assert_eq!(record.cidr_prefix_length, Some(30u8));
    assert_eq!(record.date_created, v1_date(36));
    assert_eq!(record.date_updated, v1_date(36));
    assert_eq!(
        record.url,
        "https://voice.twilio.com/v1/IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    );
}

#[tokio::test]
async fn create_ip_record_sends_only_what_is_set() {
    let server = Recorder::start().await;
    server.json(201, IP_RECORD_CREATE);
    // Awaiting the builder directly is the same as `.send().await`.
    server
        .client()
        .ip_records()
        .create(Ipv4Addr::new(10, 2, 3, 4))
        .await
        .unwrap();
    assert_form(&server.single(), "/v1/IpRecords", "IpAddress=10.2.3.4");
}

#[tokio::test]
async fn fetch_ip_record() {
    let server = Recorder::start().await;
    server.json(200, IP_RECORD_FETCH);
    let sid: IpRecordSid = IL.parse().unwrap();
    let record = server.client().ip_records().fetch(&sid).await.unwrap();
    assert_bodiless(
        &server.single(),
        Method::GET,
        "/v1/IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
    assert_eq!(record.sid, sid);
    assert_eq!(record.account_sid, AC);
    assert_eq!(record.friendly_name.as_deref(), Some("friendly_name"));
    assert_eq!(record.ip_address.as_deref(), Some("10.2.3.4"));
    assert_eq!(record.cidr_prefix_length, Some(30));
    assert_eq!(record.date_created, v1_date(36));
    assert_eq!(record.date_updated, v1_date(37));
    assert_eq!(
        record.url,
        "https://voice.twilio.com/v1/IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    );
}

#[tokio::test]
async fn update_ip_record() {
    let server = Recorder::start().await;
    server.json(
        200,
        &IP_RECORD_FETCH.replace(
            "\"friendly_name\": \"friendly_name\"",
            "\"friendly_name\": \"FriendlyName\"",
        ),
    );
    let record = server
        .client()
        .ip_records()
        .update(IL)
        .friendly_name("FriendlyName")
        .await
        .unwrap();
    assert_form(
        &server.single(),
        "/v1/IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "FriendlyName=FriendlyName",
    );
    assert_eq!(record.friendly_name.as_deref(), Some("FriendlyName"));
    assert_eq!(record.sid, IL);
    assert_eq!(record.date_updated, v1_date(37));
}

#[tokio::test]
async fn delete_ip_record() {
    let server = Recorder::start().await;
    server.canned(204, vec![], "");
    server.client().ip_records().delete(IL).await.unwrap();
    assert_bodiless(
        &server.single(),
        Method::DELETE,
        "/v1/IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
}

#[tokio::test]
async fn list_ip_records() {
    let server = Recorder::start().await;
    server.json(200, IP_RECORD_LIST);
    let page = server
        .client()
        .ip_records()
        .list()
        .page_size(50)
        .send()
        .await
        .unwrap();
    assert_bodiless(&server.single(), Method::GET, "/v1/IpRecords?PageSize=50");
    assert_eq!(page.items().len(), 1);
    let record = &page.items()[0];
    assert_eq!(record.sid, IL);
    assert_eq!(record.account_sid, AC);
    assert_eq!(record.friendly_name.as_deref(), Some("friendly_name"));
    assert_eq!(record.ip_address.as_deref(), Some("10.2.3.4"));
    assert_eq!(record.cidr_prefix_length, Some(30));
    assert_eq!(record.date_updated, v1_date(37));
    assert_eq!(page.next_cursor(), None);
}

// ---- SourceIpMapping ------------------------------------------------------------------------

#[tokio::test]
async fn create_source_ip_mapping() {
    let server = Recorder::start().await;
    server.json(201, MAPPING);
    let mapping = server
        .client()
        .source_ip_mappings()
        .create(IL, SD)
        .await
        .unwrap();
    assert_form(
        &server.single(),
        "/v1/SourceIpMappings",
        "IpRecordSid=ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&SipDomainSid=SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
    assert_eq!(mapping.sid, IB);
    assert_eq!(mapping.ip_record_sid, IL);
    assert_eq!(mapping.sip_domain_sid, SD);
    assert_eq!(mapping.date_created, v1_date(36));
    assert_eq!(mapping.date_updated, v1_date(37));
    assert_eq!(
        mapping.url,
        "https://voice.twilio.com/v1/SourceIpMappings/IBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    );
}

#[tokio::test]
async fn fetch_source_ip_mapping() {
    let server = Recorder::start().await;
    server.json(200, MAPPING);
    let mapping = server
        .client()
        .source_ip_mappings()
        .fetch(IB)
        .await
        .unwrap();
    assert_bodiless(
        &server.single(),
        Method::GET,
        "/v1/SourceIpMappings/IBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
    assert_eq!(mapping.sid, IB);
    assert_eq!(mapping.ip_record_sid, IL);
    assert_eq!(mapping.sip_domain_sid, SD);
    assert_eq!(mapping.date_created, v1_date(36));
    assert_eq!(mapping.date_updated, v1_date(37));
}

#[tokio::test]
async fn update_source_ip_mapping() {
    let server = Recorder::start().await;
    server.json(200, MAPPING);
    let mapping = server
        .client()
        .source_ip_mappings()
        .update(IB, SD)
        .await
        .unwrap();
    assert_form(
        &server.single(),
        "/v1/SourceIpMappings/IBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "SipDomainSid=SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
    assert_eq!(mapping.sid, IB);
    assert_eq!(mapping.sip_domain_sid, SD);
}

#[tokio::test]
async fn delete_source_ip_mapping() {
    let server = Recorder::start().await;
    server.canned(204, vec![], "");
    server
        .client()
        .source_ip_mappings()
        .delete(IB)
        .await
        .unwrap();
    assert_bodiless(
        &server.single(),
        Method::DELETE,
        "/v1/SourceIpMappings/IBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
}

#[tokio::test]
async fn list_source_ip_mappings_empty() {
    let server = Recorder::start().await;
    server.json(200, MAPPING_LIST_EMPTY);
    let all = server
        .client()
        .source_ip_mappings()
        .list()
        .collect()
        .await
        .unwrap();
    assert_bodiless(&server.single(), Method::GET, "/v1/SourceIpMappings");
    assert!(all.is_empty());
}

// ---- Trunk IpAccessControlList --------------------------------------------------------------

#[tokio::test]
async fn create_trunk_ip_access_control_list() {
    let server = Recorder::start().await;
    server.json(201, TRUNK_ACL);
    let trunk: TrunkSid = TK.parse().unwrap();
    let acl = server
        .client()
        .trunk(trunk)
        .ip_access_control_lists()
        .create(AL)
        .await
        .unwrap();
    assert_form(
        &server.single(),
        "/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAccessControlLists",
        "IpAccessControlListSid=ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
    assert_eq!(acl.sid, AL);
    assert_eq!(acl.account_sid, AC);
    assert_eq!(acl.trunk_sid, TK);
    assert_eq!(acl.friendly_name.as_deref(), Some("friendly_name"));
    assert_eq!(
        acl.date_created,
        Utc.with_ymd_and_hms(2018, 4, 30, 20, 59, 6).unwrap()
    );
}

#[tokio::test]
async fn fetch_trunk_ip_access_control_list() {
    let server = Recorder::start().await;
    server.json(200, TRUNK_ACL);
    let acl = server
        .client()
        .trunk(TK)
        .ip_access_control_lists()
        .fetch(AL)
        .await
        .unwrap();
    assert_bodiless(
        &server.single(),
        Method::GET,
        "/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
    assert_eq!(acl.account_sid, AC);
    assert_eq!(acl.sid, AL);
    assert_eq!(acl.trunk_sid, TK);
    assert_eq!(acl.friendly_name.as_deref(), Some("friendly_name"));
    assert_eq!(
        acl.date_updated,
        Utc.with_ymd_and_hms(2018, 4, 30, 20, 59, 6).unwrap()
    );
    assert_eq!(
        acl.url,
        "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    );
}

#[tokio::test]
async fn delete_trunk_ip_access_control_list() {
    let server = Recorder::start().await;
    server.canned(204, vec![], "");
    server
        .client()
        .trunk(TK)
        .ip_access_control_lists()
        .delete(AL)
        .await
        .unwrap();
    assert_bodiless(
        &server.single(),
        Method::DELETE,
        "/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
}

#[tokio::test]
async fn list_trunk_ip_access_control_lists() {
    let server = Recorder::start().await;
    server.json(200, TRUNK_ACL_LIST);
    let all = server
        .client()
        .trunk(TK)
        .ip_access_control_lists()
        .list()
        .limit(20)
        .collect()
        .await
        .unwrap();
    // Without a page size, pages are sized to the limit, as Twilio's own libraries do.
    assert_bodiless(
        &server.single(),
        Method::GET,
        "/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAccessControlLists?PageSize=20",
    );
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].sid, AL);
    assert_eq!(all[0].trunk_sid, TK);
    assert_eq!(
        all[0].date_created,
        Utc.with_ymd_and_hms(2018, 5, 2, 17, 29, 34).unwrap()
    );
}

// ---- SIP IpAddress --------------------------------------------------------------------------

#[tokio::test]
async fn create_sip_ip_address() {
    let server = Recorder::start().await;
    server.json(201, SIP_ADDRESS_CREATE);
    let address = server
        .client()
        .sip_ip_access_control_list(AL)
        .ip_addresses()
        .create("office", "192.168.1.1")
        .cidr_prefix_length(24)
        .await
        .unwrap();
    assert_form(
        &server.single(),
        &format!("{SIP_BASE}.json"),
        "CidrPrefixLength=24&FriendlyName=office&IpAddress=192.168.1.1",
    );
    assert_eq!(address.sid, IP);
    assert_eq!(address.account_sid, "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX");
    assert_eq!(
        address.ip_access_control_list_sid,
        "ALXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
    );
    assert_eq!(address.friendly_name.as_deref(), Some("friendly_name"));
    assert_eq!(address.ip_address.as_deref(), Some("ip_address"));
    assert_eq!(address.cidr_prefix_length, Some(32));
    assert_eq!(
        *address.date_created,
        Utc.with_ymd_and_hms(2015, 7, 20, 17, 27, 10).unwrap()
    );
    assert_eq!(
        address.uri,
        "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses/IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json"
    );
}

#[tokio::test]
async fn fetch_sip_ip_address() {
    let server = Recorder::start().await;
    server.json(200, SIP_ADDRESS_FETCH);
    let address = server
        .client()
        .sip_ip_access_control_list(AL)
        .ip_addresses()
        .fetch(IP)
        .await
        .unwrap();
    assert_bodiless(
        &server.single(),
        Method::GET,
        &format!("{SIP_BASE}/{IP}.json"),
    );
    assert_eq!(address.sid, "IPXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX");
    assert_eq!(address.ip_address.as_deref(), Some("192.168.1.1"));
    assert_eq!(
        address.ip_access_control_list_sid,
        "ALXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
    );
    assert_eq!(
        address.date_updated.to_string(),
        "Mon, 20 Jul 2015 17:27:10 +0000"
    );
}

#[tokio::test]
async fn fetch_sip_ip_address_of_a_subaccount() {
    let server = Recorder::start().await;
    server.json(200, SIP_ADDRESS_FETCH);
    let sub = "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    server
        .client()
        .sip_ip_access_control_list(AL)
        .account(sub)
        .ip_addresses()
        .fetch(IP)
        .await
        .unwrap();
    assert_eq!(
        server.single().uri,
        format!("/2010-04-01/Accounts/{sub}/SIP/IpAccessControlLists/{AL}/IpAddresses/{IP}.json")
    );
}

#[tokio::test]
async fn update_sip_ip_address() {
    let server = Recorder::start().await;
    server.json(200, SIP_ADDRESS_FETCH);
    let updated = server
        .client()
        .sip_ip_access_control_list(AL)
        .ip_addresses()
        .update(IP)
        .ip_address("10.0.0.1")
        .await
        .unwrap();
    assert_form(
        &server.single(),
        &format!("{SIP_BASE}/{IP}.json"),
        "IpAddress=10.0.0.1",
    );
    assert_eq!(updated.sid, "IPXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX");
    assert_eq!(updated.friendly_name.as_deref(), Some("friendly_name"));
    assert_eq!(updated.ip_address.as_deref(), Some("192.168.1.1"));
    assert_eq!(updated.cidr_prefix_length, Some(32));
    assert_eq!(
        updated.date_updated.into_inner(),
        Utc.with_ymd_and_hms(2015, 7, 20, 17, 27, 10).unwrap()
    );

    let server = Recorder::start().await;
    server.json(200, SIP_ADDRESS_FETCH);
    server
        .client()
        .sip_ip_access_control_list(AL)
        .ip_addresses()
        .update(IP)
        .friendly_name("edge & core")
        .cidr_prefix_length(0)
        .ip_address(Ipv4Addr::new(0, 0, 0, 0))
        .await
        .unwrap();
    assert_form(
        &server.single(),
        &format!("{SIP_BASE}/{IP}.json"),
        "CidrPrefixLength=0&FriendlyName=edge+%26+core&IpAddress=0.0.0.0",
    );
}

#[tokio::test]
async fn delete_sip_ip_address() {
    let server = Recorder::start().await;
    server.canned(204, vec![], "");
    server
        .client()
        .sip_ip_access_control_list(AL)
        .ip_addresses()
        .delete(IP)
        .await
        .unwrap();
    assert_bodiless(
        &server.single(),
        Method::DELETE,
        &format!("{SIP_BASE}/{IP}.json"),
    );
}

#[tokio::test]
async fn list_sip_ip_addresses() {
    let server = Recorder::start().await;
    server.json(200, SIP_ADDRESS_LIST);
    let page = server
        .client()
        .sip_ip_access_control_list(AL)
        .ip_addresses()
        .list()
        .await
        .unwrap();
    assert_bodiless(&server.single(), Method::GET, &format!("{SIP_BASE}.json"));
    assert_eq!(page.items().len(), 1);
    assert_eq!(page.next_cursor(), None);
    let address = &page.items()[0];
    assert_eq!(address.sid, IP);
    assert_eq!(address.account_sid, AC);
    assert_eq!(address.ip_access_control_list_sid, AL);
    assert_eq!(address.ip_address.as_deref(), Some("192.168.1.1"));
    assert_eq!(address.cidr_prefix_length, Some(32));
    assert_eq!(
        address.date_updated.to_string(),
        "Mon, 20 Jul 2015 17:27:10 +0000"
    );
}
