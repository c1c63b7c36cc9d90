//! Region and edge routing.
//!
//! Twilio's helper libraries move every request to `{product}.{edge}.{region}.twilio.com` when a
//! region or an edge is configured; with only an edge the region is `us1`. A host that already
//! names an edge and region has those parts replaced. Port, path and query are kept. Hosts that
//! are not shaped like a Twilio host (IP addresses, names of fewer than three labels such as
//! `localhost`, names outside `twilio.com`) are left alone, so emulators and proxies keep working.

use url::{Host, Url};

/// Rewrites `url` for `edge` and `region`, as the facts of Twilio's helper libraries describe.
///
/// ```
/// use twilio_ip_access::hosts::route;
///
/// let url = "https://voice.twilio.com/v1/IpRecords".parse()?;
/// assert_eq!(route(url, Some("au1"), Some("sydney")).as_str(), "https://voice.sydney.au1.twilio.com/v1/IpRecords");
///
/// let url = "https://api.twilio.com".parse()?;
/// assert_eq!(route(url, None, Some("edge")).as_str(), "https://api.edge.us1.twilio.com/");
///
/// let url = "http://127.0.0.1:4010/v1/IpRecords".parse()?;
/// assert_eq!(route(url, Some("au1"), Some("sydney")).as_str(), "http://127.0.0.1:4010/v1/IpRecords");
/// # Ok::<(), url::ParseError>(())
/// ```
pub fn route(mut url: Url, region: Option<&str>, edge: Option<&str>) -> Url {
    if region.is_none() && edge.is_none() {
        return url;
    }
    let Some(Host::Domain(host)) = url.host() else {
        return url;
    };
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    if !(3..=5).contains(&n) || labels[n - 2] != "twilio" || labels[n - 1] != "com" {
        return url;
    }
    // product.twilio.com | product.region.twilio.com | product.edge.region.twilio.com
    let (old_edge, old_region) = match n {
        4 => (None, Some(labels[1])),
        5 => (Some(labels[1]), Some(labels[2])),
        _ => (None, None),
    };
    let edge = edge.or(old_edge);
    let region = region.or(old_region).or(edge.map(|_| "us1"));
    let new_host = [Some(labels[0]), edge, region, Some("twilio"), Some("com")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(".");
    // The new host is made of labels of a valid host, so this cannot fail; keep the URL if it did.
    let _ = url.set_host(Some(&new_host));
    url
}

#[cfg(test)]
mod tests {
    use super::route;

    fn r(url: &str, region: Option<&str>, edge: Option<&str>) -> String {
        route(url.parse().unwrap(), region, edge).to_string()
    }

    #[test]
    fn facts_page_cases() {
        assert_eq!(
            r(
                "https://voice.twilio.com/v1/IpRecords",
                Some("au1"),
                Some("sydney")
            ),
            "https://voice.sydney.au1.twilio.com/v1/IpRecords"
        );
        assert_eq!(
            r("https://api.twilio.com", None, Some("edge")),
            "https://api.edge.us1.twilio.com/"
        );
        assert_eq!(
            r("https://api.twilio.com/x", Some("ie1"), None),
            "https://api.ie1.twilio.com/x"
        );
        // Existing edge and region are replaced; port, path and query are kept.
        assert_eq!(
            r(
                "https://api.dublin.ie1.twilio.com:8443/2010-04-01/A.json?PageSize=5",
                Some("au1"),
                Some("sydney")
            ),
            "https://api.sydney.au1.twilio.com:8443/2010-04-01/A.json?PageSize=5"
        );
        assert_eq!(
            r("https://api.ie1.twilio.com/", None, Some("dublin")),
            "https://api.dublin.ie1.twilio.com/"
        );
        assert_eq!(
            r("https://api.dublin.ie1.twilio.com/", Some("us1"), None),
            "https://api.dublin.us1.twilio.com/"
        );
    }

    #[test]
    fn leaves_non_twilio_hosts_alone() {
        for url in [
            "http://127.0.0.1:4010/v1",
            "http://localhost:4010/v1",
            "http://[::1]:80/",
            "https://proxy.example.com/v1",
        ] {
            let parsed: url::Url = url.parse().unwrap();
            assert_eq!(r(url, Some("au1"), Some("sydney")), parsed.to_string());
        }
        assert_eq!(
            r("https://voice.twilio.com/v1", None, None),
            "https://voice.twilio.com/v1"
        );
    }
}
