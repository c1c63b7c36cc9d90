#!/usr/bin/env python3
"""Twilio's official Python library (`pip install twilio`), unchanged, against `twilio-mock`.

Exercises the 13 operations added with the SIP IP access control lists, SIP domains, domain
mappings and trunks, and checks what the library makes of every answer:

- Api 2010-04-01 SIP IpAccessControlLists: create, fetch, update, list, delete
  (client.api.v2010.account.sip.ip_access_control_lists)
- Api 2010-04-01 SIP Domains: list, fetch (client.api.v2010.account.sip.domains)
- Api 2010-04-01 SIP Domain Auth Calls IpAccessControlListMappings: create, fetch, list, delete
  (client.api.v2010.account.sip.domains(sid).auth.calls.ip_access_control_list_mappings)
- Trunking v1 Trunks: list, fetch (client.trunking.v1.trunks)

Usage: new_operations.py BASE_URL ACCOUNT_SID AUTH_TOKEN

The server must have been started with `--seed` (a trunk "seed trunk" on seed.pstn.twilio.com,
a SIP domain seed.sip.twilio.com named "seed domain", and a list named "seed"). Exits 0 and
prints "OK" when every check passed; an assertion error otherwise. Talks to BASE_URL only.
"""

import datetime
import sys

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

OPERATIONS = {
    "CreateSipIpAccessControlList",
    "FetchSipIpAccessControlList",
    "UpdateSipIpAccessControlList",
    "ListSipIpAccessControlList",
    "DeleteSipIpAccessControlList",
    "ListSipDomain",
    "FetchSipDomain",
    "CreateAuthCallsIpAccessControlListMapping",
    "FetchAuthCallsIpAccessControlListMapping",
    "ListAuthCallsIpAccessControlListMapping",
    "DeleteAuthCallsIpAccessControlListMapping",
    "ListTrunk",
    "FetchTrunk",
}


def expect_error(action, status, code, what):
    """Runs `action`, which must raise Twilio's exception with this status and code."""
    try:
        action()
    except TwilioRestException as error:
        assert (error.status, error.code) == (status, code), (
            f"{what}: expected {status}/{code}, got {error.status}/{error.code}: {error.msg}"
        )
        return error
    raise AssertionError(f"{what}: expected {status}/{code}, but it succeeded")


def is_utc_datetime(value):
    return isinstance(value, datetime.datetime) and value.utcoffset() == datetime.timedelta(0)


