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
use support::{AC, Recorder, assert_bodiless, assert_empty_post, assert_form};
use twilio_ip_access::{
    AuthCallsIpAccessControlListMapping, SipDomain, SipDomainEnumHttpMethod,
    SipIpAccessControlList, Trunk, TrunkEnumHttpMethod, TrunkEnumTransferCallerId,
    TrunkEnumTransferSetting,
    sid::{
        ByocTrunkSid, IpAccessControlListSid, IpRecordSid, PhoneNumberSid, SipDomainSid, TrunkSid,
    },
};

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

#[tokio::test]
async fn update_ip_record_without_fields_says_its_body_is_empty() {
    let server = Recorder::start().await;
    server.json(200, IP_RECORD_FETCH);
    let record = server.client().ip_records().update(IL).await.unwrap();
    let request = server.single();
    assert_empty_post(&request, "/v1/IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_eq!(record.sid, IL);
}

// ---- SIP IpAccessControlList ----------------------------------------------------------------

// twilio-oai 2.6.7, `twilio_api_v2010.yaml` (MIT, Copyright (C) 2023 Twilio, Inc.):
// `…/SIP/IpAccessControlLists.json` POST 201 `create`, and `…/IpAccessControlLists/{Sid}.json`
// GET 200 `fetch` and POST 200 `update` (all three the same body).
const SIP_ACL: &str = r#"{
  "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "date_created": "Fri, 17 Jul 2015 21:25:15 +0000",
  "date_updated": "Fri, 17 Jul 2015 21:25:15 +0000",
  "friendly_name": "aaaa",
  "sid": "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "subresource_uris": {
    "ip_addresses": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses.json"
  },
  "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json"
}"#;
// twilio-oai 2.6.7, `twilio_api_v2010.yaml`: `…/SIP/IpAccessControlLists.json` GET 200 `readFull`.
const SIP_ACL_LIST: &str = r#"{
  "end": 0,
  "first_page_uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists.json?PageSize=50&Page=0",
  "ip_access_control_lists": [
    {
      "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "date_created": "Fri, 17 Jul 2015 21:25:15 +0000",
      "date_updated": "Fri, 17 Jul 2015 21:25:15 +0000",
      "friendly_name": "aaaa",
      "sid": "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "subresource_uris": {
        "ip_addresses": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses.json"
      },
      "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json"
    }
  ],
  "next_page_uri": null,
  "page": 0,
  "page_size": 50,
  "previous_page_uri": null,
  "start": 0,
  "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists.json?PageSize=50&Page=0"
}"#;

const SIP_ACLS: &str =
    "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists";

fn sip_acl_date() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2015, 7, 17, 21, 25, 15).unwrap()
}

fn assert_sip_acl_example(acl: &SipIpAccessControlList) {
    assert_eq!(acl.sid, AL);
    assert_eq!(acl.account_sid, AC);
    assert_eq!(acl.friendly_name.as_deref(), Some("aaaa"));
    assert_eq!(*acl.date_created, sip_acl_date());
    assert_eq!(acl.date_updated.into_inner(), sip_acl_date());
    assert_eq!(
        acl.date_created.to_string(),
        "Fri, 17 Jul 2015 21:25:15 +0000"
    );
    assert_eq!(
        acl.subresource_uris.as_ref().unwrap()["ip_addresses"],
        "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses.json"
    );
    assert_eq!(acl.subresource_uris.as_ref().unwrap().len(), 1);
    assert_eq!(
        acl.uri,
        "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json"
    );
}

#[tokio::test]
async fn create_sip_ip_access_control_list() {
    let server = Recorder::start().await;
    server.json(201, SIP_ACL);
    let acl = server
        .client()
        .sip_ip_access_control_lists()
        .create("Scranton & Stamford")
        .await
        .unwrap();
    assert_form(
        &server.single(),
        &format!("{SIP_ACLS}.json"),
        "FriendlyName=Scranton+%26+Stamford",
    );
    assert_sip_acl_example(&acl);
}

