//! Region and edge routing, on every request including next-page links. A reqwest client that
//! resolves the routed Twilio host names to 127.0.0.1 stands in for DNS, so nothing leaves the
//! machine while the Host header shows where the request was sent.
#![cfg(feature = "mock")]

mod support;

use support::{AC, Recorder, TOKEN};
use twilio_ip_access::{Client, RetryPolicy, reqwest};

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

const PAGE: &str = r#"{"meta": {"key": "ip_records", "next_page_url": "https://voice.twilio.com/v1/IpRecords?PageSize=1&Page=1&PageToken=PA1"},
  "ip_records": [{"sid": "ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}]}"#;
const LAST: &str = r#"{"meta": {"key": "ip_records", "next_page_url": null}, "ip_records": [{"sid": "ILbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}]}"#;

#[tokio::test]
async fn edge_and_region_route_every_request_including_next_pages() {
    let server = Recorder::start().await;
    server.json(200, PAGE).json(200, LAST);
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
    for request in server.requests() {
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
            "https://voice.sydney.au1.twilio.com",
            "https://trunking.sydney.au1.twilio.com",
            "https://api.sydney.au1.twilio.com"
        ]
    );
    assert_eq!(
        build(None, Some("edge")).base_urls()[2],
        "https://api.edge.us1.twilio.com"
    );
    assert_eq!(build(None, None).base_urls()[0], "https://voice.twilio.com");
    // A proxy that already names an edge and region has them replaced, its port and path kept.
    let client = Client::builder()
        .account_sid(AC)
        .auth_token(TOKEN)
        .api_base_url("https://api.dublin.ie1.twilio.com:8443/prefix")
        .region("au1")
        .build()
        .unwrap();
    assert_eq!(
        client.base_urls()[2],
        "https://api.dublin.au1.twilio.com:8443/prefix"
    );
}
