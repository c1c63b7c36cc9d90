//! Lists of more than 100 addresses (`split = true`): kept as several Twilio lists, the parts,
//! named `NAME`, `NAME (2)`, `NAME (3)`…, each holding at most 100 addresses.
//!
//! Which part holds which address is chosen to move as few addresses as possible: an address
//! stays in the part that holds it; new addresses fill the parts that have room, in order, and
//! then new parts. Room is counted before this apply's removals, since apply adds before it
//! removes (a part never holds more than 100 along the way; the room removals free is used
//! by the next change). A part (other than the first) left with nothing is detached and
//! deleted.

use std::{collections::BTreeMap, net::Ipv4Addr};

use super::desired::{DesiredAddress, MAX_ADDRESSES_PER_LIST};

/// The name of part `n` (from 1) of the list `name`.
pub(crate) fn part_name(name: &str, n: usize) -> String {
    if n == 1 {
        name.to_owned()
    } else {
        format!("{name} ({n})")
    }
}

/// Whether `live` names part `n` of the list `name`: `NAME` is part 1, `NAME (n)` part n (n >= 2,
/// written without leading zeros).
pub(crate) fn part_number(name: &str, live: &str) -> Option<usize> {
    if live == name {
        return Some(1);
    }
    let digits = live
        .strip_prefix(name)?
        .strip_prefix(" (")?
        .strip_suffix(')')?;
    if digits.is_empty() || digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| *n >= 2)
}

/// The addresses each part should hold, by part number: `live` is, for each part that exists,
/// the identities it holds. Every part that exists is in the result (empty when it should be
/// deleted); part 1 always is.
pub(crate) fn assign(
    wanted: &[DesiredAddress],
    live: &BTreeMap<usize, Vec<(Ipv4Addr, u8)>>,
) -> BTreeMap<usize, Vec<DesiredAddress>> {
    let mut parts: BTreeMap<usize, Vec<DesiredAddress>> =
        live.keys().map(|n| (*n, Vec::new())).collect();
    parts.entry(1).or_default();
    let mut pending = Vec::new();
    for want in wanted {
        // Stays where it is (the first part holding it, when several do).
        match live.iter().find(|(_, held)| held.contains(&want.key())) {
            Some((n, _)) => parts.entry(*n).or_default().push(want.clone()),
            None => pending.push(want),
        }
    }
    // What each part holds at the end of the adds: everything it holds now, and its adds.
    let mut occupied: BTreeMap<usize, usize> = parts
        .keys()
        .map(|n| (*n, live.get(n).map_or(0, Vec::len)))
        .collect();
    for want in pending {
        let room = occupied
            .iter()
            .find(|(_, held)| **held < MAX_ADDRESSES_PER_LIST)
            .map(|(n, _)| *n);
        let n = room.unwrap_or_else(|| occupied.keys().next_back().map_or(1, |last| last + 1));
        *occupied.entry(n).or_default() += 1;
        parts.entry(n).or_default().push(want.clone());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_names_round_trip() {
        assert_eq!(part_name("office", 1), "office");
        assert_eq!(part_name("office", 3), "office (3)");
        assert_eq!(part_number("office", "office"), Some(1));
        assert_eq!(part_number("office", "office (12)"), Some(12));
        for other in [
            "office (1)",
            "office (02)",
            "office (x)",
            "office ()",
            "office(2)",
            "offices (2)",
        ] {
            assert_eq!(part_number("office", other), None, "{other}");
        }
    }
}