#[tokio::test]
async fn fetch_sip_ip_access_control_list() {
    let server = Recorder::start().await;
    server.json(200, SIP_ACL);
    let sid: IpAccessControlListSid = AL.parse().unwrap();
    let acl = server
        .client()
        .sip_ip_access_control_lists()
        .fetch(&sid)
        .send()
        .await
        .unwrap();
    assert_bodiless(
        &server.single(),
        Method::GET,
        &format!("{SIP_ACLS}/{AL}.json"),
    );
    assert_sip_acl_example(&acl);
}

#[tokio::test]
async fn update_sip_ip_access_control_list() {
    let server = Recorder::start().await;
    server.json(200, SIP_ACL);
    let acl = server
        .client()
        .sip_ip_access_control_lists()
        .update(AL, "aaaa")
        .await
        .unwrap();
    assert_form(
        &server.single(),
        &format!("{SIP_ACLS}/{AL}.json"),
        "FriendlyName=aaaa",
    );
    assert_sip_acl_example(&acl);
}

#[tokio::test]
async fn delete_sip_ip_access_control_list() {
    let server = Recorder::start().await;
    server.canned(204, vec![], "");
    server
        .client()
        .sip_ip_access_control_lists()
        .delete(AL)
        .await
        .unwrap();
    assert_bodiless(
        &server.single(),
        Method::DELETE,
        &format!("{SIP_ACLS}/{AL}.json"),
    );
}

#[tokio::test]
async fn list_sip_ip_access_control_lists() {
    let server = Recorder::start().await;
    server.json(200, SIP_ACL_LIST);
    let page = server
        .client()
        .sip_ip_access_control_lists()
        .list()
        .page_size(50)
        .send()
        .await
        .unwrap();
    assert_bodiless(
        &server.single(),
        Method::GET,
        &format!("{SIP_ACLS}.json?PageSize=50"),
    );
    assert_eq!(page.items().len(), 1);
    assert_eq!(page.next_cursor(), None);
    assert_sip_acl_example(&page.items()[0]);
}

#[tokio::test]
async fn sip_ip_access_control_lists_of_a_subaccount() {
    let server = Recorder::start().await;
    server.json(201, SIP_ACL).json(200, SIP_ACL_LIST);
    let sub = "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    let lists = server.client().sip_ip_access_control_lists().account(sub);
    lists.create("aaaa").await.unwrap();
    lists.list().collect().await.unwrap();
    let requests = server.requests();
    assert_form(
        &requests[0],
        &format!("/2010-04-01/Accounts/{sub}/SIP/IpAccessControlLists.json"),
        "FriendlyName=aaaa",
    );
    assert_bodiless(
        &requests[1],
        Method::GET,
        &format!("/2010-04-01/Accounts/{sub}/SIP/IpAccessControlLists.json"),
    );
}

// ---- SIP Domain -----------------------------------------------------------------------------

