//! Property tests: parsing and validation never panic and agree with their definitions; any
//! bytes a server sends become a value or an `Error`, never a panic.
#![cfg(feature = "mock")]

mod support;

use std::{net::Ipv4Addr, sync::LazyLock};

use proptest::{prelude::*, strategy::ValueTree};
use support::Recorder;
use twilio_ip_access::{
    Error, PageCursor, SipDomainEnumHttpMethod, TrunkEnumTransferSetting,
    sid::{AccountSid, IpAddressSid, IpRecordSid, TrunkSid},
};

fn hex32() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[0-9a-fA-F]{32}").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn valid_sids_parse_and_round_trip(hex in hex32()) {
        let text = format!("IL{hex}");
        let sid: IpRecordSid = text.parse().unwrap();
        prop_assert_eq!(sid.as_str(), text.as_str());
        prop_assert_eq!(sid.to_string(), text.clone());
        let json = serde_json::to_string(&sid).unwrap();
        prop_assert_eq!(serde_json::from_str::<IpRecordSid>(&json).unwrap(), sid);
        // The same digits under another prefix are another kind.
        prop_assert!(text.parse::<TrunkSid>().is_err());
    }

    #[test]
    fn sid_parsing_agrees_with_the_pattern(text in ".{0,40}") {
        let by_pattern = text.len() == 34 && text.starts_with("AC") && text[2..].bytes().all(|b| b.is_ascii_hexdigit());
        prop_assert_eq!(text.parse::<AccountSid>().is_ok(), by_pattern);
        // Deserializing never panics either.
        let _ = serde_json::from_value::<IpAddressSid>(serde_json::Value::String(text));
    }

    #[test]
    fn every_ipv4_address_is_accepted(octets in any::<[u8; 4]>(), cidr in 0u8..=32) {
        let address = Ipv4Addr::from(octets);
        // Validation happens before sending: a client pointed nowhere proves nothing was rejected
        // by checks (the error is a transport error, not InvalidArgument).
        let result = RT.block_on(OFFLINE.ip_records().create(address.to_string()).cidr_prefix_length(cidr).send());
        prop_assert!(matches!(result, Err(Error::Transport { .. })), "{result:?}");
    }

    #[test]
    fn ipv4_validation_agrees_with_dotted_decimal(text in "[0-9.*:/a-f ]{0,20}") {
        let result = RT.block_on(OFFLINE.ip_records().create(text.as_str()).send());
        let dotted_decimal = text.parse::<Ipv4Addr>().is_ok();
        match result {
            Err(Error::InvalidArgument { parameter, .. }) => {
                prop_assert_eq!(parameter, "IpAddress");
                prop_assert!(!dotted_decimal);
            }
            Err(Error::Transport { .. }) => prop_assert!(dotted_decimal),
            other => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn cidr_outside_0_to_32_is_rejected(cidr in 33u8..=255) {
        let result = RT.block_on(OFFLINE.ip_records().create("10.0.0.1").cidr_prefix_length(cidr).send());
        let rejected = matches!(result, Err(Error::InvalidArgument { parameter: "CidrPrefixLength", .. }));
        prop_assert!(rejected, "{:?}", result);
    }

    #[test]
    fn next_page_links_of_both_shapes_keep_their_query_verbatim(
        size in 1u32..=1000, page in 0u64..1_000_000, token in "[A-Za-z0-9_=+/-]{0,60}"
    ) {
        let query = {
            let mut q = url::form_urlencoded::Serializer::new(String::new());
            q.append_pair("PageSize", &size.to_string()).append_pair("Page", &page.to_string()).append_pair("PageToken", &token);
            q.finish()
        };
        let v1: PageCursor = format!("https://voice.twilio.com/v1/IpRecords?{query}").parse().unwrap();
        let v2010: PageCursor = format!("/2010-04-01/Accounts/ACa/SIP/IpAccessControlLists/ALa/IpAddresses.json?{query}").parse().unwrap();
        let params = PageCursor { page_size: Some(size), page: Some(page), page_token: Some(token), link: None };
        prop_assert_eq!(&PageCursor { link: None, ..v1.clone() }, &params);
        prop_assert_eq!(&PageCursor { link: None, ..v2010.clone() }, &params);
        // The link is kept as the server sent it, query and all.
        prop_assert_eq!(v1.link.clone().unwrap(), format!("/v1/IpRecords?{query}"));
        prop_assert_eq!(
            v2010.link.clone().unwrap(),
            format!("/2010-04-01/Accounts/ACa/SIP/IpAccessControlLists/ALa/IpAddresses.json?{query}")
        );
        // And the stored text forms round-trip.
        for cursor in [v1, v2010, params] {
            prop_assert_eq!(cursor.to_string().parse::<PageCursor>().unwrap(), cursor);
        }
    }

    #[test]
    fn arbitrary_links_never_panic(link in ".{0,200}") {
        let _ = link.parse::<PageCursor>();
    }

    #[test]
    fn sip_list_names_are_checked_by_their_length_in_characters(
        name in proptest::collection::vec(any::<char>(), 0..=300).prop_map(String::from_iter)
    ) {
        let chars = name.chars().count();
        let create = RT.block_on(OFFLINE.sip_ip_access_control_lists().create(name.as_str()).send());
        let update = RT.block_on(
            OFFLINE
                .sip_ip_access_control_lists()
                .update("ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", name.as_str())
                .send(),
        );
        for result in [create.map(|_| ()), update.map(|_| ())] {
            match result {
                Err(Error::InvalidArgument { parameter, reason }) => {
                    prop_assert_eq!(parameter, "FriendlyName");
                    let expected = if chars == 0 {
                        "must not be empty".to_owned()
                    } else {
                        format!("at most 255 characters, got {chars}")
                    };
                    prop_assert_eq!(reason, expected);
                }
                Err(Error::Transport { .. }) => prop_assert!((1..=255).contains(&chars)),
                other => prop_assert!(false, "{:?}", other),
            }
        }
    }

    #[test]
    fn every_enum_value_decodes_and_round_trips(value in ".{0,30}") {
        let json = serde_json::Value::String(value.clone());
        let mode: TrunkEnumTransferSetting = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(mode.as_str(), value.as_str());
        let known = ["disable-all", "enable-all", "sip-only"].contains(&value.as_str());
        prop_assert_eq!(matches!(mode, TrunkEnumTransferSetting::Unknown(_)), !known);
        prop_assert_eq!(serde_json::to_value(&mode).unwrap(), json.clone());
        let method: SipDomainEnumHttpMethod = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(method.to_string(), value.clone());
        prop_assert_eq!(method.as_str().parse::<SipDomainEnumHttpMethod>().unwrap(), method);
    }
}

static RT: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
});

