//! Bad input is rejected before any byte leaves the process, with an `InvalidArgument` that
//! names the parameter by its Twilio wire name and says what was wrong.
#![cfg(feature = "mock")]

mod support;

use support::Recorder;
use twilio_ip_access::{Client, Error};

const IL: &str = "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const IB: &str = "IBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const SD: &str = "SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TK: &str = "TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const AL: &str = "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const IP: &str = "IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

type Case = (
    &'static str,
    twilio_ip_access::request::BoxFuture<Result<(), Error>>,
    &'static str,
    &'static str,
);

fn ok<T>(r: Result<T, Error>) -> Result<(), Error> {
    r.map(|_| ())
}

fn cases(c: &Client) -> Vec<Case> {
    let long = "n".repeat(256);
    let ips = c.ip_records();
    let maps = c.source_ip_mappings();
    let acl = c.sip_ip_access_control_list(AL).ip_addresses();
    let trunk = c.trunk(TK).ip_access_control_lists();
    macro_rules! case {
        ($name:expr, $fut:expr, $param:expr, $reason:expr) => {
            (
                $name,
                Box::pin({
                    let f = $fut;
                    async move { ok(f.await) }
                }) as _,
                $param,
                $reason,
            )
        };
    }
    vec![
        case!(
            "ip record: not an address",
            ips.create("10.0.0"),
            "IpAddress",
            "not an IPv4 address in dotted decimal notation (such as 203.0.113.10)"
        ),
        case!(
            "ip record: wildcard",
            ips.create("10.0.0.*"),
            "IpAddress",
            "wildcards are not supported; give a complete IPv4 address and a CidrPrefixLength"
        ),
        case!(
            "ip record: IPv6",
            ips.create("2001:db8::1"),
            "IpAddress",
            "only IPv4 is supported, got an IPv6 address"
        ),
        case!(
            "ip record: CIDR notation",
            ips.create("10.0.0.0/8"),
            "IpAddress",
            "give the prefix length as CidrPrefixLength, not in CIDR notation"
        ),
        case!(
            "ip record: empty",
            ips.create(""),
            "IpAddress",
            "an IPv4 address is required, got an empty string"
        ),
        case!(
            "ip record: leading zero",
            ips.create("10.0.0.01"),
            "IpAddress",
            "not an IPv4 address in dotted decimal notation (such as 203.0.113.10)"
        ),
        case!(
            "ip record: cidr 33",
            ips.create("10.0.0.1").cidr_prefix_length(33),
            "CidrPrefixLength",
            "must be 0 to 32, got 33"
        ),
        case!(
            "ip record: long name",
            ips.create("10.0.0.1").friendly_name(long.clone()),
            "FriendlyName",
            "at most 255 characters, got 256"
        ),
        case!(
            "ip record: fetch wrong kind",
            ips.fetch(IB),
            "Sid",
            "an IpRecord SID starts with `IL`, got `IB…`"
        ),
        case!(
            "ip record: update short sid",
            ips.update("IL123").friendly_name("x"),
            "Sid",
            "an IpRecord SID is 34 characters long, got 5"
        ),
        case!(
            "ip record: delete non-hex",
            ips.delete("ILzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"),
            "Sid",
            "an IpRecord SID is `IL` followed by 32 hex digits"
        ),
        case!(
            "ip record: update long name",
            ips.update(IL).friendly_name(long.clone()),
            "FriendlyName",
            "at most 255 characters, got 256"
        ),
        case!(
            "mapping: record sid",
            maps.create(SD, SD),
            "IpRecordSid",
            "an IpRecord SID starts with `IL`, got `SD…`"
        ),
        case!(
            "mapping: domain sid",
            maps.create(IL, IL),
            "SipDomainSid",
            "a SipDomain SID starts with `SD`, got `IL…`"
        ),
        case!(
            "mapping: update domain",
            maps.update(IB, ""),
            "SipDomainSid",
            "a SipDomain SID is required, got an empty string"
        ),
        case!(
            "mapping: fetch",
            maps.fetch(IL),
            "Sid",
            "a SourceIpMapping SID starts with `IB`, got `IL…`"
        ),
        case!(
            "trunk: bad trunk",
            c.trunk("TK").ip_access_control_lists().create(AL),
            "TrunkSid",
            "a Trunk SID is 34 characters long, got 2"
        ),
        case!(
            "trunk: bad list",
            trunk.create(IP),
            "IpAccessControlListSid",
            "an IpAccessControlList SID starts with `AL`, got `IP…`"
        ),
        case!(
            "trunk: fetch",
            trunk.fetch(TK),
            "Sid",
            "an IpAccessControlList SID starts with `AL`, got `TK…`"
        ),
        case!(
            "trunk: list on bad trunk",
            c.trunk(IL).ip_access_control_lists().list().send(),
            "TrunkSid",
            "a Trunk SID starts with `TK`, got `IL…`"
        ),
        case!(
            "sip: bad list",
            c.sip_ip_access_control_list(TK).ip_addresses().fetch(IP),
            "IpAccessControlListSid",
            "an IpAccessControlList SID starts with `AL`, got `TK…`"
        ),
        case!(
            "sip: bad account",
            c.sip_ip_access_control_list(AL)
                .account("SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                .ip_addresses()
                .delete(IP),
            "AccountSid",
            "an Account SID starts with `AC`, got `SK…`"
        ),
        case!(
            "sip: name",
            acl.create(long.clone(), "10.0.0.1"),
            "FriendlyName",
            "at most 255 characters, got 256"
        ),
        case!(
            "sip: address",
            acl.create("office", "999.0.0.1"),
            "IpAddress",
            "not an IPv4 address in dotted decimal notation (such as 203.0.113.10)"
        ),
        case!(
            "sip: update address",
            acl.update(IP).ip_address("*.*.*.*"),
            "IpAddress",
            "wildcards are not supported; give a complete IPv4 address and a CidrPrefixLength"
        ),
        case!(
            "sip: update cidr",
            acl.update(IP).cidr_prefix_length(200),
            "CidrPrefixLength",
            "must be 0 to 32, got 200"
        ),
        case!(
            "sip: update sid",
            acl.update(AL),
            "Sid",
            "an IpAddress SID starts with `IP`, got `AL…`"
        ),
        case!(
            "sip: page size",
            acl.list().page_size(5000).send(),
            "PageSize",
            "must be 1 to 1000, got 5000"
        ),
    ]
}

#[tokio::test]
async fn bad_inputs_give_the_right_invalid_argument_and_send_nothing() {
    let server = Recorder::start().await;
    let client = server.client();
    for (name, future, parameter, reason) in cases(&client) {
        match future.await {
            Err(Error::InvalidArgument {
                parameter: p,
                reason: r,
            }) => {
                assert_eq!((p, r.as_str()), (parameter, reason), "{name}");
            }
            other => panic!("{name}: expected InvalidArgument, got {other:?}"),
        }
    }
    assert!(
        server.requests().is_empty(),
        "nothing may be sent: {:?}",
        server.requests()
    );
}

#[tokio::test]
async fn a_friendly_name_of_255_multibyte_characters_is_fine() {
    let server = Recorder::start().await;
    server.json(201, r#"{"sid": "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#);
    server
        .client()
        .ip_records()
        .create("10.0.0.1")
        .friendly_name("ü".repeat(255))
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 1);
}
