//! The checks a file and a builder share: CIDR text, names, sets and their expansion,
//! duplicates, limits.

use std::{collections::BTreeMap, net::Ipv4Addr};

use super::{
    Desired, DesiredAddress, DesiredError, DesiredIpRecord, DesiredList, MAX_ADDRESSES_PER_LIST,
    MAX_NAME_CHARS, Origin, Reference,
    accounts::{Accounts, RawAccountsUse, check_use, reached},
};
use crate::allowlist::{
    sources::{AddressOrigin, Source, SourceRef},
    target::TargetKind,
};

pub(super) struct RawList {
    /// Its `FriendlyName`: the table's key, or its `name` when it has one.
    pub(super) name: String,
    /// The table's key when `name` gives another `FriendlyName`.
    pub(super) table: Option<String>,
    pub(super) origin: Option<Origin>,
    /// `accounts = [...]`; `None`: every account of the file.
    pub(super) accounts: Option<RawAccountsUse>,
    pub(super) addresses: Vec<RawEntry>,
    pub(super) targets: Vec<Reference>,
    pub(super) split: bool,
}

/// A named set of addresses (`[sets.NAME]`), which lists and other sets use with
/// `{ set = NAME }`.
pub(super) struct RawSet {
    pub(super) name: String,
    pub(super) origin: Option<Origin>,
    /// `accounts = [...]`: the only accounts whose lists may use it; `None`: every account.
    pub(super) accounts: Option<RawAccountsUse>,
    pub(super) addresses: Vec<RawEntry>,
}

/// One entry of an `addresses` array: an address, the use of a set, or a source (which is
/// read, and replaced by the addresses it gave, before validation).
pub(super) enum RawEntry {
    Address(RawAddress),
    Set {
        name: String,
        origin: Option<Origin>,
    },
    Source {
        source: Source,
        origin: Option<Origin>,
    },
}

/// The `[byoc]` table: its records, the accounts it is given to, and where it is written.
pub(super) struct RawByoc {
    pub(super) records: Vec<RawIpRecord>,
    pub(super) accounts: Option<RawAccountsUse>,
    pub(super) origin: Option<Origin>,
}

/// One entry of `[byoc] ip_records`.
pub(super) struct RawIpRecord {
    pub(super) ip: String,
    pub(super) name: Option<String>,
    pub(super) sip_domain: Option<Reference>,
    pub(super) origin: Option<Origin>,
}

pub(super) struct RawAddress {
    pub(super) ip: String,
    pub(super) name: Option<String>,
    pub(super) origin: Option<Origin>,
    /// The source that gave it, when it is not written in the file.
    pub(super) source: Option<SourceRef>,
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
    check_cidr(ip, prefix).map(|()| (ip, prefix))
}

