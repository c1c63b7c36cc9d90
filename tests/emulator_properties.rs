//! Property tests against the emulator: every create and update body the facade can produce
//! survives form encoding and the emulator's decoder unchanged; and malformed requests of any
//! shape get a 4xx with a Twilio error body, never a 5xx or a hang.
#![cfg(feature = "mock")]

use std::{net::Ipv4Addr, sync::LazyLock, time::Duration};

use proptest::prelude::*;
use twilio_ip_access::{
    Client,
    mock::MockTwilio,
    reqwest,
    sid::{IpAccessControlListSid, SipDomainSid, TrunkSid},
};

struct World {
    twilio: MockTwilio,
    client: Client,
    domains: [SipDomainSid; 2],
    trunk: TrunkSid,
    acl: IpAccessControlListSid,
}

static HTTP: LazyLock<reqwest::Client> = LazyLock::new(reqwest::Client::new);

static RT: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
});

/// One emulator for the round-trip cases, on its own thread; each case deletes what it created.
static WORLD: LazyLock<World> = LazyLock::new(world);
/// Another for the malformed requests, whose clean-up removes everything.
static MALFORMED: LazyLock<World> = LazyLock::new(world);

fn world() -> World {
    let twilio = MockTwilio::start_blocking();
    let client = twilio.client();
    World {
        domains: [twilio.create_sip_domain(), twilio.create_sip_domain()],
        trunk: twilio.create_trunk(),
        acl: twilio.create_ip_access_control_list("properties"),
        client,
        twilio,
    }
}

/// Friendly names: any printable text up to Twilio's 255 characters, with the characters that
/// matter to form encoding (`&`, `=`, `+`, `%`, spaces, non-ASCII) well represented.
fn friendly_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{1,255}",
        "[&=+% a-zA-Z0-9éü€😀]{1,60}",
        Just("a".repeat(255)),
        Just("%zz&FriendlyName=x+y".to_owned()),
    ]
}

