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
    let acls = c.sip_ip_access_control_lists();
    let domains = c.sip_domains();
    let domain_acls = c
        .sip_domain(SD)
        .auth_calls_ip_access_control_list_mappings();
    let trunks = c.trunks();
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
        case!(
            "sip: empty name",
            acl.create("", "10.0.0.1"),
            "FriendlyName",
            "must not be empty"
        ),
        case!(
            "sip: update long name",
            acl.update(IP).friendly_name(long.clone()),
            "FriendlyName",
            "at most 255 characters, got 256"
        ),
        case!(
            "sip: create cidr",
            acl.create("office", "10.0.0.1").cidr_prefix_length(33),
            "CidrPrefixLength",
            "must be 0 to 32, got 33"
        ),
        case!(
            "sip: list on bad list",
            c.sip_ip_access_control_list("AL")
                .ip_addresses()
                .list()
                .send(),
            "IpAccessControlListSid",
            "an IpAccessControlList SID is 34 characters long, got 2"
        ),
        // SIP IpAccessControlList (Api 2010).
        case!(
            "sip acl: create empty name",
            acls.create(""),
            "FriendlyName",
            "must not be empty"
        ),
        case!(
            "sip acl: create long name",
            acls.create(long.clone()),
            "FriendlyName",
            "at most 255 characters, got 256"
        ),
        case!(
            "sip acl: create on bad account",
            acls.clone().account("AC123").create("office"),
            "AccountSid",
            "an Account SID is 34 characters long, got 5"
        ),
        case!(
            "sip acl: fetch wrong kind",
            acls.fetch(IP),
            "Sid",
            "an IpAccessControlList SID starts with `AL`, got `IP…`"
        ),
        case!(
            "sip acl: update sid",
            acls.update("ALzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "office"),
            "Sid",
            "an IpAccessControlList SID is `AL` followed by 32 hex digits"
        ),
        case!(
            "sip acl: update empty name",
            acls.update(AL, ""),
            "FriendlyName",
            "must not be empty"
        ),
        case!(
            "sip acl: update long name",
            acls.update(AL, long.clone()),
            "FriendlyName",
            "at most 255 characters, got 256"
        ),
        case!(
            "sip acl: delete",
            acls.delete(""),
            "Sid",
            "an IpAccessControlList SID is required, got an empty string"
        ),
        case!(
            "sip acl: list on bad account",
            acls.clone()
                .account("SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                .list()
                .send(),
            "AccountSid",
            "an Account SID starts with `AC`, got `SK…`"
        ),
        case!(
            "sip acl: page size",
            acls.list().page_size(0).send(),
            "PageSize",
            "must be 1 to 1000, got 0"
        ),
        // SIP Domain (Api 2010).
        case!(
            "sip domain: fetch wrong kind",
            domains.fetch(TK),
            "Sid",
            "a SipDomain SID starts with `SD`, got `TK…`"
        ),
        case!(
            "sip domain: fetch on bad account",
            domains.clone().account(IL).fetch(SD),
            "AccountSid",
            "an Account SID starts with `AC`, got `IL…`"
        ),
        case!(
            "sip domain: list on bad account",
            domains.clone().account("").list().send(),
            "AccountSid",
            "an Account SID is required, got an empty string"
        ),
        // SIP Domain Auth Calls IpAccessControlListMapping (Api 2010).
        case!(
            "domain acl: create on bad domain",
            c.sip_domain(IB)
                .auth_calls_ip_access_control_list_mappings()
                .create(AL),
            "DomainSid",
            "a SipDomain SID starts with `SD`, got `IB…`"
        ),
        case!(
            "domain acl: create bad list",
            domain_acls.create(SD),
            "IpAccessControlListSid",
            "an IpAccessControlList SID starts with `AL`, got `SD…`"
        ),
        case!(
            "domain acl: create on bad account",
            c.sip_domain(SD)
                .account("ACzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")
                .auth_calls_ip_access_control_list_mappings()
                .create(AL),
            "AccountSid",
            "an Account SID is `AC` followed by 32 hex digits"
        ),
        case!(
            "domain acl: fetch",
            domain_acls.fetch(IP),
            "Sid",
            "an IpAccessControlList SID starts with `AL`, got `IP…`"
        ),
        case!(
            "domain acl: delete",
            domain_acls.delete("AL0"),
            "Sid",
            "an IpAccessControlList SID is 34 characters long, got 3"
        ),
        case!(
            "domain acl: list on bad domain",
            c.sip_domain("SD")
                .auth_calls_ip_access_control_list_mappings()
                .list()
                .send(),
            "DomainSid",
            "a SipDomain SID is 34 characters long, got 2"
        ),
        // Trunk (Trunking v1).
        case!(
            "trunk: fetch wrong kind",
            trunks.fetch(AL),
            "Sid",
            "a Trunk SID starts with `TK`, got `AL…`"
        ),
        case!(
            "trunk: fetch non-hex",
            trunks.fetch("TKzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"),
            "Sid",
            "a Trunk SID is `TK` followed by 32 hex digits"
        ),
        case!(
            "trunk: page size",
            trunks.list().page_size(1001).send(),
            "PageSize",
            "must be 1 to 1000, got 1001"
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
    server.json(
        201,
        r#"{"account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "sid": "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "date_created": "2020-03-18T23:31:36Z", "date_updated": "2020-03-18T23:31:36Z",
            "url": "https://voice.twilio.com/v1/IpRecords/ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#,
    );
    server
        .client()
        .ip_records()
        .create("10.0.0.1")
        .friendly_name("ü".repeat(255))
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 1);
    let expected = format!("FriendlyName={}", "%C3%BC".repeat(255));
    assert!(
        server.single().body.starts_with(&expected),
        "{}",
        server.single().body
    );
}

#[tokio::test]
async fn names_at_the_limits_of_sip_lists_are_sent() {
    let server = Recorder::start().await;
    let acl = r#"{"account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "sid": "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "date_created": "Fri, 17 Jul 2015 21:25:15 +0000", "date_updated": "Fri, 17 Jul 2015 21:25:15 +0000",
        "friendly_name": "x",
        "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json"}"#;
    server.json(201, acl).json(200, acl);
    let lists = server.client().sip_ip_access_control_lists();
    lists.create("x").await.unwrap();
    lists.update(AL, "n".repeat(255)).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, "FriendlyName=x");
    assert_eq!(
        requests[1].body,
        format!("FriendlyName={}", "n".repeat(255))
    );
}
