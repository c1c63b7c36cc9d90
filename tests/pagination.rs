//! Pagination over both list envelopes: lazy streams that follow the server's links, limits that
//! stop early, stored cursors, and links that repeat.
#![cfg(feature = "mock")]

mod support;

use axum::http::Method;
use futures_util::{StreamExt, TryStreamExt};
use support::{Recorder, assert_bodiless};
use twilio_ip_access::{Error, PageCursor};

const TK: &str = "TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const AL: &str = "ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

fn record(n: u32) -> serde_json::Value {
    serde_json::json!({
        "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "sid": format!("IL{n:032x}"),
        "friendly_name": format!("record {n}"),
        "ip_address": format!("10.0.0.{n}"),
        "cidr_prefix_length": 32,
        "date_created": "2020-03-18T23:31:36Z",
        "date_updated": "2020-03-18T23:31:36Z",
        "url": format!("https://voice.twilio.com/v1/IpRecords/IL{n:032x}"),
    })
}

/// A v1 page: `meta.next_page_url` is absolute and names Twilio's host, whatever the base URL.
fn v1_page(items: &[u32], page: u32, next: Option<&str>) -> String {
    serde_json::json!({
        "meta": {
            "page": page, "page_size": 2, "key": "ip_records",
            "first_page_url": "https://voice.twilio.com/v1/IpRecords?PageSize=2&Page=0",
            "previous_page_url": null,
            "url": format!("https://voice.twilio.com/v1/IpRecords?PageSize=2&Page={page}"),
            "next_page_url": next,
        },
        "ip_records": items.iter().map(|n| record(*n)).collect::<Vec<_>>(),
    })
    .to_string()
}

fn sip_address(n: u32) -> serde_json::Value {
    serde_json::json!({
        "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "date_created": "Mon, 20 Jul 2015 17:27:10 +0000",
        "date_updated": "Mon, 20 Jul 2015 17:27:10 +0000",
        "friendly_name": format!("address {n}"),
        "ip_access_control_list_sid": AL,
        "ip_address": format!("192.168.1.{n}"),
        "cidr_prefix_length": 32,
        "sid": format!("IP{n:032x}"),
        "uri": format!("/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/{AL}/IpAddresses/IP{n:032x}.json"),
    })
}

const SIP_LIST: &str = "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/SIP/IpAccessControlLists/ALaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAddresses.json";

/// A 2010 page: flat envelope, `next_page_uri` relative to the host.
fn v2010_page(items: &[u32], page: u32, next: Option<String>) -> String {
    serde_json::json!({
        "end": page * 2 + items.len() as u32 - 1,
        "first_page_uri": format!("{SIP_LIST}?PageSize=2&Page=0"),
        "ip_addresses": items.iter().map(|n| sip_address(*n)).collect::<Vec<_>>(),
        "next_page_uri": next,
        "page": page,
        "page_size": 2,
        "previous_page_uri": null,
        "start": page * 2,
        "uri": format!("{SIP_LIST}?PageSize=2&Page={page}"),
    })
    .to_string()
}

/// Addresses 1 to 6 in three 2010 pages of two; `last` is the last page's next link.
fn three_v2010_pages(server: &Recorder, last: Option<String>) {
    server
        .json(
            200,
            &v2010_page(
                &[1, 2],
                0,
                Some(format!("{SIP_LIST}?PageSize=2&Page=1&PageToken=PAx1")),
            ),
        )
        .json(
            200,
            &v2010_page(
                &[3, 4],
                1,
                Some(format!("{SIP_LIST}?PageSize=2&Page=2&PageToken=PAx2")),
            ),
        )
        .json(200, &v2010_page(&[5, 6], 2, last));
}

/// Records 1 to 5 in three v1 pages of two.
fn three_v1_pages(server: &Recorder) {
    server
        .json(
            200,
            &v1_page(
                &[1, 2],
                0,
                Some("https://voice.twilio.com/v1/IpRecords?PageSize=2&Page=1&PageToken=PA2"),
            ),
        )
        .json(
            200,
            &v1_page(
                &[3, 4],
                1,
                Some("https://voice.twilio.com/v1/IpRecords?PageSize=2&Page=2&PageToken=PA4"),
            ),
        )
        .json(200, &v1_page(&[5], 2, None));
}