// twilio-oai 2.6.7, `twilio_api_v2010.yaml` (MIT, Copyright (C) 2023 Twilio, Inc.):
// `…/SIP/Domains/{Sid}.json` GET 200 `fetch`.
const SIP_DOMAIN: &str = r#"{
  "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "api_version": "2010-04-01",
  "auth_type": "IP_ACL",
  "date_created": "Mon, 20 Jul 2015 17:27:10 +0000",
  "date_updated": "Mon, 20 Jul 2015 17:27:10 +0000",
  "domain_name": "dunder-mifflin-scranton.sip.twilio.com",
  "friendly_name": "Scranton Office",
  "sip_registration": true,
  "sid": "SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "subresource_uris": {
    "credential_list_mappings": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/Domains/SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/CredentialListMappings.json",
    "ip_access_control_list_mappings": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/Domains/SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAccessControlListMappings.json"
  },
  "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/Domains/SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json",
  "voice_fallback_method": "POST",
  "voice_fallback_url": null,
  "voice_method": "POST",
  "voice_status_callback_method": "POST",
  "voice_status_callback_url": null,
  "voice_url": "https://dundermifflin.example.com/twilio/app.php",
  "emergency_calling_enabled": true,
  "secure": true,
  "byoc_trunk_sid": "BYaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "emergency_caller_sid": "PNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
}"#;
// twilio-oai 2.6.7, `twilio_api_v2010.yaml`: `…/SIP/Domains.json` GET 200 `readFull`.
const SIP_DOMAIN_LIST: &str = r#"{
  "domains": [
    {
      "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "api_version": "2010-04-01",
      "auth_type": "IP_ACL",
      "date_created": "Mon, 20 Jul 2015 17:27:10 +0000",
      "date_updated": "Mon, 20 Jul 2015 17:27:10 +0000",
      "domain_name": "dunder-mifflin-scranton.sip.twilio.com",
      "friendly_name": "Scranton Office",
      "sip_registration": true,
      "sid": "SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "subresource_uris": {
        "credential_list_mappings": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/Domains/SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/CredentialListMappings.json",
        "ip_access_control_list_mappings": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/Domains/SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAccessControlListMappings.json"
      },
      "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/Domains/SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json",
      "voice_fallback_method": "POST",
      "voice_fallback_url": null,
      "voice_method": "POST",
      "voice_status_callback_method": "POST",
      "voice_status_callback_url": null,
      "voice_url": "https://dundermifflin.example.com/twilio/app.php",
      "emergency_calling_enabled": true,
      "secure": true,
      "byoc_trunk_sid": "BYaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "emergency_caller_sid": "PNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    }
  ],
  "start": 0,
  "end": 0,
  "first_page_uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/Domains.json?PageSize=50&Page=0",
  "next_page_uri": null,
  "page": 0,
  "page_size": 50,
  "previous_page_uri": null,
  "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/Domains.json?PageSize=50&Page=0"
}"#;

const SIP_DOMAINS: &str = "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/Domains";

fn assert_sip_domain_example(domain: &SipDomain) {
    assert_eq!(domain.sid, SD);
    assert_eq!(domain.account_sid, AC);
    assert_eq!(domain.api_version.as_deref(), Some("2010-04-01"));
    assert_eq!(domain.auth_type.as_deref(), Some("IP_ACL"));
    assert_eq!(
        *domain.date_created,
        Utc.with_ymd_and_hms(2015, 7, 20, 17, 27, 10).unwrap()
    );
    assert_eq!(
        domain.date_updated.to_string(),
        "Mon, 20 Jul 2015 17:27:10 +0000"
    );
    assert_eq!(
        domain.domain_name.as_deref(),
        Some("dunder-mifflin-scranton.sip.twilio.com")
    );
    assert_eq!(domain.friendly_name.as_deref(), Some("Scranton Office"));
    assert_eq!(domain.sip_registration, Some(true));
    assert_eq!(domain.emergency_calling_enabled, Some(true));
    assert_eq!(domain.secure, Some(true));
    let byoc: ByocTrunkSid = "BYaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().unwrap();
    assert_eq!(domain.byoc_trunk_sid, Some(byoc));
    let caller: PhoneNumberSid = "PNaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".parse().unwrap();
    assert_eq!(domain.emergency_caller_sid, Some(caller));
    assert_eq!(
        domain.voice_url.as_deref(),
        Some("https://dundermifflin.example.com/twilio/app.php")
    );
    assert_eq!(domain.voice_method, Some(SipDomainEnumHttpMethod::Post));
    assert_eq!(
        domain.voice_status_callback_method,
        Some(SipDomainEnumHttpMethod::Post)
    );
    assert_eq!(domain.voice_fallback_url, None);
    assert_eq!(domain.voice_status_callback_url, None);
    let uris = domain.subresource_uris.as_ref().unwrap();
    assert_eq!(uris.len(), 2);
    assert_eq!(
        uris["ip_access_control_list_mappings"],
        "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/Domains/SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAccessControlListMappings.json"
    );
    assert_eq!(
        domain.uri,
        "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/Domains/SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json"
    );
}

