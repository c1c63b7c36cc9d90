#!/usr/bin/env node
// Twilio's official Node library (`npm install twilio`), unchanged, against `twilio-mock`: the
// same 13 operations and checks as tests/python/new_operations.py, through twilio-node.
//
// Usage: node new_operations.js BASE_URL ACCOUNT_SID AUTH_TOKEN
//
// The server must have been started with `--seed` (a trunk "seed trunk" on
// seed.pstn.twilio.com, a SIP domain seed.sip.twilio.com named "seed domain", and a list named
// "seed"). Exits 0 and prints "OK" when every check passed; an assertion error otherwise. Talks
// to BASE_URL only.
"use strict";

const assert = require("node:assert/strict");
const twilio = require("twilio");

const OPERATIONS = [
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
];

/** Runs `action`, which must reject with Twilio's exception with this status and code. */
async function expectError(action, status, code, what) {
  try {
    await action();
  } catch (error) {
    assert.deepEqual(
      [error.status, error.code],
      [status, code],
      `${what}: expected ${status}/${code}, got ${error.status}/${error.code}: ${error.message}`,
    );
    return error;
  }
  assert.fail(`${what}: expected ${status}/${code}, but it succeeded`);
}

function isDate(value) {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

async function main(baseUrl, accountSid, authToken) {
  const client = twilio(accountSid, authToken);
  // One emulator serves all three products.
  client.api.baseUrl = baseUrl;
  client.trunking.baseUrl = baseUrl;
  const done = new Set();
  const zeros = "0".repeat(32);

  // ---- Trunking v1 Trunks (read-only)
  const trunks = await client.trunking.v1.trunks.list({ pageSize: 1 });
  done.add("ListTrunk");
  const seededTrunks = trunks.filter((t) => t.friendlyName === "seed trunk");
  assert.equal(seededTrunks.length, 1, JSON.stringify(trunks.map((t) => t.friendlyName)));
  const trunk = await client.trunking.v1.trunks(seededTrunks[0].sid).fetch();
  done.add("FetchTrunk");
  assert.equal(trunk.sid, seededTrunks[0].sid);
  assert.ok(trunk.sid.startsWith("TK"), trunk.sid);
  assert.equal(trunk.accountSid, accountSid);
  assert.equal(trunk.domainName, "seed.pstn.twilio.com");
  assert.equal(trunk.url, `${baseUrl}/v1/Trunks/${trunk.sid}`);
  assert.ok(isDate(trunk.dateCreated) && isDate(trunk.dateUpdated), String(trunk.dateCreated));
  assert.deepEqual(trunk.links, {
    origination_urls: `${trunk.url}/OriginationUrls`,
    credential_lists: `${trunk.url}/CredentialLists`,
    ip_access_control_lists: `${trunk.url}/IpAccessControlLists`,
    phone_numbers: `${trunk.url}/PhoneNumbers`,
  });
  // The library can create trunks; the emulator's trunks are read-only.
  await expectError(
    () => client.trunking.v1.trunks.create({ friendlyName: "new" }),
    405,
    20004,
    "create a trunk",
  );
  await expectError(
    () => client.trunking.v1.trunks(`TK${zeros}`).fetch(),
    404,
    20404,
    "unknown trunk",
  );

  // ---- Api 2010-04-01 SIP Domains (read-only)
  const sip = client.api.v2010.account.sip;
  const domains = await sip.domains.list();
  done.add("ListSipDomain");
  const seededDomains = domains.filter((d) => d.domainName === "seed.sip.twilio.com");
  assert.equal(seededDomains.length, 1, JSON.stringify(domains.map((d) => d.domainName)));
  const domain = await sip.domains(seededDomains[0].sid).fetch();
  done.add("FetchSipDomain");
  assert.equal(domain.sid, seededDomains[0].sid);
  assert.equal(domain.friendlyName, "seed domain");
  assert.equal(domain.accountSid, accountSid);
  assert.equal(domain.apiVersion, "2010-04-01");
  assert.equal(domain.uri, `/2010-04-01/Accounts/${accountSid}/SIP/Domains/${domain.sid}.json`);
  assert.ok(isDate(domain.dateCreated), String(domain.dateCreated));
  assert.deepEqual(domain.subresourceUris, {
    credential_list_mappings: domain.uri.replace(".json", "/CredentialListMappings.json"),
    ip_access_control_list_mappings: domain.uri.replace(
      ".json",
      "/IpAccessControlListMappings.json",
    ),
  });

  // ---- Api 2010-04-01 SIP IpAccessControlLists
  const lists = sip.ipAccessControlLists;
  const created = await lists.create({ friendlyName: "node allowlist" });
  done.add("CreateSipIpAccessControlList");
  assert.ok(created.sid.startsWith("AL") && created.sid.length === 34, created.sid);
  assert.equal(created.friendlyName, "node allowlist");
  assert.equal(created.accountSid, accountSid);
  assert.equal(
    created.uri,
    `/2010-04-01/Accounts/${accountSid}/SIP/IpAccessControlLists/${created.sid}.json`,
  );
  assert.ok(isDate(created.dateCreated) && isDate(created.dateUpdated));
  assert.deepEqual(created.subresourceUris, {
    ip_addresses: created.uri.replace(".json", "/IpAddresses.json"),
  });

  const fetched = await lists(created.sid).fetch();
  done.add("FetchSipIpAccessControlList");
  assert.deepEqual([fetched.sid, fetched.friendlyName], [created.sid, "node allowlist"]);
  assert.equal(fetched.dateCreated.getTime(), created.dateCreated.getTime());

  const updated = await lists(created.sid).update({ friendlyName: "node allowlist v2" });
  done.add("UpdateSipIpAccessControlList");
  assert.deepEqual([updated.sid, updated.friendlyName], [created.sid, "node allowlist v2"]);
  assert.ok(updated.dateUpdated >= created.dateUpdated);

  // Two lists (the seeded one and this one), one per page: the library follows next_page_uri.
  const listed = await lists.list({ pageSize: 1 });
  done.add("ListSipIpAccessControlList");
  const names = new Map(listed.map((l) => [l.sid, l.friendlyName]));
  assert.equal(listed.length, 2, JSON.stringify([...names]));
  assert.equal(names.get(created.sid), "node allowlist v2");
  const seedList = [...names].find(([, name]) => name === "seed")[0];
  assert.equal((await lists.list({ limit: 1 })).length, 1);

  // An address in the list, through the (older) IpAddresses resource.
  const address = await lists(created.sid).ipAddresses.create({
    friendlyName: "sbc",
    ipAddress: "203.0.113.10",
    cidrPrefixLength: 30,
  });
  assert.deepEqual([address.ipAddress, address.cidrPrefixLength], ["203.0.113.10", 30]);

  // ---- Api 2010-04-01 SIP Domain Auth Calls IpAccessControlListMappings
  const mappings = sip.domains(domain.sid).auth.calls.ipAccessControlListMappings;
  const mapping = await mappings.create({ ipAccessControlListSid: created.sid });
  done.add("CreateAuthCallsIpAccessControlListMapping");
  assert.equal(mapping.sid, created.sid);
  assert.equal(mapping.friendlyName, "node allowlist v2");
  assert.equal(mapping.accountSid, accountSid);
  assert.ok(isDate(mapping.dateCreated));
  await mappings.create({ ipAccessControlListSid: seedList });
  await expectError(
    () => mappings.create({ ipAccessControlListSid: created.sid }),
    400,
    20001,
    "the same list mapped twice",
  );
  await expectError(
    () => mappings.create({ ipAccessControlListSid: `AL${zeros}` }),
    400,
    20001,
    "a mapping of a list that does not exist",
  );

  const fetchedMapping = await mappings(created.sid).fetch();
  done.add("FetchAuthCallsIpAccessControlListMapping");
  assert.deepEqual(
    [fetchedMapping.sid, fetchedMapping.friendlyName],
    [created.sid, "node allowlist v2"],
  );

  const mapped = await mappings.list({ pageSize: 1 });
  done.add("ListAuthCallsIpAccessControlListMapping");
  assert.deepEqual(
    mapped.map((m) => m.sid),
    [created.sid, seedList],
  );

  // A mapped list cannot be deleted; unmapped, it can, and its addresses go with it.
  const error = await expectError(
    () => lists(created.sid).remove(),
    400,
    20001,
    "delete a mapped list",
  );
  assert.ok(error.message.includes(domain.sid), error.message);
  assert.equal(await mappings(created.sid).remove(), true);
  done.add("DeleteAuthCallsIpAccessControlListMapping");
  await expectError(() => mappings(created.sid).fetch(), 404, 20404, "a deleted mapping");
  assert.deepEqual(
    (await mappings.list()).map((m) => m.sid),
    [seedList],
  );

  assert.equal(await lists(created.sid).remove(), true);
  done.add("DeleteSipIpAccessControlList");
  await expectError(() => lists(created.sid).fetch(), 404, 20404, "a deleted list");
  await expectError(
    () => lists(created.sid).ipAddresses(address.sid).fetch(),
    404,
    20404,
    "an address of a deleted list",
  );
  assert.deepEqual(
    (await lists.list()).map((l) => l.sid),
    [seedList],
  );

  assert.deepEqual([...done].sort(), [...OPERATIONS].sort());
  console.log(`OK: twilio-node drove ${done.size} operations: ${[...done].sort().join(", ")}`);
}

const args = process.argv.slice(2);
if (args.length !== 3) {
  console.error("usage: node new_operations.js BASE_URL ACCOUNT_SID AUTH_TOKEN");
  process.exit(2);
}
main(...args).catch((error) => {
  console.error(error);
  process.exit(1);
});
