//! The checks a file and a builder share: CIDR text, names, duplicates, limits.

use std::net::Ipv4Addr;

use super::{
    Desired, DesiredAddress, DesiredError, DesiredList, MAX_ADDRESSES_PER_LIST, MAX_NAME_CHARS,
    Origin, Reference,
};
use crate::allowlist::target::TargetKind;

pub(super) struct RawList {
    pub(super) name: String,
    pub(super) origin: Option<Origin>,
    pub(super) addresses: Vec<RawAddress>,
    pub(super) targets: Vec<Reference>,
}

pub(super) struct RawAddress {
    pub(super) ip: String,
    pub(super) name: Option<String>,
    pub(super) origin: Option<Origin>,
}

/// Reads `"198.51.100.7"` or `"198.51.100.0/24"` into (address, prefix length), refusing
/// what Twilio would store differently from what was meant.
pub(crate) fn parse_cidr(text: &str) -> Result<(Ipv4Addr, u8), String> {
    let (ip_text, prefix_text) = match text.split_once('/') {
        Some((ip, prefix)) => (ip, Some(prefix)),
        None => (text, None),
    };
    let ip: Ipv4Addr = ip_text.parse().map_err(|_| {
        format!(
            "`{ip_text}` is not an IPv4 address in dotted decimal such as 198.51.100.7 (no IPv6, wildcards or leading zeros)"
        )
    })?;
    let Some(prefix_text) = prefix_text else {
        return Ok((ip, 32));
    };
    let prefix: u8 = match prefix_text {
        p if !p.is_empty()
            && p.len() <= 2
            && p.bytes().all(|b| b.is_ascii_digit())
            && !(p.len() > 1 && p.starts_with('0')) =>
        {
            p.parse().unwrap_or(u8::MAX)
        }
        _ => u8::MAX,
    };
    if prefix > 32 {
        return Err(format!(
            "`/{prefix_text}` is not a CIDR prefix length (1 to 32)"
        ));
    }
    if prefix == 0 {
        return Err(
            "`/0` is refused: Twilio stores a prefix length of 0 as /32 (one address). To allow \
             every IPv4 address, write two entries: \"0.0.0.0/1\" and \"128.0.0.0/1\""
                .into(),
        );
    }
    let mask = u32::MAX << (32 - u32::from(prefix));
    let bits = u32::from(ip);
    if bits & !mask != 0 {
        let network = Ipv4Addr::from(bits & mask);
        return Err(format!(
            "host bits are set: {ip}/{prefix} lies in the network {network}/{prefix}; write \"{network}/{prefix}\" for the range, or \"{ip}\" for the one address"
        ));
    }
    Ok((ip, prefix))
}

/// Checks a name against Twilio's limits.
pub(super) fn check_name(name: &str, what: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(format!("the {what} is empty; Twilio requires one"));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(format!(
            "the {what} is {chars} characters long; Twilio accepts at most {MAX_NAME_CHARS}"
        ));
    }
    Ok(())
}

fn at(origin: &Option<Origin>) -> String {
    match origin {
        Some(o) => format!("at line {}", o.line),
        None => "given earlier".into(),
    }
}

pub(super) fn validate(file: Option<String>, raw: Vec<RawList>) -> Result<Desired, DesiredError> {
    let mut lists: Vec<DesiredList> = Vec::with_capacity(raw.len());
    for list in raw {
        let name = list.name;
        let fail_list = |reason: String| {
            DesiredError::new(
                file.as_deref(),
                list.origin.as_ref(),
                Some(&name),
                None,
                reason,
            )
        };
        check_name(&name, "list name").map_err(fail_list)?;
        if let Some(earlier) = lists.iter().find(|l| l.name == name) {
            return Err(fail_list(format!(
                "the same list twice (also {})",
                at(&earlier.origin)
            )));
        }
        let mut addresses: Vec<DesiredAddress> = Vec::with_capacity(list.addresses.len());
        for raw in list.addresses {
            let fail = |reason: String| {
                DesiredError::new(
                    file.as_deref(),
                    raw.origin.as_ref(),
                    Some(&name),
                    Some(format!("{:?}", raw.ip)),
                    reason,
                )
            };
            let (ip, prefix) = parse_cidr(&raw.ip).map_err(fail)?;
            let address_name = raw.name.unwrap_or_else(|| raw.ip.clone());
            check_name(&address_name, "address's name").map_err(fail)?;
            if let Some(earlier) = addresses.iter().find(|a| a.key() == (ip, prefix)) {
                return Err(fail(format!(
                    "the same entry twice: {ip}/{prefix} is also {}",
                    at(&earlier.origin)
                )));
            }
            if addresses.len() == MAX_ADDRESSES_PER_LIST {
                return Err(fail(format!(
                    "more than {MAX_ADDRESSES_PER_LIST} addresses in one list (Twilio's limit); split them across lists"
                )));
            }
            addresses.push(DesiredAddress {
                ip,
                prefix,
                name: address_name,
                origin: raw.origin,
            });
        }
        for kind in TargetKind::ALL {
            let what = kind.what();
            let references: Vec<&Reference> =
                list.targets.iter().filter(|r| r.kind == kind).collect();
            for (i, reference) in references.iter().enumerate() {
                let fail = |reason: String| {
                    DesiredError::new(
                        file.as_deref(),
                        reference.origin.as_ref(),
                        Some(&name),
                        Some(format!("{:?}", reference.text)),
                        reason,
                    )
                };
                if reference.text.trim().is_empty() {
                    return Err(fail(format!("an empty {what} name")));
                }
                if let Some(earlier) = references[..i].iter().find(|r| r.text == reference.text) {
                    return Err(fail(format!(
                        "the same {what} twice (also {})",
                        at(&earlier.origin)
                    )));
                }
            }
        }
        lists.push(DesiredList {
            name,
            origin: list.origin,
            addresses,
            targets: list.targets,
        });
    }
    Ok(Desired {
        file,
        lists,
        notes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_text() {
        let ok = |t: &str| parse_cidr(t).unwrap();
        assert_eq!(ok("198.51.100.7"), (Ipv4Addr::new(198, 51, 100, 7), 32));
        assert_eq!(ok("198.51.100.0/24"), (Ipv4Addr::new(198, 51, 100, 0), 24));
        assert_eq!(ok("0.0.0.0/1"), (Ipv4Addr::UNSPECIFIED, 1));
        assert_eq!(ok("198.51.100.7/32"), (Ipv4Addr::new(198, 51, 100, 7), 32));
        for bad in [
            "198.51.100",
            "198.51.100.256",
            "198.051.100.7",
            "198.51.100.*",
            "::1",
            " 198.51.100.7",
            "198.51.100.0/33",
            "198.51.100.0/",
            "198.51.100.0/024",
            "198.51.100.0/+4",
            "198.51.100.0/a",
        ] {
            assert!(parse_cidr(bad).is_err(), "{bad}");
        }
        assert!(parse_cidr("0.0.0.0/0").unwrap_err().contains("128.0.0.0/1"));
        assert!(
            parse_cidr("198.51.100.7/24")
                .unwrap_err()
                .contains("\"198.51.100.0/24\"")
        );
    }
}
