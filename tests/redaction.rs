//! Secrets never show in `Debug`, `Display`, errors or logs; neither do IP addresses (PII).
#![cfg(feature = "mock")]

mod support;

use support::{AC, Recorder, TOKEN};
use twilio_ip_access::{Client, Credentials, Error};

const SECRET: &str = "api-key-secret-value";
const SK: &str = "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

fn assert_clean(text: &str) {
    for secret in [TOKEN, SECRET, &support::AUTHORIZATION[6..]] {
        assert!(!text.contains(secret), "secret leaked into: {text}");
    }
}

#[test]
fn debug_of_configuration_is_redacted() {
    let builder = Client::builder()
        .account_sid(AC)
        .auth_token(TOKEN)
        .api_key(SK, SECRET);
    assert_clean(&format!("{builder:?} {builder:#?}"));
    let client = builder.build().unwrap();
    let shown = format!("{client:?} {client:#?}");
    assert_clean(&shown);
    assert!(shown.contains("** redacted **"), "{shown}");
    let creds = Credentials::api_key(AC, SK, SECRET).unwrap();
    assert_clean(&format!("{creds:?}"));
    let creds = Credentials::auth_token(AC, TOKEN).unwrap();
    assert_clean(&format!("{creds:?}"));
}

#[tokio::test]
async fn errors_are_redacted() {
    let server = Recorder::start().await;
    server.json(401, r#"{"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}"#);
    let err = server
        .client()
        .ip_records()
        .fetch("ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(20003));
    assert_clean(&format!("{err} {err:?}"));
    let config_err = Client::builder()
        .account_sid(SK)
        .auth_token(TOKEN)
        .build()
        .unwrap_err();
    assert!(matches!(config_err, Error::Config { .. }));
    assert_clean(&format!("{config_err} {config_err:?}"));
}

#[test]
fn request_builders_do_not_show_ip_addresses() {
    let client = Client::builder()
        .account_sid(AC)
        .auth_token(TOKEN)
        .build()
        .unwrap();
    let create = client
        .ip_records()
        .create("198.51.100.23")
        .friendly_name("edge");
    let sip = client
        .sip_ip_access_control_list("ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .ip_addresses()
        .create("desk", "198.51.100.24");
    let update = client
        .sip_ip_access_control_list("ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .ip_addresses()
        .update("IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .ip_address("198.51.100.25");
    let shown = format!("{create:?} {sip:?} {update:?}");
    assert!(shown.contains("** redacted (PII) **"), "{shown}");
    for address in ["198.51.100.23", "198.51.100.24", "198.51.100.25"] {
        assert!(!shown.contains(address), "{shown}");
    }
    assert_clean(&shown);
}

#[tokio::test]
async fn debug_of_parsed_resources_redacts_ip_addresses() {
    let server = Recorder::start().await;
    server.json(
        200,
        r#"{"account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "sid": "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "friendly_name": "edge one", "ip_address": "198.51.100.31", "cidr_prefix_length": 30,
            "date_created": "2020-03-18T23:31:36Z", "date_updated": "2020-03-18T23:31:37Z",
            "url": "https://voice.twilio.com/v1/IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#,
    );
    server.json(
        200,
        r#"{"account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "sid": "IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "friendly_name": "desk", "ip_address": "198.51.100.32", "cidr_prefix_length": 32,
            "ip_access_control_list_sid": "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "date_created": "Mon, 20 Jul 2015 17:27:10 +0000", "date_updated": "Mon, 20 Jul 2015 17:27:10 +0000",
            "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses/IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json"}"#,
    );
    let client = server.client();
    let record = client
        .ip_records()
        .fetch("ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap();
    let address = client
        .sip_ip_access_control_list("ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .ip_addresses()
        .fetch("IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap();
    // The value is there for whoever reads it…
    assert_eq!(record.ip_address.as_deref(), Some("198.51.100.31"));
    assert_eq!(address.ip_address.as_deref(), Some("198.51.100.32"));
    // …but `Debug`, compact or pretty, never shows it; every other field still shows.
    for (shown, address, sid, name) in [
        (
            format!("{record:?}"),
            "198.51.100.31",
            "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "edge one",
        ),
        (
            format!("{record:#?}"),
            "198.51.100.31",
            "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "edge one",
        ),
        (
            format!("{address:?}"),
            "198.51.100.32",
            "IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "desk",
        ),
        (
            format!("{address:#?}"),
            "198.51.100.32",
            "IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "desk",
        ),
    ] {
        assert!(!shown.contains(address), "{shown}");
        assert!(shown.contains(twilio_ip_access::REDACTED_PII), "{shown}");
        assert!(shown.contains("ip_address"), "{shown}");
        assert!(shown.contains(sid), "{shown}");
        assert!(shown.contains(name), "{shown}");
        assert!(
            shown.contains("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            "{shown}"
        );
    }
    assert_eq!(twilio_ip_access::REDACTED_PII, "** redacted (PII) **");
    assert!(format!("{record:?}").contains("cidr_prefix_length: Some(30)"));
    assert!(format!("{address:?}").contains("ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));

    // A missing address shows as missing, not as redacted.
    let mut without = record.clone();
    without.ip_address = None;
    let shown = format!("{without:?}");
    assert!(shown.contains("ip_address: None"), "{shown}");
    assert!(!shown.contains(twilio_ip_access::REDACTED_PII), "{shown}");
}

#[tokio::test]
async fn debug_of_trunks_and_domains_redacts_what_twilio_marks_as_pii() {
    let server = Recorder::start().await;
    server.json(
        200,
        r#"{"sid": "TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "domain_name": "test.pstn.twilio.com", "disaster_recovery_url": "http://disaster-recovery.example/secret-path",
            "friendly_name": "trunk one", "date_created": "2015-01-02T11:23:45Z", "date_updated": "2015-01-02T11:23:45Z",
            "url": "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#,
    );
    server.json(
        200,
        r#"{"account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "sid": "SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "date_created": "Mon, 20 Jul 2015 17:27:10 +0000", "date_updated": "Mon, 20 Jul 2015 17:27:10 +0000",
            "domain_name": "scranton.sip.twilio.com", "voice_url": "https://example.com/voice-secret",
            "voice_fallback_url": "https://example.com/fallback-secret",
            "voice_status_callback_url": "https://example.com/status-secret",
            "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/Domains/SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json"}"#,
    );
    let client = server.client();
    let trunk = client
        .trunks()
        .fetch("TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap();
    let domain = client
        .sip_domains()
        .fetch("SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap();
    let shown = format!("{trunk:?} {domain:?}");
    for secret in [
        "secret-path",
        "voice-secret",
        "fallback-secret",
        "status-secret",
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
    for visible in [
        "TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "test.pstn.twilio.com",
        "trunk one",
        "SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "scranton.sip.twilio.com",
    ] {
        assert!(shown.contains(visible), "{shown}");
    }
    assert!(shown.contains(twilio_ip_access::REDACTED_PII), "{shown}");
}
