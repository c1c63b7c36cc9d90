//! Names: Twilio's PascalCase wire names and path segments into Rust's snake_case and
//! PascalCase, plurals and singulars of resource names.

/// `IpAccessControlListSid` → `ip_access_control_list_sid`; `SIP` → `sip`;
/// `trunk_enum_transfer_setting` stays. The same conversion progenitor and typify apply to
/// operation ids, parameters and properties (heck's).
pub fn snake(name: &str) -> String {
    heck::ToSnakeCase::to_snake_case(name)
}

/// `ip_access_control_lists` → `IpAccessControlLists`; `SIP` → `Sip`.
pub fn pascal(name: &str) -> String {
    heck::ToUpperCamelCase::to_upper_camel_case(name)
}

/// The plural of a PascalCase or snake_case name, by its last word: `IpAddress` →
/// `IpAddresses`, `IpRecord` → `IpRecords`, `Policy` → `Policies`.
pub fn plural(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if ["s", "x", "sh", "ch"]
        .iter()
        .any(|end| lower.ends_with(end))
    {
        format!("{name}es")
    } else if lower.ends_with('y') && !lower.ends_with("ay") && !lower.ends_with("ey") {
        format!("{}ies", &name[..name.len() - 1])
    } else {
        format!("{name}s")
    }
}

/// The singular of a plural name: `ip_addresses` → `ip_address`, `trunks` → `trunk`.
pub fn singular(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with("ies") {
        format!("{}y", &name[..name.len() - 3])
    } else if ["sses", "xes", "shes", "ches"]
        .iter()
        .any(|end| lower.ends_with(end))
    {
        name[..name.len() - 2].to_owned()
    } else if lower.ends_with('s') && !lower.ends_with("ss") {
        name[..name.len() - 1].to_owned()
    } else {
        name.to_owned()
    }
}

/// An enum value as a Rust variant: `sip-only` → `SipOnly`, `IP-ACL` → `IpAcl`,
/// `true` → `True`; a value that starts with a digit gets a `V` in front.
pub fn variant(value: &str) -> String {
    let words: String = value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    match words.chars().next() {
        None => "Empty".into(),
        Some(c) if c.is_ascii_digit() => format!("V{words}"),
        Some(_) => words,
    }
}

/// `a`/`an` before a name, for generated prose.
pub fn article(name: &str) -> &'static str {
    if name.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Words of a PascalCase name for prose: `SipIpAddress` → `SIP IP address`.
pub fn words(name: &str) -> String {
    let snake = snake(name);
    snake
        .split('_')
        .map(|w| match w {
            "ip" | "sip" | "acl" | "url" | "uri" | "cidr" => w.to_ascii_uppercase(),
            _ => w.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}