/// Refuses an (address, prefix length) that Twilio would store differently from what was
/// meant: a prefix out of 1 to 32, `/0`, host bits set.
pub(crate) fn check_cidr(ip: Ipv4Addr, prefix: u8) -> Result<(), String> {
    if prefix > 32 {
        return Err(format!("`/{prefix}` is not a CIDR prefix length (1 to 32)"));
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
    Ok(())
}

/// Checks a name against Twilio's limits.
pub(crate) fn check_name(name: &str, what: &str) -> Result<(), String> {
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

/// Where an error is: in a list or in a set.
#[derive(Clone, Copy)]
enum Scope<'a> {
    List(&'a str),
    Set(&'a str),
}

/// An entry checked: an address (with the set it is written in), or the use of a set.
enum Entry {
    Address(DesiredAddress),
    Set(String, Option<Origin>),
}

struct Checker<'a> {
    file: Option<&'a str>,
    sets: BTreeMap<String, (Option<Origin>, Vec<Entry>)>,
    /// The names of the file's accounts (empty: no `[accounts]`).
    declared: Vec<String>,
    /// Each set's `accounts` (`None`: every account).
    set_accounts: BTreeMap<String, Option<Vec<String>>>,
}

impl Checker<'_> {
    fn fail(
        &self,
        scope: Scope<'_>,
        origin: Option<&Origin>,
        entry: Option<String>,
        reason: String,
    ) -> DesiredError {
        match scope {
            Scope::List(list) => DesiredError::new(self.file, origin, Some(list), entry, reason),
            Scope::Set(set) => {
                DesiredError::new(self.file, origin, None, entry, reason).in_set(set)
            }
        }
    }

    /// Checks the entries of a list or set, one by one (not yet expanded); the bad ones go
    /// to `errors`.
    fn entries(
        &self,
        scope: Scope<'_>,
        raw: Vec<RawEntry>,
        errors: &mut Vec<DesiredError>,
    ) -> Vec<Entry> {
        let set = match scope {
            Scope::Set(set) => Some(set.to_owned()),
            Scope::List(_) => None,
        };
        let mut out = Vec::with_capacity(raw.len());
        for raw in raw {
            match raw {
                RawEntry::Address(raw) => {
                    let fail = |reason: String| {
                        self.fail(
                            scope,
                            raw.origin.as_ref(),
                            Some(format!("{:?}", raw.ip)),
                            reason,
                        )
                    };
                    let address_name = raw.name.clone().unwrap_or_else(|| raw.ip.clone());
                    let checked = parse_cidr(&raw.ip).and_then(|cidr| {
                        check_name(&address_name, "address's name").map(|()| cidr)
                    });
                    let (ip, prefix) = match checked {
                        Ok(cidr) => cidr,
                        Err(reason) => {
                            errors.push(fail(reason));
                            continue;
                        }
                    };
                    out.push(Entry::Address(DesiredAddress {
                        ip,
                        prefix,
                        name: address_name,
                        from: AddressOrigin {
                            set: set.clone(),
                            source: raw.source,
                        },
                        origin: raw.origin,
                    }));
                }
                RawEntry::Set { name, origin } => out.push(Entry::Set(name, origin)),
                RawEntry::Source { source, origin } => {
                    errors.push(self.fail(
                        scope,
                        origin.as_ref(),
                        None,
                        format!(
                            "{} is read when the file is loaded: use Desired::from_toml_with_sources (the command line does)",
                            source.reference()
                        ),
                    ));
                }
            }
        }
        out
    }

    /// Refuses the use of a set that does not exist, and a set that uses itself through
    /// others; `path` is the sets being expanded, outermost first.
    fn check_uses(
        &self,
        scope: Scope<'_>,
        entries: &[Entry],
        path: &mut Vec<String>,
    ) -> Result<(), DesiredError> {
        for entry in entries {
            let Entry::Set(name, origin) = entry else {
                continue;
            };
            let fail = |reason: String| {
                self.fail(
                    scope,
                    origin.as_ref(),
                    Some(format!("{{ set = {name:?} }}")),
                    reason,
                )
            };
            let Some((_, inner)) = self.sets.get(name) else {
                let known: Vec<&str> = self.sets.keys().map(String::as_str).collect();
                return Err(fail(if known.is_empty() {
                    format!("there is no set named {name:?} (the file has no `[sets.NAME]` table)")
                } else {
                    format!(
                        "there is no set named {name:?} (the file's sets: {})",
                        known.join(", ")
                    )
                }));
            };
            if path.contains(name) {
                let mut cycle: Vec<String> = path
                    .iter()
                    .skip_while(|s| *s != name)
                    .map(|s| format!("{s:?}"))
                    .collect();
                cycle.push(format!("{name:?}"));
                return Err(fail(format!(
                    "the sets use each other in a cycle: {}",
                    cycle.join(" -> ")
                )));
            }
            path.push(name.clone());
            self.check_uses(Scope::Set(name), inner, path)?;
            path.pop();
        }
        Ok(())
    }

    /// Refuses the use of a set by a list or set given to an account the set is not given to.
    fn check_set_accounts(
        &self,
        scope: Scope<'_>,
        user: &Option<Vec<String>>,
        entries: &[Entry],
        errors: &mut Vec<DesiredError>,
    ) {
        for entry in entries {
            let Entry::Set(name, origin) = entry else {
                continue;
            };
            let Some(Some(given)) = self.set_accounts.get(name) else {
                continue;
            };
            let missing: Vec<&str> = reached(&self.declared, user)
                .into_iter()
                .filter(|a| !given.iter().any(|g| g == a))
                .collect();
            if !missing.is_empty() {
                errors.push(self.fail(
                    scope,
                    origin.as_ref(),
                    Some(format!("{{ set = {name:?} }}")),
                    format!(
                        "set {name:?} is given to the accounts {} only, not to {} (which this is given to): add them to the set's `accounts`, or give this one `accounts` without them",
                        given.join(", "),
                        missing.join(", ")
                    ),
                ));
            }
        }
    }

    /// Adds to `reached` the sets `name` uses, directly or through others, and itself.
    fn reach(&self, name: &str, reached: &mut Vec<String>) {
        if reached.iter().any(|r| r == name) {
            return;
        }
        reached.push(name.to_owned());
        for entry in self.sets.get(name).map_or(&[][..], |(_, e)| e) {
            if let Entry::Set(used, _) = entry {
                self.reach(used, reached);
            }
        }
    }

    /// The addresses of `entries` with every set expanded, in the order written; `used` gets
    /// every set reached.
    fn expand(
        &self,
        entries: &[Entry],
        out: &mut Vec<(DesiredAddress, Option<Origin>)>,
        via: Option<&Option<Origin>>,
        used: &mut Vec<String>,
    ) {
        for entry in entries {
            match entry {
                Entry::Address(a) => out.push((a.clone(), via.cloned().flatten())),
                Entry::Set(name, origin) => {
                    if !used.contains(name) {
                        used.push(name.clone());
                    }
                    if let Some((_, inner)) = self.sets.get(name) {
                        self.expand(inner, out, Some(via.unwrap_or(origin)), used);
                    }
                }
            }
        }
    }
}

/// Where an address was written, for an error about another: its line, and its set.
fn written(address: &DesiredAddress, via: &Option<Origin>) -> String {
    match (&address.from.set, via) {
        (Some(set), Some(via)) => format!(
            "{} in set {set:?} (used at line {})",
            at(&address.origin),
            via.line
        ),
        (Some(set), None) => format!("{} in set {set:?}", at(&address.origin)),
        (None, _) => at(&address.origin),
    }
}

/// Checks the `[byoc]` IP Records: each address as a list's, each name, no identity twice, no
/// empty domain. A record with a problem is reported to `errors` and left out.
fn ip_records(
    file: Option<&str>,
    raw: Vec<RawIpRecord>,
    errors: &mut Vec<DesiredError>,
) -> Vec<DesiredIpRecord> {
    let mut records: Vec<DesiredIpRecord> = Vec::with_capacity(raw.len());
    for raw in raw {
        let fail = |reason: String| {
            DesiredError::new(
                file,
                raw.origin.as_ref(),
                None,
                Some(format!("{:?}", raw.ip)),
                reason,
            )
            .in_byoc()
        };
        let (ip, prefix) = match parse_cidr(&raw.ip) {
            Ok(cidr) => cidr,
            Err(reason) => {
                errors.push(fail(reason));
                continue;
            }
        };
        let name = raw.name.clone().unwrap_or_else(|| raw.ip.clone());
        let problem = if let Err(reason) = check_name(&name, "IP Record's name") {
            Some(reason)
        } else if let Some(earlier) = records.iter().find(|r| r.key() == (ip, prefix)) {
            Some(format!(
                "the same IP Record twice: {ip}/{prefix} is also {}",
                at(&earlier.origin)
            ))
        } else if raw
            .sip_domain
            .as_ref()
            .is_some_and(|domain| domain.text.trim().is_empty())
        {
            Some(
                "an empty SIP domain name (leave `sip_domain` out for no Source IP Mapping)".into(),
            )
        } else {
            None
        };
        if let Some(reason) = problem {
            errors.push(fail(reason));
            continue;
        }
        records.push(DesiredIpRecord {
            ip,
            prefix,
            name,
            sip_domain: raw.sip_domain,
            origin: raw.origin,
        });
    }
    records
}

/// Checks everything and reports every problem found (see [`DesiredError::errors`]).
pub(super) fn validate(
    file: Option<String>,
    accounts: Accounts,
    sets: Vec<RawSet>,
    raw: Vec<RawList>,
    byoc: Option<RawByoc>,
) -> Result<Desired, DesiredError> {
    // Every problem is collected, so that one run reports them all; an entry, set or list
    // with a problem is left out of what is checked after it.
    let mut errors = Vec::new();
    let Accounts {
        checked: accounts,
        declared,
    } = accounts;
    let mut checker = Checker {
        file: file.as_deref(),
        sets: BTreeMap::new(),
        declared,
        set_accounts: BTreeMap::new(),
    };
    let mut set_order = Vec::with_capacity(sets.len());
    for set in sets {
        let fail =
            |reason: String| checker.fail(Scope::Set(&set.name), set.origin.as_ref(), None, reason);
        if let Err(reason) = check_name(&set.name, "set name") {
            errors.push(fail(reason));
            continue;
        }
        if let Some((earlier, _)) = checker.sets.get(&set.name) {
            errors.push(fail(format!("the same set twice (also {})", at(earlier))));
            continue;
        }
        let entries = checker.entries(Scope::Set(&set.name), set.addresses, &mut errors);
        let given = check_use(
            &checker.declared,
            set.accounts,
            |origin, entry, reason| checker.fail(Scope::Set(&set.name), origin, entry, reason),
            &mut errors,
        );
        checker.set_accounts.insert(set.name.clone(), given);
        set_order.push(set.name.clone());
        checker.sets.insert(set.name, (set.origin, entries));
    }
    // A problem found through a set is reported once, not again from each set it reaches
    // (a cycle through two sets is one problem).
    let mut reported = Vec::new();
    for name in &set_order {
        if reported.contains(name) {
            continue;
        }
        let (_, entries) = &checker.sets[name];
        if let Err(e) = checker.check_uses(Scope::Set(name), entries, &mut vec![name.clone()]) {
            errors.push(e);
            checker.reach(name, &mut reported);
        }
        checker.check_set_accounts(
            Scope::Set(name),
            &checker.set_accounts[name],
            entries,
            &mut errors,
        );
    }
    // Subaccounts reached with their parent's credentials: Trunking and Voice act on the
    // parent, so their trunks and `[byoc]` cannot be managed.
    let through_parent = |given: &Option<Vec<String>>| -> Vec<String> {
        reached(&checker.declared, given)
            .into_iter()
            .filter_map(|name| accounts.iter().find(|a| a.name() == name))
            .filter_map(|a| a.parent().map(|p| format!("{:?} (parent {p:?})", a.name())))
            .collect()
    };
    let own_credentials = format!(
        "{}, or leave it out of `accounts`",
        crate::allowlist::accounts::THROUGH_PARENT
    );
    let mut used = Vec::new();
    let mut lists: Vec<DesiredList> = Vec::with_capacity(raw.len());
    for list in raw {
        let name = list.name;
        let given = check_use(
            &checker.declared,
            list.accounts,
            |origin, entry, reason| {
                DesiredError::new(file.as_deref(), origin, Some(&name), entry, reason)
            },
            &mut errors,
        );
        let fail_list = |reason: String| {
            DesiredError::new(
                file.as_deref(),
                list.origin.as_ref(),
                Some(&name),
                None,
                reason,
            )
        };
        if let Err(reason) = check_name(&name, "list name") {
            errors.push(fail_list(reason));
            continue;
        }
        let declared = &checker.declared;
        // The accounts given both this list and an earlier one of the same name.
        let shared = |earlier: &DesiredList| -> Vec<String> {
            let here = reached(declared, &given);
            reached(declared, &earlier.accounts)
                .into_iter()
                .filter(|a| here.contains(a))
                .map(str::to_owned)
                .collect()
        };
        if let Some(earlier) = lists
            .iter()
            .find(|l| l.name == name && (declared.is_empty() || !shared(l).is_empty()))
        {
            errors.push(fail_list(if declared.is_empty() {
                format!("the same list twice (also {})", at(&earlier.origin))
            } else {
                let shared = shared(earlier);
                let accounts = if shared.len() == 1 { "account" } else { "accounts" };
                format!(
                    "the same list twice in the {accounts} {} (also {}); give each list its own `accounts`",
                    shared.join(", "),
                    at(&earlier.origin)
                )
            }));
            continue;
        }
        let parents = through_parent(&given);
        if let (Some(trunk), false) = (
            list.targets.iter().find(|r| r.kind == TargetKind::Trunk),
            parents.is_empty(),
        ) {
            errors.push(DesiredError::new(
                file.as_deref(),
                trunk.origin.as_ref(),
                Some(&name),
                Some(format!("{:?}", trunk.text)),
                format!(
                    "the list names trunks and is given to the subaccount {} reached with its parent's credentials; {own_credentials}",
                    parents.join(", ")
                ),
            ));
        }
        let mut entries = checker.entries(Scope::List(&name), list.addresses, &mut errors);
        checker.check_set_accounts(Scope::List(&name), &given, &entries, &mut errors);
        if let Err(e) = checker.check_uses(Scope::List(&name), &entries, &mut Vec::new()) {
            errors.push(e);
            // A set that is missing or in a cycle cannot be expanded: check the list's own
            // addresses only.
            entries.retain(|e| matches!(e, Entry::Address(_)));
        }
        let mut expanded = Vec::new();
        checker.expand(&entries, &mut expanded, None, &mut used);
        let mut addresses: Vec<(DesiredAddress, Option<Origin>)> =
            Vec::with_capacity(expanded.len());
        for (address, via) in expanded {
            let fail = |reason: String| {
                let scope = match &address.from.set {
                    Some(set) => Scope::Set(set),
                    None => Scope::List(&name),
                };
                checker.fail(
                    scope,
                    address.origin.as_ref(),
                    Some(format!("{:?}", address.name)),
                    reason,
                )
            };
            if let Some((earlier, earlier_via)) =
                addresses.iter().find(|(a, _)| a.key() == address.key())
            {
                let here = match (&address.from.set, &via) {
                    (Some(_), Some(via)) => format!(
                        " (through the set used at line {} of list {name:?})",
                        via.line
                    ),
                    (Some(_), None) => format!(" (through list {name:?})"),
                    (None, _) => String::new(),
                };
                errors.push(fail(format!(
                    "the same entry twice: {} is also {}{here}",
                    address.cidr(),
                    written(earlier, earlier_via)
                )));
                continue;
            }
            if addresses.len() == MAX_ADDRESSES_PER_LIST && !list.split {
                errors.push(fail(format!(
                    "more than {MAX_ADDRESSES_PER_LIST} addresses in one list (Twilio's limit); say `split = true` to keep it as several lists, or split them across lists"
                )));
                // The one error for the list, not one per address past the limit.
                break;
            }
            addresses.push((address, via));
        }
        let addresses = addresses.into_iter().map(|(a, _)| a).collect();
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
                    errors.push(fail(format!("an empty {what} name")));
                } else if let Some(earlier) =
                    references[..i].iter().find(|r| r.text == reference.text)
                {
                    errors.push(fail(format!(
                        "the same {what} twice (also {})",
                        at(&earlier.origin)
                    )));
                }
            }
        }
        lists.push(DesiredList {
            name,
            table: list.table,
            accounts: given,
            origin: list.origin,
            addresses,
            targets: list.targets,
            split: list.split,
        });
    }
    let mut warnings: Vec<String> = set_order
        .iter()
        .filter(|name| !used.contains(name))
        .map(|name| {
            let line = checker.sets[name]
                .0
                .as_ref()
                .map(|o| format!(" (line {})", o.line))
                .unwrap_or_default();
            format!("set {name:?}{line} is used by no list")
        })
        .collect();
    let mut byoc_accounts = None;
    let byoc = byoc.map(|byoc| {
        let fail = |origin: Option<&Origin>, entry, reason: String| {
            DesiredError::new(
                file.as_deref(),
                origin,
                None,
                entry,
                format!("in [byoc]: {reason}"),
            )
        };
        byoc_accounts = check_use(&checker.declared, byoc.accounts, fail, &mut errors);
        let parents = through_parent(&byoc_accounts);
        if !parents.is_empty() {
            errors.push(DesiredError::new(
                file.as_deref(),
                byoc.origin.as_ref(),
                None,
                Some("[byoc]".into()),
                format!(
                    "the table is given to the subaccount {} reached with its parent's credentials; {own_credentials}",
                    parents.join(", ")
                ),
            ));
        }
        ip_records(file.as_deref(), byoc.records, &mut errors)
    });
    for account in &accounts {
        let name = account.name();
        let given = |accounts: &Option<Vec<String>>| super::given_to(accounts, name);
        let given_any =
            lists.iter().any(|l| given(&l.accounts)) || (byoc.is_some() && given(&byoc_accounts));
        if !given_any {
            warnings.push(format!(
                "account {name:?} is given no list and no [byoc]: a plan of it changes nothing"
            ));
        }
    }
    if lists.is_empty() && byoc.is_none() {
        warnings.push(
            "names no list (no `[lists.NAME]` table) and no `[byoc]`: a plan of it changes nothing"
                .into(),
        );
    }
    if let Some(first) = errors.pop() {
        return Err(first.with(errors));
    }
    Ok(Desired {
        file,
        lists,
        byoc,
        byoc_accounts,
        notes: Vec::new(),
        warnings,
        shrink_guards: Vec::new(),
        prune_prefix: None,
        narrowed: false,
        accounts,
    })
}

/// A desired state checked, with the problems found before (`earlier`, such as the
/// accounts' or a file's shape): the state, or every problem.
pub(super) fn with_earlier(
    checked: Result<Desired, DesiredError>,
    mut earlier: Vec<DesiredError>,
) -> Result<Desired, DesiredError> {
    match (checked, earlier.pop()) {
        (Ok(desired), None) => Ok(desired),
        (Ok(_), Some(first)) => Err(first.with(earlier)),
        (Err(e), last) => Err(e.with(earlier.into_iter().chain(last).collect())),
    }
}

/// Checks `[settings] prune_prefix`: a prefix that every list name would start with (empty)
/// would give the file every list of the account.
pub(crate) fn check_prune_prefix(prefix: &str) -> Result<(), String> {
    if prefix.is_empty() {
        return Err(
            "`prune_prefix` is empty, which every list's name starts with: with `--prune` it would delete every list the file does not name; write the prefix the file's lists share (`prune_prefix = \"managed: \"`)"
                .into(),
        );
    }
    check_name(prefix, "prune_prefix")
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
