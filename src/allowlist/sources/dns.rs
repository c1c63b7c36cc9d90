//! `{ dns = "sbc1.example.com" }`: every A record of a host name, each a /32, through
//! hickory-resolver (the system's configuration, or the name servers given). Only A records
//! are asked for: Twilio's lists hold IPv4 only.

use hickory_resolver::{
    TokioResolver,
    config::{NameServerConfig, ResolveHosts, ResolverConfig},
    net::runtime::TokioRuntimeProvider,
    proto::rr::RData,
};

use super::{Item, Position, SourceError, SourceOptions};

pub(super) type Resolver = TokioResolver;

/// Refuses what cannot be a host name before anything is asked.
pub(super) fn check_host(host: &str) -> Result<String, String> {
    let bare = host.strip_suffix('.').unwrap_or(host);
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if bare.is_empty() || bare.len() > 253 || !bare.split('.').all(label_ok) {
        return Err(format!(
            "`dns` must be a host name such as sbc1.example.com (letters, digits, `-`, dots), not {host:?}"
        ));
    }
    if bare.parse::<std::net::IpAddr>().is_ok()
        || bare
            .split('.')
            .all(|l| l.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!(
            "`dns` is a host name to look up; {host:?} is an address: write it as an entry of its own"
        ));
    }
    Ok(host.to_owned())
}

/// The resolver: the system's configuration, or only the name servers given (then the hosts
/// file is not read either: the answer is the servers').
pub(super) fn resolver(options: &SourceOptions) -> Result<Resolver, String> {
    let provider = TokioRuntimeProvider::default();
    let mut builder = if options.nameservers.is_empty() {
        TokioResolver::builder(provider).map_err(|e| {
            format!(
                "the system's DNS configuration cannot be read ({e}); give --nameserver IP:PORT"
            )
        })?
    } else {
        let servers = options
            .nameservers
            .iter()
            .map(|server| {
                let mut config = NameServerConfig::udp_and_tcp(server.ip());
                for connection in &mut config.connections {
                    connection.port = server.port();
                }
                config
            })
            .collect();
        let mut builder = TokioResolver::builder_with_config(
            ResolverConfig::from_name_servers(servers),
            provider,
        );
        builder.options_mut().use_hosts_file = ResolveHosts::Never;
        builder
    };
    let opts = builder.options_mut();
    opts.timeout = options.timeout;
    builder.build().map_err(|e| e.to_string())
}

/// The A records of `host`, in the order answered.
pub(super) async fn read(
    resolver: &Resolver,
    host: &str,
    options: &SourceOptions,
) -> Result<Vec<Item>, SourceError> {
    let lookup = match resolver.ipv4_lookup(host).await {
        Ok(lookup) => lookup,
        Err(e) if e.is_nx_domain() => {
            return Err(SourceError::NxDomain {
                host: host.to_owned(),
            });
        }
        // NOERROR with no A record: the source gave nothing (refused as empty by the caller).
        Err(e) if e.is_no_records_found() => return Ok(Vec::new()),
        Err(hickory_resolver::net::NetError::Timeout) => {
            return Err(SourceError::Timeout {
                from: format!("dns {host:?}"),
                after: options.timeout,
            });
        }
        Err(e) => {
            return Err(SourceError::Dns {
                host: host.to_owned(),
                reason: e.to_string(),
            });
        }
    };
    Ok(lookup
        .answers()
        .iter()
        .filter_map(|record| match &record.data {
            RData::A(a) => Some(Item {
                text: a.0.to_string(),
                position: Position::Record,
            }),
            _ => None,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::check_host;

    #[test]
    fn host_names() {
        assert_eq!(check_host("sbc1.example.com").unwrap(), "sbc1.example.com");
        assert!(check_host("sbc1.example.com.").is_ok());
        for bad in [
            "",
            ".",
            "a..b",
            "-a.example",
            "a b.example",
            "198.51.100.7",
            "::1",
            "x/24",
        ] {
            assert!(check_host(bad).is_err(), "{bad}");
        }
    }
}
