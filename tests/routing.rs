//! Region and edge routing, on every request including next-page links. A reqwest client that
//! resolves the routed Twilio host names to 127.0.0.1 stands in for DNS, so nothing leaves the
//! machine while the Host header shows where the request was sent.
#![cfg(feature = "mock")]

mod support;

use support::{AC, Recorder, TOKEN};
use twilio_ip_access::{Client, RetryPolicy, request::BoxFuture, reqwest};

fn client(server: &Recorder, hosts: &[&str], region: Option<&str>, edge: Option<&str>) -> Client {
    let mut http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    for host in hosts {
        http = http.resolve(host, server.addr);
    }
    let port = server.addr.port();
    let mut builder = Client::builder()
        .account_sid(AC)
        .auth_token(TOKEN)
        .voice_base_url(format!("http://voice.twilio.com:{port}"))
        .trunking_base_url(format!("http://trunking.twilio.com:{port}"))
        .api_base_url(format!("http://api.twilio.com:{port}"))
        .http_client(http.build().unwrap())
        .retry_policy(RetryPolicy::none());
    if let Some(region) = region {
        builder = builder.region(region);
    }
    if let Some(edge) = edge {
        builder = builder.edge(edge);
    }
    builder.build().unwrap()
}

fn record(sid: &str) -> serde_json::Value {
    serde_json::json!({
        "account_sid": AC,
        "sid": sid,
        "friendly_name": null,
        "ip_address": "10.2.3.4",
        "cidr_prefix_length": 32,
        "date_created": "2020-03-18T23:31:36Z",
        "date_updated": "2020-03-18T23:31:36Z",
        "url": format!("https://voice.twilio.com/v1/IpRecords/{sid}"),
    })
}

fn page(sid: &str, next: Option<&str>) -> String {
    serde_json::json!({
        "meta": {"key": "ip_records", "next_page_url": next},
        "ip_records": [record(sid)],
    })
    .to_string()
}

#[tokio::test]
async fn edge_and_region_route_every_request_including_next_pages() {
    let server = Recorder::start().await;
    server
        .json(
            200,
            &page(
                "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                Some("https://voice.twilio.com/v1/IpRecords?PageSize=1&Page=1&PageToken=PA1"),
            ),
        )
        .json(200, &page("ILbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", None));
    let client = client(
        &server,
        &["voice.sydney.au1.twilio.com"],
        Some("au1"),
        Some("sydney"),
    );
    let all = client
        .ip_records()
        .list()
        .page_size(1)
        .collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    let port = server.addr.port();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[1].uri,
        "/v1/IpRecords?PageSize=1&Page=1&PageToken=PA1"
    );
    for request in requests {
        assert_eq!(
            request.header("host"),
            Some(format!("voice.sydney.au1.twilio.com:{port}").as_str())
        );
    }
}