/// The prefix length Twilio stores for the one sent: 32 when none is sent, and also for 0.
fn stored(sent: Option<u8>) -> u8 {
    match sent {
        None | Some(0) => 32,
        Some(cidr) => cidr,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn ip_record_bodies_round_trip(
        ip in any::<[u8; 4]>(), name in proptest::option::of(friendly_name()),
        cidr in proptest::option::of(0u8..=32), new_name in friendly_name()
    ) {
        let w = &*WORLD;
        RT.block_on(async {
            let ip = Ipv4Addr::from(ip);
            let mut create = w.client.ip_records().create(ip);
            if let Some(name) = &name { create = create.friendly_name(name.clone()); }
            if let Some(cidr) = cidr { create = create.cidr_prefix_length(cidr); }
            let record = create.await.unwrap();
            assert_eq!(record.ip_address, Some(ip.to_string()));
            assert_eq!(record.friendly_name, name);
            assert_eq!(record.cidr_prefix_length, Some(stored(cidr)));
            let sid = record.sid.clone();
            assert_eq!(w.client.ip_records().fetch(&sid).await.unwrap(), record);
            let updated = w.client.ip_records().update(&sid).friendly_name(new_name.clone()).await.unwrap();
            assert_eq!(updated.friendly_name, Some(new_name));
            assert_eq!(updated.ip_address, record.ip_address);
            w.client.ip_records().delete(&sid).await.unwrap();
        });
    }

    #[test]
    fn sip_ip_address_bodies_round_trip(
        ip in any::<[u8; 4]>(), name in friendly_name(), cidr in proptest::option::of(0u8..=32),
        new_ip in proptest::option::of(any::<[u8; 4]>()), new_name in proptest::option::of(friendly_name()),
        new_cidr in proptest::option::of(0u8..=32)
    ) {
        let w = &*WORLD;
        RT.block_on(async {
            let addresses = w.client.sip_ip_access_control_list(&w.acl).ip_addresses();
            let mut create = addresses.create(name.clone(), Ipv4Addr::from(ip));
            if let Some(cidr) = cidr { create = create.cidr_prefix_length(cidr); }
            let created = create.await.unwrap();
            assert_eq!(created.friendly_name.as_deref(), Some(name.as_str()));
            assert_eq!(created.ip_address, Some(Ipv4Addr::from(ip).to_string()));
            assert_eq!(created.cidr_prefix_length, Some(stored(cidr)));
            let sid = created.sid.clone();

            let mut update = addresses.update(&sid);
            if let Some(ip) = new_ip { update = update.ip_address(Ipv4Addr::from(ip)); }
            if let Some(name) = &new_name { update = update.friendly_name(name.clone()); }
            if let Some(cidr) = new_cidr { update = update.cidr_prefix_length(cidr); }
            let updated = update.await.unwrap();
            let expected_ip = new_ip.map(Ipv4Addr::from).unwrap_or(Ipv4Addr::from(ip)).to_string();
            assert_eq!(updated.ip_address, Some(expected_ip));
            assert_eq!(updated.friendly_name, Some(new_name.unwrap_or(name)));
            assert_eq!(updated.cidr_prefix_length, Some(stored(new_cidr.or(cidr))));
            assert_eq!(addresses.fetch(&sid).await.unwrap(), updated);
            addresses.delete(&sid).await.unwrap();
        });
    }

    #[test]
    fn mapping_and_association_bodies_round_trip(ip in any::<[u8; 4]>(), second in any::<bool>()) {
        let w = &*WORLD;
        RT.block_on(async {
            let record = w.client.ip_records().create(Ipv4Addr::from(ip)).await.unwrap().sid;
            let (first_domain, other_domain) = if second { (&w.domains[1], &w.domains[0]) } else { (&w.domains[0], &w.domains[1]) };
            let mapping = w.client.source_ip_mappings().create(&record, first_domain).await.unwrap();
            assert_eq!(&mapping.ip_record_sid, &record);
            assert_eq!(&mapping.sip_domain_sid, first_domain);
            let sid = mapping.sid;
            let moved = w.client.source_ip_mappings().update(&sid, other_domain).await.unwrap();
            assert_eq!(&moved.sip_domain_sid, other_domain);
            w.client.source_ip_mappings().delete(&sid).await.unwrap();
            w.client.ip_records().delete(&record).await.unwrap();

            let lists = w.client.trunk(&w.trunk).ip_access_control_lists();
            let association = lists.create(&w.acl).await.unwrap();
            assert_eq!((&association.sid, &association.trunk_sid), (&w.acl, &w.trunk));
            lists.delete(&w.acl).await.unwrap();

            let mappings = w.client.sip_domain(first_domain).auth_calls_ip_access_control_list_mappings();
            let mapping = mappings.create(&w.acl).await.unwrap();
            assert_eq!(&mapping.sid, &w.acl);
            assert_eq!(mapping.friendly_name.as_deref(), Some("properties"));
            assert_eq!(mappings.fetch(&w.acl).await.unwrap(), mapping);
            mappings.delete(&w.acl).await.unwrap();
        });
    }

    #[test]
    fn sip_ip_access_control_list_bodies_round_trip(name in friendly_name(), new_name in friendly_name()) {
        let w = &*WORLD;
        RT.block_on(async {
            let lists = w.client.sip_ip_access_control_lists();
            let created = lists.create(name.clone()).await.unwrap();
            assert_eq!(created.friendly_name.as_deref(), Some(name.as_str()));
            assert_eq!(lists.fetch(&created.sid).await.unwrap(), created);
            let renamed = lists.update(&created.sid, new_name.clone()).await.unwrap();
            assert_eq!(renamed.friendly_name, Some(new_name.clone()));
            // The association copies the list's name as it is now.
            let trunk_lists = w.client.trunk(&w.trunk).ip_access_control_lists();
            let association = trunk_lists.create(&created.sid).await.unwrap();
            assert_eq!(association.friendly_name, Some(new_name));
            trunk_lists.delete(&created.sid).await.unwrap();
            lists.delete(&created.sid).await.unwrap();
        });
    }
}

fn path() -> impl Strategy<Value = String> {
    let account = MALFORMED.twilio.account_sid().to_string();
    let acl = MALFORMED.acl.to_string();
    let trunk = MALFORMED.trunk.to_string();
    let domain = MALFORMED.domains[0].to_string();
    let sip = format!("/2010-04-01/Accounts/{account}/SIP");
    prop_oneof![
        Just("/v1/IpRecords".to_owned()),
        Just("/v1/IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".to_owned()),
        Just("/v1/IpRecords/not-a-sid".to_owned()),
        Just("/v1/SourceIpMappings".to_owned()),
        Just("/v1/SourceIpMappings/IB%00%ff".to_owned()),
        Just(format!("/v1/Trunks/{trunk}/IpAccessControlLists")),
        Just(format!("/v1/Trunks/{trunk}/IpAccessControlLists/{acl}")),
        Just(format!(
            "/2010-04-01/Accounts/{account}/SIP/IpAccessControlLists/{acl}/IpAddresses.json"
        )),
        Just(format!(
            "/2010-04-01/Accounts/{account}/SIP/IpAccessControlLists/{acl}/IpAddresses/IPzz.json"
        )),
        Just(format!("{sip}/IpAccessControlLists.json")),
        Just(format!(
            "{sip}/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json"
        )),
        Just(format!("{sip}/IpAccessControlLists/{acl}")),
        Just(format!("{sip}/Domains.json")),
        Just(format!("{sip}/Domains/{domain}.json")),
        Just(format!(
            "{sip}/Domains/{domain}/Auth/Calls/IpAccessControlListMappings.json"
        )),
        Just(format!(
            "{sip}/Domains/{domain}/Auth/Calls/IpAccessControlListMappings/{acl}.json"
        )),
        Just("/v1/Trunks".to_owned()),
        Just(format!("/v1/Trunks/{trunk}")),
        "/[a-zA-Z0-9%./_-]{0,80}",
    ]
}

fn query() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop_oneof![
        "PageSize=[0-9a-z-]{0,25}",
        "Page=-?[0-9]{0,30}&PageToken=[A-Za-z0-9%]{0,40}",
        "PageSize=1&Page=[0-9]{1,3}",
        "[A-Za-z=&%0-9]{0,60}",
    ])
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2048),
        "(IpAddress|FriendlyName|CidrPrefixLength|IpRecordSid|SipDomainSid|IpAccessControlListSid)=[^&]{0,40}(&[A-Za-z]{0,20}=?[%A-Za-z0-9.*]{0,20}){0,4}"
            .prop_map(String::into_bytes),
        Just(b"IpAddress=10.0.0.%".to_vec()),
        Just(b"FriendlyName=%E2%82".to_vec()),
        Just(vec![0xff, 0xfe, b'=', 0x80]),
    ]
}