/// Pointed at a port nobody listens on: requests that pass validation fail to connect.
static OFFLINE: LazyLock<twilio_ip_access::Client> = LazyLock::new(|| {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    twilio_ip_access::Client::builder()
        .account_sid(support::AC)
        .auth_token(support::TOKEN)
        .base_url(format!("http://{closed}"))
        .retry_policy(twilio_ip_access::RetryPolicy::none())
        .build()
        .unwrap()
});

/// Any bytes, any status: the client answers with a value or an `Error`, never a panic.
#[test]
fn arbitrary_response_bodies_never_panic() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let server = Recorder::start().await;
        let client = server.client();
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
            cases: 256,
            ..ProptestConfig::default()
        });
        let statuses = prop_oneof![
            Just(200u16),
            Just(201),
            Just(204),
            Just(400),
            Just(404),
            Just(429),
            Just(500),
            Just(503),
            200u16..600
        ];
        let bodies = prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..512),
            Just(b"{\"code\": 20404}".to_vec()),
            Just(b"{\"ip_records\": [{}], \"meta\": {\"next_page_url\": \"::::\"}}".to_vec()),
            Just(b"{\"sid\": 7, \"date_created\": \"yesterday\"}".to_vec()),
            Just(b"{\"trunks\": [{\"transfer_mode\": 3}], \"domains\": [{\"voice_method\": null}], \"meta\": {}}".to_vec()),
            Just(b"{\"contents\": [], \"next_page_uri\": \"//elsewhere\"}".to_vec()),
            Just(b"[]".to_vec()),
        ];
        let cases: Vec<(u16, Vec<u8>)> = (0..256)
            .map(|_| {
                let status = statuses.new_tree(&mut runner).unwrap().current();
                let body = bodies.new_tree(&mut runner).unwrap().current();
                (status, body)
            })
            .collect();
        for (status, body) in cases {
            for op in 0..6 {
                server.push(support::Canned {
                    status,
                    headers: vec![("content-type", "application/json".into())],
                    body: body.clone(),
                });
                let outcome = match op {
                    0 => client
                        .ip_records()
                        .fetch("ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                        .await
                        .map(|_| ()),
                    1 => client.ip_records().list().send().await.map(|_| ()),
                    2 => client
                        .trunks()
                        .fetch("TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                        .await
                        .map(|_| ()),
                    3 => client.sip_domains().list().send().await.map(|_| ()),
                    4 => client
                        .sip_domain("SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                        .auth_calls_ip_access_control_list_mappings()
                        .list()
                        .send()
                        .await
                        .map(|_| ()),
                    _ => {
                        client
                            .sip_ip_access_control_list("ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                            .ip_addresses()
                            .delete("IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                            .await
                    }
                };
                if let Err(e) = outcome {
                    // An error status is kept, whatever the body.
                    if status >= 400 {
                        assert_eq!(e.status(), Some(status), "op {op}, canned {status}: {e:?}");
                    }
                    // Every error renders without panicking.
                    let _ = (
                        e.to_string(),
                        format!("{e:?}"),
                        e.status(),
                        e.code(),
                        e.is_retryable(),
                    );
                }
            }
        }
    });
}