#[tokio::test]
async fn edge_alone_means_us1() {
    let server = Recorder::start().await;
    server.canned(204, vec![], "");
    let client = client(&server, &["api.edge.us1.twilio.com"], None, Some("edge"));
    client
        .sip_ip_access_control_list("ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .ip_addresses()
        .delete("IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap();
    let port = server.addr.port();
    assert_eq!(
        server.single().header("host"),
        Some(format!("api.edge.us1.twilio.com:{port}").as_str())
    );
}

#[tokio::test]
async fn region_alone() {
    let server = Recorder::start().await;
    server.canned(204, vec![], "");
    let client = client(&server, &["trunking.ie1.twilio.com"], Some("ie1"), None);
    client
        .trunk("TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .ip_access_control_lists()
        .delete("ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .await
        .unwrap();
    let port = server.addr.port();
    assert_eq!(
        server.single().header("host"),
        Some(format!("trunking.ie1.twilio.com:{port}").as_str())
    );
}

#[test]
fn facts_page_examples() {
    let build = |region: Option<&str>, edge: Option<&str>| {
        let mut b = Client::builder().account_sid(AC).auth_token(TOKEN);
        if let Some(r) = region {
            b = b.region(r);
        }
        if let Some(e) = edge {
            b = b.edge(e);
        }
        b.build().unwrap()
    };
    assert_eq!(
        build(Some("au1"), Some("sydney")).base_urls(),
        [
            ("api", "https://api.sydney.au1.twilio.com"),
            ("trunking", "https://trunking.sydney.au1.twilio.com"),
            ("voice", "https://voice.sydney.au1.twilio.com"),
        ]
    );
    assert_eq!(
        build(None, Some("edge")).base_url("api"),
        Some("https://api.edge.us1.twilio.com")
    );
    assert_eq!(
        build(None, None).base_urls(),
        [
            ("api", "https://api.twilio.com"),
            ("trunking", "https://trunking.twilio.com"),
            ("voice", "https://voice.twilio.com"),
        ]
    );
    assert_eq!(build(None, None).base_url("sms"), None);
    // A proxy that already names an edge and region has them replaced, its port and path kept.
    let client = Client::builder()
        .account_sid(AC)
        .auth_token(TOKEN)
        .api_base_url("https://api.dublin.ie1.twilio.com:8443/prefix")
        .region("au1")
        .build()
        .unwrap();
    assert_eq!(
        client.base_url("api"),
        Some("https://api.dublin.au1.twilio.com:8443/prefix")
    );
    assert_eq!(
        client.base_url("voice"),
        Some("https://voice.au1.twilio.com")
    );
}

/// One future per operation, with the product whose host it must reach and what it sends.
fn every_operation(client: &Client) -> Vec<(&'static str, &'static str, BoxFuture<()>)> {
    const IL: &str = "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const IB: &str = "IBaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const SD: &str = "SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const TK: &str = "TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const AL: &str = "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const IP: &str = "IPaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    macro_rules! op {
        ($product:expr, $name:expr, $fut:expr) => {
            (
                $product,
                $name,
                Box::pin({
                    let f = $fut;
                    async move {
                        // What comes back does not matter here, only where the request went.
                        let _ = f.await;
                    }
                }) as BoxFuture<()>,
            )
        };
    }
    let records = client.ip_records();
    let mappings = client.source_ip_mappings();
    let trunk_acls = client.trunk(TK).ip_access_control_lists();
    let addresses = client.sip_ip_access_control_list(AL).ip_addresses();
    let acls = client.sip_ip_access_control_lists();
    let domain_acls = client
        .sip_domain(SD)
        .auth_calls_ip_access_control_list_mappings();
    vec![
        op!("voice", "CreateIpRecord", records.create("10.0.0.1")),
        op!("voice", "FetchIpRecord", records.fetch(IL)),
        op!(
            "voice",
            "UpdateIpRecord",
            records.update(IL).friendly_name("x")
        ),
        op!("voice", "DeleteIpRecord", records.delete(IL)),
        op!("voice", "ListIpRecord", records.list().send()),
        op!("voice", "CreateSourceIpMapping", mappings.create(IL, SD)),
        op!("voice", "FetchSourceIpMapping", mappings.fetch(IB)),
        op!("voice", "UpdateSourceIpMapping", mappings.update(IB, SD)),
        op!("voice", "DeleteSourceIpMapping", mappings.delete(IB)),
        op!("voice", "ListSourceIpMapping", mappings.list().send()),
        op!(
            "trunking",
            "CreateTrunkIpAccessControlList",
            trunk_acls.create(AL)
        ),
        op!(
            "trunking",
            "FetchTrunkIpAccessControlList",
            trunk_acls.fetch(AL)
        ),
        op!(
            "trunking",
            "DeleteTrunkIpAccessControlList",
            trunk_acls.delete(AL)
        ),
        op!(
            "trunking",
            "ListTrunkIpAccessControlList",
            trunk_acls.list().send()
        ),
        op!("trunking", "FetchTrunk", client.trunks().fetch(TK)),
        op!("trunking", "ListTrunk", client.trunks().list().send()),
        op!(
            "api",
            "CreateSipIpAddress",
            addresses.create("desk", "10.0.0.1")
        ),
        op!("api", "FetchSipIpAddress", addresses.fetch(IP)),
        op!(
            "api",
            "UpdateSipIpAddress",
            addresses.update(IP).cidr_prefix_length(24)
        ),
        op!("api", "DeleteSipIpAddress", addresses.delete(IP)),
        op!("api", "ListSipIpAddress", addresses.list().send()),
        op!("api", "CreateSipIpAccessControlList", acls.create("office")),
        op!("api", "FetchSipIpAccessControlList", acls.fetch(AL)),
        op!(
            "api",
            "UpdateSipIpAccessControlList",
            acls.update(AL, "office")
        ),
        op!("api", "DeleteSipIpAccessControlList", acls.delete(AL)),
        op!("api", "ListSipIpAccessControlList", acls.list().send()),
        op!("api", "FetchSipDomain", client.sip_domains().fetch(SD)),
        op!("api", "ListSipDomain", client.sip_domains().list().send()),
        op!(
            "api",
            "CreateAuthCallsIpAccessControlListMapping",
            domain_acls.create(AL)
        ),
        op!(
            "api",
            "FetchAuthCallsIpAccessControlListMapping",
            domain_acls.fetch(AL)
        ),
        op!(
            "api",
            "DeleteAuthCallsIpAccessControlListMapping",
            domain_acls.delete(AL)
        ),
        op!(
            "api",
            "ListAuthCallsIpAccessControlListMapping",
            domain_acls.list().send()
        ),
    ]
}

#[tokio::test]
async fn every_operation_of_every_product_goes_to_the_routed_host() {
    let server = Recorder::start().await;
    let client = client(
        &server,
        &[
            "voice.sydney.au1.twilio.com",
            "trunking.sydney.au1.twilio.com",
            "api.sydney.au1.twilio.com",
        ],
        Some("au1"),
        Some("sydney"),
    );
    let operations = every_operation(&client);
    assert_eq!(operations.len(), 32);
    let port = server.addr.port();
    for (n, (product, name, operation)) in operations.into_iter().enumerate() {
        server.canned(204, vec![], "");
        operation.await;
        let requests = server.requests();
        assert_eq!(requests.len(), n + 1, "{name} sent one request");
        assert_eq!(
            requests[n].header("host"),
            Some(format!("{product}.sydney.au1.twilio.com:{port}").as_str()),
            "{name}"
        );
    }
}

#[tokio::test]
async fn relative_next_page_links_stay_on_the_routed_host() {
    let server = Recorder::start().await;
    let list = "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/Domains/SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Auth/Calls/IpAccessControlListMappings.json";
    let mapping = |sid: &str| {
        serde_json::json!({
            "account_sid": AC,
            "date_created": "Thu, 30 Jul 2015 20:00:00 +0000",
            "date_updated": "Thu, 30 Jul 2015 20:00:00 +0000",
            "friendly_name": "friendly_name",
            "sid": sid,
        })
    };
    let next = format!("{list}?PageSize=1&Page=1&PageToken=PAx1");
    server
        .json(
            200,
            &serde_json::json!({
                "contents": [mapping("ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")],
                "next_page_uri": next,
            })
            .to_string(),
        )
        .json(
            200,
            &serde_json::json!({
                "contents": [mapping("ALbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")],
                "next_page_uri": null,
            })
            .to_string(),
        );
    let client = client(&server, &["api.edge.us1.twilio.com"], None, Some("edge"));
    let all = client
        .sip_domain("SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .auth_calls_ip_access_control_list_mappings()
        .list()
        .page_size(1)
        .collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    let port = server.addr.port();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].uri, format!("{list}?PageSize=1"));
    assert_eq!(requests[1].uri, next);
    for request in requests {
        assert_eq!(
            request.header("host"),
            Some(format!("api.edge.us1.twilio.com:{port}").as_str())
        );
    }
}
