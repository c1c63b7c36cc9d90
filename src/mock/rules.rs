//! The rules between resources that no single spec file states, each a small named piece the
//! generic handlers ([`super::engine`]) call at a fixed point: before a create, before a
//! delete, after a delete. The handlers hold the store's lock across the check and the write,
//! so a rule holds under concurrent requests.

use super::{
    catalog,
    errors::TwilioError,
    store::Account,
    table::{RESOURCES, Resource, SIP_IP_ADDRESS},
};
use crate::MAX_ADDRESSES_PER_LIST;

/// Checks a create of a `resource` record under `parents` before anything is written.
pub(crate) fn before_create(
    owner: &Account,
    resource: &Resource,
    parents: &[String],
) -> Result<(), TwilioError> {
    addresses_per_list(owner, resource, parents)
}

/// Checks a delete of the `resource` record `sid` before anything is removed.
pub(crate) fn before_delete(
    owner: &Account,
    resource: &Resource,
    sid: &str,
) -> Result<(), TwilioError> {
    no_delete_while_linked(owner, resource, sid)
}

/// What a delete of the `resource` record `sid` takes with it.
pub(crate) fn after_delete(owner: &mut Account, resource: &Resource, sid: &str) {
    children_go_with_their_parent(owner, resource, sid);
}

/// (a) A SIP IP access control list holds at most [`MAX_ADDRESSES_PER_LIST`] IP addresses.
fn addresses_per_list(
    owner: &Account,
    resource: &Resource,
    parents: &[String],
) -> Result<(), TwilioError> {
    // The resource the limit applies to, under its list.
    if !std::ptr::eq(resource, SIP_IP_ADDRESS) {
        return Ok(());
    }
    let (Some(parent), Some(list)) = (resource.parents.last(), parents.last()) else {
        return Ok(());
    };
    if owner.scoped(resource, parents).count() >= MAX_ADDRESSES_PER_LIST {
        return Err(TwilioError::rule(format!(
            "{} {list} already holds the maximum of {MAX_ADDRESSES_PER_LIST} IpAddresses",
            catalog::noun(parent.param)
        )));
    }
    Ok(())
}

/// (b) A record that an association still links (an IP access control list associated with a
/// trunk or mapped to a SIP domain) cannot be deleted: 400/20001 naming the trunk or domain.
/// Twilio does not document what it answers; refusing is the conservative reading, since a
/// dangling association would leave a trunk or a domain checking calls against nothing.
/// An IP record that a Source IP Mapping still names is an ordinary reference, not an
/// association, and may be deleted (as before).
fn no_delete_while_linked(
    owner: &Account,
    resource: &Resource,
    sid: &str,
) -> Result<(), TwilioError> {
    for association in RESOURCES.iter().filter(|r| {
        r.association.is_some() && catalog::linked(r).is_some_and(|l| std::ptr::eq(l, resource))
    }) {
        let Some(link) = owner.records(association).iter().find(|r| r.sid == sid) else {
            continue;
        };
        let noun = association
            .association
            .map(catalog::noun)
            .unwrap_or_default();
        let holder = match (association.parents.last(), link.parents.last()) {
            (Some(parent), Some(parent_sid)) => format!(
                "{} {parent_sid}",
                catalog::parent_noun(parent.param, parent.sid_prefix)
            ),
            _ => catalog::noun(association.class),
        };
        return Err(TwilioError::rule(format!(
            "{noun} {sid} cannot be deleted while it is associated with {holder}; remove the association first"
        )));
    }
    Ok(())
}

/// (c) Deleting a record deletes the records under it (a list's IP addresses), at any depth: the
/// records of every resource that has it as a parent. Removing an association (a list from a
/// trunk) is not deleting the record it links, though they share a SID: the list keeps its
/// addresses.
fn children_go_with_their_parent(owner: &mut Account, resource: &Resource, sid: &str) {
    if resource.association.is_some() {
        return;
    }
    for child in RESOURCES {
        for (i, parent) in child.parents.iter().enumerate() {
            if catalog::named_by_prefix(parent.sid_prefix)
                .is_some_and(|r| std::ptr::eq(r, resource))
            {
                owner
                    .records_mut(child)
                    .retain(|r| r.parents.get(i).is_none_or(|p| p != sid));
            }
        }
    }
}