#[tokio::test]
async fn fetch_sip_domain() {
    let server = Recorder::start().await;
    server.json(200, SIP_DOMAIN);
    let domain = server.client().sip_domains().fetch(SD).await.unwrap();
    assert_bodiless(
        &server.single(),
        Method::GET,
        &format!("{SIP_DOMAINS}/{SD}.json"),
    );
    assert_sip_domain_example(&domain);
    assert_eq!(
        domain.voice_fallback_method,
        Some(SipDomainEnumHttpMethod::Post)
    );
}

#[tokio::test]
async fn fetch_sip_domain_with_a_method_twilio_added_later() {
    let server = Recorder::start().await;
    // Twilio's example with a value no version of the spec lists.
    server.json(
        200,
        &SIP_DOMAIN.replace(
            r#""voice_fallback_method": "POST""#,
            r#""voice_fallback_method": "QUERY""#,
        ),
    );
    let domain = server
        .client()
        .sip_domains()
        .account("ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
        .fetch(SD)
        .await
        .unwrap();
    assert_bodiless(
        &server.single(),
        Method::GET,
        &format!("/2010-04-01/Accounts/ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/SIP/Domains/{SD}.json"),
    );
    assert_eq!(
        domain.voice_fallback_method,
        Some(SipDomainEnumHttpMethod::Unknown("QUERY".into()))
    );
    assert_eq!(
        domain.voice_fallback_method.as_ref().unwrap().as_str(),
        "QUERY"
    );
    assert_sip_domain_example(&domain);
}

#[tokio::test]
async fn list_sip_domains() {
    let server = Recorder::start().await;
    server.json(200, SIP_DOMAIN_LIST);
    let all = server
        .client()
        .sip_domains()
        .list()
        .limit(10)
        .collect()
        .await
        .unwrap();
    assert_bodiless(
        &server.single(),
        Method::GET,
        &format!("{SIP_DOMAINS}.json?PageSize=10"),
    );
    assert_eq!(all.len(), 1);
    assert_sip_domain_example(&all[0]);
}

// ---- SIP Domain Auth Calls IpAccessControlListMapping ---------------------------------------

// twilio-oai 2.6.7, `twilio_api_v2010.yaml` (MIT, Copyright (C) 2023 Twilio, Inc.):
// `…/SIP/Domains/{DomainSid}/Auth/Calls/IpAccessControlListMappings.json` POST 201 `create`
// (and `…/{Sid}.json` GET 200 `fetch`, the same body).
const DOMAIN_ACL_MAPPING: &str = r#"{
  "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "date_created": "Thu, 30 Jul 2015 20:00:00 +0000",
  "date_updated": "Thu, 30 Jul 2015 20:00:00 +0000",
  "friendly_name": "friendly_name",
  "sid": "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
}"#;
// twilio-oai 2.6.7, `twilio_api_v2010.yaml`: the same path, GET 200 `readFull`.
const DOMAIN_ACL_MAPPING_LIST: &str = r#"{
  "first_page_uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/Domains/SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Auth/Calls/IpAccessControlListMappings.json?PageSize=50&Page=0",
  "end": 0,
  "previous_page_uri": null,
  "contents": [
    {
      "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "date_created": "Thu, 30 Jul 2015 20:00:00 +0000",
      "date_updated": "Thu, 30 Jul 2015 20:00:00 +0000",
      "friendly_name": "friendly_name",
      "sid": "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    }
  ],
  "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/Domains/SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Auth/Calls/IpAccessControlListMappings.json?PageSize=50&Page=0",
  "page_size": 50,
  "start": 0,
  "next_page_uri": null,
  "page": 0
}"#;