fn content_type() -> impl Strategy<Value = Option<&'static str>> {
    proptest::option::of(prop_oneof![
        Just("application/x-www-form-urlencoded"),
        Just("application/json"),
        Just("text/plain; charset=utf-8"),
        Just("multipart/form-data; boundary=x"),
        Just("application/x-www-form-urlencoded; charset=latin1"),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn malformed_requests_get_a_4xx_twilio_error_and_never_a_5xx_or_a_hang(
        method in prop_oneof![Just("GET"), Just("POST"), Just("DELETE"), Just("PUT")],
        path in path(), query in query(), body in body(), content_type in content_type(), auth_ok in any::<bool>()
    ) {
        let w = &*MALFORMED;
        RT.block_on(async {
            let http = &*HTTP;
            let url = match &query {
                Some(q) => format!("{}{path}?{q}", w.twilio.base_url()),
                None => format!("{}{path}", w.twilio.base_url()),
            };
            let Ok(url) = reqwest::Url::parse(&url) else { return };
            let mut request = http
                .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url)
                .basic_auth(w.twilio.account_sid().as_str(), Some(if auth_ok { w.twilio.auth_token() } else { "wrong" }))
                .body(body.clone());
            if let Some(ct) = content_type {
                request = request.header("content-type", ct);
            }
            let response = tokio::time::timeout(Duration::from_secs(5), request.send())
                .await
                .expect("the emulator answered within 5 s")
                .unwrap();
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            assert!(status < 500, "{method} {path} {query:?}: HTTP {status}: {text}");
            if status >= 400 {
                let error: serde_json::Value = serde_json::from_str(&text)
                    .unwrap_or_else(|_| panic!("{method} {path}: HTTP {status} without a JSON body: {text:?}"));
                assert!(error["code"].is_i64(), "{text}");
                assert!(error["message"].is_string(), "{text}");
                assert_eq!(error["status"], status, "{text}");
            }
        });
        // Whatever was created by an accidentally valid request is removed so that the list
        // limits are never reached.
        RT.block_on(async {
            for record in w.client.ip_records().list().collect().await.unwrap() {
                let _ = w.client.ip_records().delete(&record.sid).await;
            }
            let addresses = w.client.sip_ip_access_control_list(&w.acl).ip_addresses();
            for address in addresses.list().collect().await.unwrap() {
                let _ = addresses.delete(&address.sid).await;
            }
            let mappings = w.client.sip_domain(&w.domains[0]).auth_calls_ip_access_control_list_mappings();
            for mapping in mappings.list().collect().await.unwrap() {
                let _ = mappings.delete(&mapping.sid).await;
            }
            let lists = w.client.sip_ip_access_control_lists();
            for list in lists.list().collect().await.unwrap() {
                if list.sid != w.acl {
                    let _ = lists.delete(&list.sid).await;
                }
            }
        });
    }
}

#[test]
fn huge_bodies_are_refused_with_413_and_a_twilio_error() {
    let w = &*MALFORMED;
    RT.block_on(async {
        let response = reqwest::Client::new()
            .post(format!("{}/v1/IpRecords", w.twilio.base_url()))
            .basic_auth(w.twilio.account_sid().as_str(), Some(w.twilio.auth_token()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!(
                "IpAddress=10.0.0.1&FriendlyName={}",
                "x".repeat(200_000)
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 413);
        let error: serde_json::Value = response.json().await.unwrap();
        assert_eq!(error["status"], 413);
        assert!(error["code"].is_i64());
    });
}