#[tokio::test]
async fn v1_stream_follows_absolute_links_through_the_configured_base_url() {
    let server = Recorder::start().await;
    three_v1_pages(&server);
    let records = server
        .client()
        .ip_records()
        .list()
        .page_size(2)
        .collect()
        .await
        .unwrap();
    let names: Vec<_> = records
        .iter()
        .map(|r| r.friendly_name.clone().unwrap())
        .collect();
    assert_eq!(
        names,
        ["record 1", "record 2", "record 3", "record 4", "record 5"]
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_bodiless(&requests[0], Method::GET, "/v1/IpRecords?PageSize=2");
    // The link's path and query as the server sent them, on the configured base URL.
    assert_bodiless(
        &requests[1],
        Method::GET,
        "/v1/IpRecords?PageSize=2&Page=1&PageToken=PA2",
    );
    assert_bodiless(
        &requests[2],
        Method::GET,
        "/v1/IpRecords?PageSize=2&Page=2&PageToken=PA4",
    );
}

#[tokio::test]
async fn stream_is_lazy_and_limit_stops_early() {
    let server = Recorder::start().await;
    three_v1_pages(&server);
    let mut stream = Box::pin(
        server
            .client()
            .ip_records()
            .list()
            .page_size(2)
            .limit(3)
            .stream(),
    );
    assert_eq!(
        server.requests().len(),
        0,
        "nothing is fetched before the stream is polled"
    );
    let first = stream.try_next().await.unwrap().unwrap();
    assert_eq!(first.friendly_name.as_deref(), Some("record 1"));
    assert_eq!(
        server.requests().len(),
        1,
        "one page fetched for the first item"
    );
    let rest: Vec<_> = stream
        .map(|r| r.unwrap().friendly_name.unwrap())
        .collect()
        .await;
    assert_eq!(rest, ["record 2", "record 3"]);
    assert_eq!(
        server.requests().len(),
        2,
        "the third page is never fetched"
    );
}

#[tokio::test]
async fn v2010_stream_follows_relative_links() {
    let server = Recorder::start().await;
    // The last page ends with an empty link rather than null: both end the list.
    three_v2010_pages(&server, Some(String::new()));
    let all = server
        .client()
        .sip_ip_access_control_list(AL)
        .ip_addresses()
        .list()
        .page_size(2)
        .collect()
        .await
        .unwrap();
    let ips: Vec<_> = all.iter().map(|a| a.ip_address.clone().unwrap()).collect();
    assert_eq!(
        ips,
        [
            "192.168.1.1",
            "192.168.1.2",
            "192.168.1.3",
            "192.168.1.4",
            "192.168.1.5",
            "192.168.1.6"
        ]
    );
    let uris: Vec<_> = server.requests().into_iter().map(|r| r.uri).collect();
    // The relative link is joined to the host root: no doubled `/2010-04-01`.
    assert_eq!(
        uris,
        [
            format!("{SIP_LIST}?PageSize=2"),
            format!("{SIP_LIST}?PageSize=2&Page=1&PageToken=PAx1"),
            format!("{SIP_LIST}?PageSize=2&Page=2&PageToken=PAx2"),
        ]
    );
}

#[tokio::test]
async fn v2010_limit_across_pages() {
    let server = Recorder::start().await;
    three_v2010_pages(&server, None);
    let all = server
        .client()
        .sip_ip_access_control_list(AL)
        .ip_addresses()
        .list()
        .page_size(2)
        .limit(4)
        .collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn pages_can_be_taken_one_at_a_time_and_resumed_from_a_stored_cursor() {
    let server = Recorder::start().await;
    three_v1_pages(&server);
    let client = server.client();
    let first = client
        .ip_records()
        .list()
        .page_size(2)
        .send()
        .await
        .unwrap();
    assert_eq!(first.items().len(), 2);
    let stored = first.next_cursor().unwrap().to_string();
    assert_eq!(stored, "/v1/IpRecords?PageSize=2&Page=1&PageToken=PA2");

    // Later, perhaps in another process: resume from the stored text.
    let cursor: PageCursor = stored.parse().unwrap();
    let second = client
        .ip_records()
        .list()
        .starting_at(cursor)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = second
        .into_items()
        .into_iter()
        .map(|r| r.friendly_name.unwrap())
        .collect();
    assert_eq!(names, ["record 3", "record 4"]);
    assert_eq!(
        server.requests()[1].uri,
        "/v1/IpRecords?PageSize=2&Page=1&PageToken=PA2"
    );
}

#[tokio::test]
async fn pages_stream() {
    let server = Recorder::start().await;
    three_v1_pages(&server);
    let sizes: Vec<usize> = server
        .client()
        .ip_records()
        .list()
        .page_size(2)
        .pages()
        .map_ok(|page| page.items().len())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sizes, [2, 2, 1]);
}

#[tokio::test]
async fn a_repeated_link_ends_the_stream_with_an_error() {
    let server = Recorder::start().await;
    let link = "https://trunking.twilio.com/v1/Trunks/TKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/IpAccessControlLists?PageSize=1&Page=1&PageToken=PAloop";
    let page = |next: &str| {
        serde_json::json!({
            "ip_access_control_lists": [{
                "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "sid": AL, "trunk_sid": TK,
                "friendly_name": "friendly_name",
                "date_created": "2018-05-02T17:29:34Z", "date_updated": "2018-05-02T17:29:34Z",
                "url": format!("https://trunking.twilio.com/v1/Trunks/{TK}/IpAccessControlLists/{AL}"),
            }],
            "meta": {"key": "ip_access_control_lists", "page": 1, "page_size": 1, "next_page_url": next,
                     "first_page_url": link, "url": link, "previous_page_url": null}
        })
        .to_string()
    };
    // The server keeps answering with the same next link.
    for _ in 0..3 {
        server.json(200, &page(link));
    }
    let results: Vec<_> = server
        .client()
        .trunk(TK)
        .ip_access_control_lists()
        .list()
        .page_size(1)
        .stream()
        .collect()
        .await;
    assert_eq!(results.len(), 3, "two items, then the error: {results:?}");
    assert!(results[0].is_ok() && results[1].is_ok());
    match &results[2] {
        Err(Error::Pagination { reason }) => {
            assert!(reason.contains("already followed"), "{reason}")
        }
        other => panic!("expected a pagination error, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_error_on_a_later_page_ends_the_stream() {
    let server = Recorder::start().await;
    server
        .json(200, &v1_page(&[1, 2], 0, Some("https://voice.twilio.com/v1/IpRecords?PageSize=2&Page=1&PageToken=PA2")))
        .json(429, r#"{"code": 20429, "message": "Too Many Requests", "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429}"#);
    let results: Vec<_> = server
        .client()
        .ip_records()
        .list()
        .page_size(2)
        .stream()
        .collect()
        .await;
    assert_eq!(results.len(), 3);
    assert_eq!(results[2].as_ref().unwrap_err().code(), Some(20429));
}

#[tokio::test]
async fn bad_page_size_is_rejected_before_sending() {
    let server = Recorder::start().await;
    for size in [0, 1001] {
        let err = server
            .client()
            .ip_records()
            .list()
            .page_size(size)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.parameter(), Some("PageSize"));
        assert_eq!(
            err.to_string(),
            format!("invalid argument `PageSize`: must be 1 to 1000, got {size}")
        );
        let streamed: Vec<_> = server
            .client()
            .ip_records()
            .list()
            .page_size(size)
            .stream()
            .collect()
            .await;
        assert_eq!(streamed.len(), 1);
        assert!(matches!(
            streamed[0],
            Err(Error::InvalidArgument {
                parameter: "PageSize",
                ..
            })
        ));
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn resuming_checks_page_sizes_before_sending() {
    let server = Recorder::start().await;
    let records = server.client().ip_records();
    let err = records
        .list()
        .page_size(0)
        .starting_at(PageCursor::default())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid argument `PageSize`: must be 1 to 1000, got 0"
    );
    let stored = PageCursor {
        page_size: Some(5000),
        page: Some(3),
        page_token: Some("PA9".into()),
        link: None,
    };
    let err = records.list().starting_at(stored).send().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid argument `PageSize`: must be 1 to 1000, got 5000"
    );
    assert!(server.requests().is_empty());

    // A stored cursor without a page size takes the builder's.
    server.json(200, &v1_page(&[1], 3, None));
    let cursor = PageCursor {
        page_size: None,
        page: Some(3),
        page_token: Some("PA9".into()),
        link: None,
    };
    records
        .list()
        .page_size(7)
        .starting_at(cursor)
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.single().uri,
        "/v1/IpRecords?Page=3&PageSize=7&PageToken=PA9"
    );
}

#[tokio::test]
async fn pages_respect_the_limit_and_limit_zero_sends_nothing() {
    let server = Recorder::start().await;
    three_v1_pages(&server);
    let pages: Vec<usize> = server
        .client()
        .ip_records()
        .list()
        .page_size(2)
        .limit(3)
        .pages()
        .map_ok(|page| page.items().len())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages,
        [2, 1],
        "the page that reaches the limit is cut short and is the last"
    );
    assert_eq!(server.requests().len(), 2);

    let server = Recorder::start().await;
    let page = server
        .client()
        .ip_records()
        .list()
        .limit(0)
        .send()
        .await
        .unwrap();
    assert!(page.items().is_empty() && page.next_cursor().is_none());
    assert!(
        server
            .client()
            .ip_records()
            .list()
            .limit(0)
            .collect()
            .await
            .unwrap()
            .is_empty()
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn next_links_are_requested_verbatim_under_a_base_path() {
    let server = Recorder::start().await;
    // An odd parameter order and a parameter the client does not know: both kept.
    server
        .json(200, &v1_page(&[1], 0, Some("https://voice.twilio.com/v1/IpRecords?Page=1&PageToken=PA1&PageSize=1&Extra=x%20y")))
        .json(200, &v1_page(&[2], 1, None));
    // A proxy that serves Twilio under a path prefix.
    let client = twilio_ip_access::Client::builder()
        .account_sid(support::AC)
        .auth_token(support::TOKEN)
        .base_url(format!("{}/twilio", server.base_url))
        .retry_policy(twilio_ip_access::RetryPolicy::none())
        .build()
        .unwrap();
    let all = client
        .ip_records()
        .list()
        .page_size(1)
        .collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    let requests = server.requests();
    assert_bodiless(&requests[0], Method::GET, "/twilio/v1/IpRecords?PageSize=1");
    assert_bodiless(
        &requests[1],
        Method::GET,
        "/twilio/v1/IpRecords?Page=1&PageToken=PA1&PageSize=1&Extra=x%20y",
    );
}

#[tokio::test]
async fn a_cursor_whose_link_is_not_a_path_is_refused() {
    let server = Recorder::start().await;
    let cursor = PageCursor {
        link: Some("https://elsewhere.example/v1/IpRecords".into()),
        ..PageCursor::default()
    };
    let err = server
        .client()
        .ip_records()
        .list()
        .starting_at(cursor)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Pagination { reason } if reason.contains("must be a path")),
        "{err:?}"
    );
    assert!(server.requests().is_empty());
}

/// Two pages of each list added with the 2010 SIP resources and the trunks: the envelope key and
/// the next link of each are read, and the second page is requested from the link verbatim.
#[tokio::test]
async fn the_new_lists_follow_their_links() {
    const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const SD: &str = "SDaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let date_2010 = "Mon, 20 Jul 2015 17:27:10 +0000";
    let sip_acl = |n: u32| {
        serde_json::json!({
            "account_sid": AC, "sid": format!("AL{n:032x}"), "friendly_name": format!("list {n}"),
            "date_created": date_2010, "date_updated": date_2010,
            "uri": format!("/2010-04-01/Accounts/{AC}/SIP/IpAccessControlLists/AL{n:032x}.json"),
        })
    };
    let domain = |n: u32| {
        serde_json::json!({
            "account_sid": AC, "sid": format!("SD{n:032x}"), "friendly_name": format!("domain {n}"),
            "date_created": date_2010, "date_updated": date_2010,
            "uri": format!("/2010-04-01/Accounts/{AC}/SIP/Domains/SD{n:032x}.json"),
        })
    };
    let mapping = |n: u32| {
        serde_json::json!({
            "account_sid": AC, "sid": format!("AL{n:032x}"), "friendly_name": format!("mapping {n}"),
            "date_created": date_2010, "date_updated": date_2010,
        })
    };
    let trunk = |n: u32| {
        serde_json::json!({
            "account_sid": AC, "sid": format!("TK{n:032x}"), "friendly_name": format!("trunk {n}"),
            "date_created": "2015-01-02T11:23:45Z", "date_updated": "2015-01-02T11:23:45Z",
            "url": format!("https://trunking.twilio.com/v1/Trunks/TK{n:032x}"),
        })
    };
    let sip_acls = format!("/2010-04-01/Accounts/{AC}/SIP/IpAccessControlLists.json");
    let domains = format!("/2010-04-01/Accounts/{AC}/SIP/Domains.json");
    let mappings = format!(
        "/2010-04-01/Accounts/{AC}/SIP/Domains/{SD}/Auth/Calls/IpAccessControlListMappings.json"
    );
    let v2010 = |key: &str, item: serde_json::Value, next: Option<String>| {
        serde_json::json!({ key: [item], "next_page_uri": next, "page_size": 1 }).to_string()
    };
    let next = |list: &str| format!("{list}?PageSize=1&Page=1&PageToken=PAx1");

    let server = Recorder::start().await;
    let client = server.client();
    server
        .json(
            200,
            &v2010("ip_access_control_lists", sip_acl(1), Some(next(&sip_acls))),
        )
        .json(200, &v2010("ip_access_control_lists", sip_acl(2), None));
    let names: Vec<_> = client
        .sip_ip_access_control_lists()
        .list()
        .page_size(1)
        .collect()
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.friendly_name.unwrap())
        .collect();
    assert_eq!(names, ["list 1", "list 2"]);

    server
        .json(200, &v2010("domains", domain(1), Some(next(&domains))))
        .json(200, &v2010("domains", domain(2), None));
    let names: Vec<_> = client
        .sip_domains()
        .list()
        .page_size(1)
        .collect()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.friendly_name.unwrap())
        .collect();
    assert_eq!(names, ["domain 1", "domain 2"]);

    server
        .json(200, &v2010("contents", mapping(1), Some(next(&mappings))))
        .json(200, &v2010("contents", mapping(2), None));
    let sids: Vec<_> = client
        .sip_domain(SD)
        .auth_calls_ip_access_control_list_mappings()
        .list()
        .page_size(1)
        .collect()
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.sid.to_string())
        .collect();
    assert_eq!(sids, [format!("AL{:032x}", 1), format!("AL{:032x}", 2)]);

    let trunks_next = "https://trunking.twilio.com/v1/Trunks?PageSize=1&Page=1&PageToken=PAt1";
    server
        .json(
            200,
            &serde_json::json!({"meta": {"key": "trunks", "next_page_url": trunks_next}, "trunks": [trunk(1)]})
                .to_string(),
        )
        .json(
            200,
            &serde_json::json!({"meta": {"key": "trunks", "next_page_url": null}, "trunks": [trunk(2)]})
                .to_string(),
        );
    let names: Vec<_> = client
        .trunks()
        .list()
        .page_size(1)
        .collect()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.friendly_name.unwrap())
        .collect();
    assert_eq!(names, ["trunk 1", "trunk 2"]);

    let requests = server.requests();
    let expected = [
        format!("{sip_acls}?PageSize=1"),
        next(&sip_acls),
        format!("{domains}?PageSize=1"),
        next(&domains),
        format!("{mappings}?PageSize=1"),
        next(&mappings),
        "/v1/Trunks?PageSize=1".to_owned(),
        "/v1/Trunks?PageSize=1&Page=1&PageToken=PAt1".to_owned(),
    ];
    assert_eq!(requests.len(), expected.len());
    for (request, uri) in requests.iter().zip(&expected) {
        assert_bodiless(request, Method::GET, uri);
    }
}