const DOMAIN_ACL_MAPPINGS: &str = "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/Domains/SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Auth/Calls/IpAccessControlListMappings";

fn assert_domain_acl_mapping_example(mapping: &AuthCallsIpAccessControlListMapping) {
    assert_eq!(mapping.sid, AL);
    assert_eq!(mapping.account_sid, AC);
    assert_eq!(mapping.friendly_name.as_deref(), Some("friendly_name"));
    let date = Utc.with_ymd_and_hms(2015, 7, 30, 20, 0, 0).unwrap();
    assert_eq!(*mapping.date_created, date);
    assert_eq!(*mapping.date_updated, date);
}

#[tokio::test]
async fn create_auth_calls_ip_access_control_list_mapping() {
    let server = Recorder::start().await;
    server.json(201, DOMAIN_ACL_MAPPING);
    let domain: SipDomainSid = SD.parse().unwrap();
    let mapping = server
        .client()
        .sip_domain(domain)
        .auth_calls_ip_access_control_list_mappings()
        .create(AL)
        .await
        .unwrap();
    assert_form(
        &server.single(),
        &format!("{DOMAIN_ACL_MAPPINGS}.json"),
        "IpAccessControlListSid=ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
    assert_domain_acl_mapping_example(&mapping);
}

#[tokio::test]
async fn fetch_auth_calls_ip_access_control_list_mapping() {
    let server = Recorder::start().await;
    server.json(200, DOMAIN_ACL_MAPPING);
    let mapping = server
        .client()
        .sip_domain(SD)
        .auth_calls_ip_access_control_list_mappings()
        .fetch(AL)
        .send()
        .await
        .unwrap();
    assert_bodiless(
        &server.single(),
        Method::GET,
        &format!("{DOMAIN_ACL_MAPPINGS}/{AL}.json"),
    );
    assert_domain_acl_mapping_example(&mapping);
}

#[tokio::test]
async fn delete_auth_calls_ip_access_control_list_mapping() {
    let server = Recorder::start().await;
    server.canned(204, vec![], "");
    server
        .client()
        .sip_domain(SD)
        .auth_calls_ip_access_control_list_mappings()
        .delete(AL)
        .await
        .unwrap();
    assert_bodiless(
        &server.single(),
        Method::DELETE,
        &format!("{DOMAIN_ACL_MAPPINGS}/{AL}.json"),
    );
}

#[tokio::test]
async fn list_auth_calls_ip_access_control_list_mappings() {
    let server = Recorder::start().await;
    server.json(200, DOMAIN_ACL_MAPPING_LIST);
    let page = server
        .client()
        .sip_domain(SD)
        .auth_calls_ip_access_control_list_mappings()
        .list()
        .await
        .unwrap();
    assert_bodiless(
        &server.single(),
        Method::GET,
        &format!("{DOMAIN_ACL_MAPPINGS}.json"),
    );
    assert_eq!(page.items().len(), 1);
    assert_eq!(page.next_cursor(), None);
    assert_domain_acl_mapping_example(&page.items()[0]);
}

#[tokio::test]
async fn auth_calls_ip_access_control_list_mappings_of_a_subaccount() {
    let server = Recorder::start().await;
    server.json(201, DOMAIN_ACL_MAPPING);
    let sub = "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    server
        .client()
        .sip_domain(SD)
        .account(sub)
        .auth_calls_ip_access_control_list_mappings()
        .create(AL)
        .await
        .unwrap();
    assert_form(
        &server.single(),
        &format!(
            "/2010-04-01/Accounts/{sub}/SIP/Domains/{SD}/Auth/Calls/IpAccessControlListMappings.json"
        ),
        "IpAccessControlListSid=ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
}

// ---- Trunk ----------------------------------------------------------------------------------

// twilio-oai 2.6.7, `twilio_trunking_v1.yaml` (MIT, Copyright (C) 2023 Twilio, Inc.):
// `/v1/Trunks/{Sid}` GET 200 `fetch`.
const TRUNK: &str = r#"{
  "sid": "TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "domain_name": "test.pstn.twilio.com",
  "disaster_recovery_method": "POST",
  "disaster_recovery_url": "http://disaster-recovery.com",
  "friendly_name": "friendly_name",
  "secure": false,
  "cnam_lookup_enabled": false,
  "symmetric_rtp_enabled": false,
  "recording": {
    "mode": "do-not-record",
    "trim": "do-not-trim"
  },
  "transfer_mode": "disable-all",
  "transfer_caller_id": "from-transferor",
  "auth_type": "",
  "auth_type_set": [],
  "date_created": "2015-01-02T11:23:45Z",
  "date_updated": "2015-01-02T11:23:45Z",
  "url": "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "links": {
    "origination_urls": "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/OriginationUrls",
    "credential_lists": "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/CredentialLists",
    "ip_access_control_lists": "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAccessControlLists",
    "phone_numbers": "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/PhoneNumbers"
  }
}"#;
// twilio-oai 2.6.7, `twilio_trunking_v1.yaml`: `/v1/Trunks` GET 200 `readFull`.
const TRUNK_LIST: &str = r#"{
  "meta": {
    "first_page_url": "https://trunking.twilio.com/v1/Trunks?PageSize=50&Page=0",
    "url": "https://trunking.twilio.com/v1/Trunks?PageSize=50&Page=0",
    "page_size": 50,
    "key": "trunks",
    "next_page_url": null,
    "page": 0,
    "previous_page_url": null
  },
  "trunks": [
    {
      "sid": "TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "domain_name": "test.pstn.twilio.com",
      "disaster_recovery_method": "POST",
      "disaster_recovery_url": "http://disaster-recovery.com",
      "friendly_name": "friendly_name",
      "secure": false,
      "cnam_lookup_enabled": false,
      "symmetric_rtp_enabled": false,
      "recording": {
        "mode": "do-not-record",
        "trim": "do-not-trim"
      },
      "transfer_mode": "disable-all",
      "transfer_caller_id": "from-transferee",
      "auth_type": "",
      "auth_type_set": [],
      "date_created": "2015-01-02T11:23:45Z",
      "date_updated": "2015-01-02T11:23:45Z",
      "url": "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "links": {
        "origination_urls": "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/OriginationUrls",
        "credential_lists": "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/CredentialLists",
        "ip_access_control_lists": "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAccessControlLists",
        "phone_numbers": "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/PhoneNumbers"
      }
    }
  ]
}"#;

