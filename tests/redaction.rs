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