def main(base_url, account_sid, auth_token):
    client = Client(account_sid, auth_token)
    # One emulator serves all three products.
    client.api.base_url = base_url
    client.trunking.base_url = base_url
    client.voice.base_url = base_url
    done = set()

    # ---- Trunking v1 Trunks (read-only)
    trunks = client.trunking.v1.trunks.list(page_size=1)
    done.add("ListTrunk")
    seeded = [t for t in trunks if t.friendly_name == "seed trunk"]
    assert len(seeded) == 1, [t.friendly_name for t in trunks]
    trunk = client.trunking.v1.trunks(seeded[0].sid).fetch()
    done.add("FetchTrunk")
    assert trunk.sid.startswith("TK") and trunk.sid == seeded[0].sid, trunk.sid
    assert trunk.account_sid == account_sid, trunk.account_sid
    assert trunk.domain_name == "seed.pstn.twilio.com", trunk.domain_name
    assert trunk.url == f"{base_url}/v1/Trunks/{trunk.sid}", trunk.url
    assert is_utc_datetime(trunk.date_created), repr(trunk.date_created)
    assert is_utc_datetime(trunk.date_updated), repr(trunk.date_updated)
    assert trunk.links["ip_access_control_lists"] == f"{trunk.url}/IpAccessControlLists", trunk.links
    assert sorted(trunk.links) == [
        "credential_lists", "ip_access_control_lists", "origination_urls", "phone_numbers"
    ], trunk.links
    # The library can create trunks; the emulator's trunks are read-only.
    expect_error(
        lambda: client.trunking.v1.trunks.create(friendly_name="new"), 405, 20004, "create a trunk"
    )
    expect_error(
        lambda: client.trunking.v1.trunks("TK" + "0" * 32).fetch(), 404, 20404, "unknown trunk"
    )

    # ---- Api 2010-04-01 SIP Domains (read-only)
    sip = client.api.v2010.account.sip
    domains = sip.domains.list()
    done.add("ListSipDomain")
    seeded = [d for d in domains if d.domain_name == "seed.sip.twilio.com"]
    assert len(seeded) == 1, [d.domain_name for d in domains]
    domain = sip.domains(seeded[0].sid).fetch()
    done.add("FetchSipDomain")
    assert domain.sid.startswith("SD") and domain.sid == seeded[0].sid, domain.sid
    assert domain.friendly_name == "seed domain", domain.friendly_name
    assert domain.account_sid == account_sid, domain.account_sid
    assert domain.api_version == "2010-04-01", domain.api_version
    assert domain.uri == f"/2010-04-01/Accounts/{account_sid}/SIP/Domains/{domain.sid}.json"
    assert is_utc_datetime(domain.date_created), repr(domain.date_created)
    assert domain.subresource_uris == {
        "credential_list_mappings": domain.uri.replace(".json", "/CredentialListMappings.json"),
        "ip_access_control_list_mappings": domain.uri.replace(
            ".json", "/IpAccessControlListMappings.json"
        ),
    }, domain.subresource_uris

    # ---- Api 2010-04-01 SIP IpAccessControlLists
    lists = sip.ip_access_control_lists
    created = lists.create(friendly_name="python allowlist")
    done.add("CreateSipIpAccessControlList")
    assert created.sid.startswith("AL") and len(created.sid) == 34, created.sid
    assert created.friendly_name == "python allowlist", created.friendly_name
    assert created.account_sid == account_sid, created.account_sid
    assert created.uri == (
        f"/2010-04-01/Accounts/{account_sid}/SIP/IpAccessControlLists/{created.sid}.json"
    ), created.uri
    assert is_utc_datetime(created.date_created), repr(created.date_created)
    assert is_utc_datetime(created.date_updated), repr(created.date_updated)
    assert created.subresource_uris == {
        "ip_addresses": created.uri.replace(".json", "/IpAddresses.json")
    }, created.subresource_uris

    fetched = lists(created.sid).fetch()
    done.add("FetchSipIpAccessControlList")
    assert (fetched.sid, fetched.friendly_name) == (created.sid, "python allowlist")
    assert fetched.date_created == created.date_created

    updated = lists(created.sid).update(friendly_name="python allowlist v2")
    done.add("UpdateSipIpAccessControlList")
    assert (updated.sid, updated.friendly_name) == (created.sid, "python allowlist v2")
    assert updated.date_updated >= created.date_updated

    # Two lists (the seeded one and this one), one per page: the library follows next_page_uri.
    listed = lists.list(page_size=1)
    done.add("ListSipIpAccessControlList")
    names = {l.sid: l.friendly_name for l in listed}
    assert len(listed) == 2 and names.get(created.sid) == "python allowlist v2", names
    seed_list = next(sid for sid, name in names.items() if name == "seed")
    assert len(lists.list(limit=1)) == 1

    # An address in the list, through the (older) IpAddresses resource.
    address = lists(created.sid).ip_addresses.create(
        friendly_name="sbc", ip_address="203.0.113.10", cidr_prefix_length=30
    )
    assert (address.ip_address, address.cidr_prefix_length) == ("203.0.113.10", 30)

    # ---- Api 2010-04-01 SIP Domain Auth Calls IpAccessControlListMappings
    mappings = sip.domains(domain.sid).auth.calls.ip_access_control_list_mappings
    mapping = mappings.create(ip_access_control_list_sid=created.sid)
    done.add("CreateAuthCallsIpAccessControlListMapping")
    assert mapping.sid == created.sid, mapping.sid
    assert mapping.friendly_name == "python allowlist v2", mapping.friendly_name
    assert mapping.account_sid == account_sid, mapping.account_sid
    assert is_utc_datetime(mapping.date_created), repr(mapping.date_created)
    mappings.create(ip_access_control_list_sid=seed_list)
    expect_error(
        lambda: mappings.create(ip_access_control_list_sid=created.sid),
        400,
        20001,
        "the same list mapped twice",
    )
    expect_error(
        lambda: mappings.create(ip_access_control_list_sid="AL" + "0" * 32),
        400,
        20001,
        "a mapping of a list that does not exist",
    )

    fetched = mappings(created.sid).fetch()
    done.add("FetchAuthCallsIpAccessControlListMapping")
    assert (fetched.sid, fetched.friendly_name) == (created.sid, "python allowlist v2")

    mapped = mappings.list(page_size=1)
    done.add("ListAuthCallsIpAccessControlListMapping")
    assert [m.sid for m in mapped] == [created.sid, seed_list], [m.sid for m in mapped]

    # A mapped list cannot be deleted; unmapped, it can, and its addresses go with it.
    error = expect_error(
        lambda: lists(created.sid).delete(), 400, 20001, "delete a mapped list"
    )
    assert domain.sid in error.msg, error.msg
    assert mappings(created.sid).delete() is True
    done.add("DeleteAuthCallsIpAccessControlListMapping")
    expect_error(lambda: mappings(created.sid).fetch(), 404, 20404, "a deleted mapping")
    assert [m.sid for m in mappings.list()] == [seed_list]

    assert lists(created.sid).delete() is True
    done.add("DeleteSipIpAccessControlList")
    expect_error(lambda: lists(created.sid).fetch(), 404, 20404, "a deleted list")
    expect_error(
        lambda: lists(created.sid).ip_addresses(address.sid).fetch(),
        404,
        20404,
        "an address of a deleted list",
    )
    assert [l.sid for l in lists.list()] == [seed_list]

    assert done == OPERATIONS, sorted(OPERATIONS - done)
    print(f"OK: twilio-python drove {len(done)} operations: {', '.join(sorted(done))}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