/// What the fetch and list examples share (they differ in `transfer_caller_id`).
fn assert_trunk_example(trunk: &Trunk) {
    assert_eq!(trunk.sid, TK);
    assert_eq!(trunk.account_sid, AC);
    assert_eq!(trunk.domain_name.as_deref(), Some("test.pstn.twilio.com"));
    assert_eq!(
        trunk.disaster_recovery_method,
        Some(TrunkEnumHttpMethod::Post)
    );
    assert_eq!(
        trunk.disaster_recovery_url.as_deref(),
        Some("http://disaster-recovery.com")
    );
    assert_eq!(trunk.friendly_name.as_deref(), Some("friendly_name"));
    assert_eq!(trunk.secure, Some(false));
    assert_eq!(trunk.cnam_lookup_enabled, Some(false));
    assert_eq!(trunk.symmetric_rtp_enabled, Some(false));
    let recording = trunk.recording.as_ref().unwrap();
    assert_eq!(recording.mode.as_deref(), Some("do-not-record"));
    assert_eq!(recording.trim.as_deref(), Some("do-not-trim"));
    assert_eq!(trunk.auth_type.as_deref(), Some(""));
    assert_eq!(trunk.auth_type_set.as_deref(), Some(&[][..]));
    let date = Utc.with_ymd_and_hms(2015, 1, 2, 11, 23, 45).unwrap();
    assert_eq!(trunk.date_created, date);
    assert_eq!(trunk.date_updated, date);
    assert_eq!(
        trunk.url,
        "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    );
    let links = trunk.links.as_ref().unwrap();
    assert_eq!(links.len(), 4);
    assert_eq!(
        links["ip_access_control_lists"],
        "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAccessControlLists"
    );
}

#[tokio::test]
async fn fetch_trunk() {
    let server = Recorder::start().await;
    server.json(200, TRUNK);
    let sid: TrunkSid = TK.parse().unwrap();
    let trunk = server.client().trunks().fetch(&sid).await.unwrap();
    assert_bodiless(
        &server.single(),
        Method::GET,
        "/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
    assert_trunk_example(&trunk);
    assert_eq!(
        trunk.transfer_mode,
        Some(TrunkEnumTransferSetting::DisableAll)
    );
    assert_eq!(
        trunk.transfer_caller_id,
        Some(TrunkEnumTransferCallerId::FromTransferor)
    );
}

#[tokio::test]
async fn fetch_trunk_with_a_transfer_mode_twilio_added_later() {
    let server = Recorder::start().await;
    // Twilio's example with values no version of the spec lists.
    server.json(
        200,
        &TRUNK
            .replace(
                r#""transfer_mode": "disable-all""#,
                r#""transfer_mode": "enable-pstn-only""#,
            )
            .replace(
                r#""disaster_recovery_method": "POST""#,
                r#""disaster_recovery_method": "PATCH""#,
            ),
    );
    let trunk = server.client().trunks().fetch(TK).await.unwrap();
    assert_eq!(
        trunk.transfer_mode,
        Some(TrunkEnumTransferSetting::Unknown("enable-pstn-only".into()))
    );
    assert_eq!(
        trunk.transfer_mode.as_ref().unwrap().to_string(),
        "enable-pstn-only"
    );
    assert_eq!(
        trunk.disaster_recovery_method,
        Some(TrunkEnumHttpMethod::Unknown("PATCH".into()))
    );
    // The rest of the resource decodes as usual.
    assert_eq!(
        trunk.transfer_caller_id,
        Some(TrunkEnumTransferCallerId::FromTransferor)
    );
    assert_eq!(trunk.sid, TK);
}

#[tokio::test]
async fn list_trunks() {
    let server = Recorder::start().await;
    server.json(200, TRUNK_LIST);
    let page = server
        .client()
        .trunks()
        .list()
        .page_size(50)
        .send()
        .await
        .unwrap();
    assert_bodiless(&server.single(), Method::GET, "/v1/Trunks?PageSize=50");
    assert_eq!(page.items().len(), 1);
    assert_eq!(page.next_cursor(), None);
    let trunk = &page.items()[0];
    assert_trunk_example(trunk);
    assert_eq!(
        trunk.transfer_mode,
        Some(TrunkEnumTransferSetting::DisableAll)
    );
    assert_eq!(
        trunk.transfer_caller_id,
        Some(TrunkEnumTransferCallerId::FromTransferee)
    );
}

#[test]
fn handles_name_their_sids() {
    let client = twilio_ip_access::Client::builder()
        .account_sid(AC)
        .auth_token(support::TOKEN)
        .build()
        .unwrap();
    assert_eq!(client.trunk(TK).sid().unwrap(), TK);
    assert_eq!(client.sip_domain(SD).sid().unwrap(), SD);
    assert_eq!(client.sip_ip_access_control_list(AL).sid().unwrap(), AL);
    assert_eq!(
        client.trunk(SD).sid().unwrap_err().to_string(),
        "invalid argument `TrunkSid`: a Trunk SID starts with `TK`, got `SD…`"
    );
}
