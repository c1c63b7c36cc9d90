//! Questions the engine asks of the resource table ([`RESOURCES`]): which resource a module
//! name or a SID prefix names, what an association links, how a resource is called in messages,
//! and how a path template is filled in.

use super::table::{FieldKind, RESOURCES, Resource};

/// The resource of the spec file `module` (such as `sip_domain`), for what names resources by
/// text: a state file's keys, tests that go through every resource. Code names a resource
/// through its static in [`super::table`].
pub(crate) fn by_module(module: &str) -> Option<&'static Resource> {
    RESOURCES.iter().find(|r| r.module == module)
}

/// The resource a SID prefix names: the one whose own records carry SIDs with `prefix`.
///
/// Several resources may share a prefix: an association (a trunk's IP access control list, a
/// domain's IP access control list mapping) has the SID of the record it links, so `AL` is the
/// prefix of three resources. The one that names `AL…` SIDs is the one that is not an
/// association; if several are not, the one with the fewest parents.
pub(crate) fn named_by_prefix(prefix: &str) -> Option<&'static Resource> {
    RESOURCES
        .iter()
        .filter(|r| r.sid_prefix == prefix && r.association.is_none())
        .min_by_key(|r| r.parents.len())
}

/// For an association, the resource whose records it links (through the create field that
/// [`Resource::association`] names).
pub(crate) fn linked(resource: &Resource) -> Option<&'static Resource> {
    let wire = resource.association?;
    let field = resource.create?.iter().find(|f| f.wire == wire)?;
    match &field.kind {
        FieldKind::Sid { prefix } => named_by_prefix(prefix),
        _ => None,
    }
}

/// How messages name the resource behind a SID parameter or a class: `IpRecordSid` →
/// `IpRecord`, `TrunkSid` → `Trunk`. Twilio writes its SIP product's nouns with `SIP` and a
/// space (`SipDomainSid`, `SipDomain` → `SIP Domain`).
pub(crate) fn noun(name: &str) -> String {
    let name = name.strip_suffix("Sid").unwrap_or(name);
    match name.strip_prefix("Sip") {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => format!("SIP {rest}"),
        _ => name.to_owned(),
    }
}

/// How messages name a parent: after the resource its prefix names (`SD` → `SIP Domain`), or
/// after its path parameter when no emulated resource has that prefix.
pub(crate) fn parent_noun(param: &str, sid_prefix: &str) -> String {
    match named_by_prefix(sid_prefix) {
        Some(resource) => noun(resource.class),
        None => noun(param),
    }
}

/// `template` with each `{Name}` replaced by the value `value(Name)` gives (empty if none).
pub(crate) fn fill<'a>(template: &str, value: impl Fn(&str) -> Option<&'a str>) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        out.push_str(value(name).unwrap_or_default());
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_name_the_resource_that_is_not_an_association() {
        use crate::mock::table::{
            IP_RECORD, SIP_DOMAIN, SIP_IP_ACCESS_CONTROL_LIST, TRUNK, TRUNK_IP_ACCESS_CONTROL_LIST,
        };
        let module = |r: Option<&Resource>| r.map(|r| r.module);
        assert_eq!(
            module(named_by_prefix("AL")),
            Some(SIP_IP_ACCESS_CONTROL_LIST.module)
        );
        assert_eq!(module(named_by_prefix("SD")), Some(SIP_DOMAIN.module));
        assert_eq!(module(named_by_prefix("TK")), Some(TRUNK.module));
        assert_eq!(module(named_by_prefix("ZZ")), None);
        assert_eq!(
            module(linked(TRUNK_IP_ACCESS_CONTROL_LIST)),
            Some(SIP_IP_ACCESS_CONTROL_LIST.module)
        );
        assert!(linked(IP_RECORD).is_none());
        // Text names a resource only where the name is input (a state file's keys).
        assert_eq!(module(by_module("sip_domain")), Some(SIP_DOMAIN.module));
    }

    #[test]
    fn nouns_and_templates() {
        assert_eq!(noun("IpRecordSid"), "IpRecord");
        assert_eq!(noun("SipDomainSid"), "SIP Domain");
        assert_eq!(noun("IpAccessControlListSid"), "IpAccessControlList");
        assert_eq!(noun("Sipper"), "Sipper");
        assert_eq!(parent_noun("DomainSid", "SD"), "SIP Domain");
        assert_eq!(parent_noun("TrunkSid", "TK"), "Trunk");
        assert_eq!(parent_noun("ThingSid", "ZZ"), "Thing");
        let filled = fill("/a/{X}/b/{Sid}.json", |name| match name {
            "X" => Some("1"),
            "Sid" => Some("IP2"),
            _ => None,
        });
        assert_eq!(filled, "/a/1/b/IP2.json");
    }
}
