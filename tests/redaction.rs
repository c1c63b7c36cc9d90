//! Secrets never show in `Debug`, `Display`, errors or logs; neither do IP addresses (PII).
#![cfg(feature = "mock")]

mod support;

use std::sync::{Arc, Mutex};

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

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_spans_carry_request_facts_but_no_secrets_or_addresses() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = Recorder::start().await;
    server.json(
        201,
        r#"{"sid": "IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ip_address": "198.51.100.77", "friendly_name": "edge"}"#,
    );
    server.json(
        400,
        r#"{"code": 21201, "message": "Invalid IpAddress", "status": 400}"#,
    );
    let addresses = server
        .client()
        .sip_ip_access_control_list("ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .ip_addresses();
    addresses.create("edge", "198.51.100.77").await.unwrap();
    addresses.create("edge", "198.51.100.78").await.unwrap_err();

    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("twilio_request"), "{log}");
    assert!(log.contains("operation=\"create_sip_ip_address\""), "{log}");
    assert!(log.contains("method=POST"), "{log}");
    assert!(log.contains("host=\"127.0.0.1\""), "{log}");
    assert!(log.contains(
        "path=\"/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses.json\""
    ), "{log}");
    assert!(log.contains("status=201"), "{log}");
    assert!(log.contains("status=400"), "{log}");
    assert!(log.contains("elapsed_ms="), "{log}");
    assert_clean(&log);
    for address in ["198.51.100.77", "198.51.100.78"] {
        assert!(
            !log.contains(address),
            "IP address leaked into the log: {log}"
        );
    }
}
