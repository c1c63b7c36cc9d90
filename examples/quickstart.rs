//! A tour of the resources.
//!
//! With no `TWILIO_ACCOUNT_SID` set, it starts the embedded Twilio emulator and walks through
//! everything: find the trunk and SIP domain, create an IP access control list and fill it,
//! attach it to the trunk and the domain, create an IP record and map it to the domain, list with
//! pagination, update, and clean up.
//!
//! With credentials in the environment (`TWILIO_ACCOUNT_SID` and `TWILIO_AUTH_TOKEN`, or
//! `TWILIO_API_KEY` + `TWILIO_API_SECRET`) it only reads from Twilio: it lists trunks, SIP
//! domains, IP access control lists, IP records and source IP mappings, and, when
//! `TWILIO_IP_ACCESS_CONTROL_LIST_SID` is set, counts that list's addresses.
//!
//! ```sh
//! cargo run --example quickstart --features mock
//! ```

use futures_util::TryStreamExt;
use twilio_ip_access::{Client, Error, mock::MockTwilio};

#[tokio::main]
async fn main() -> Result<(), Error> {
    if std::env::var_os("TWILIO_ACCOUNT_SID").is_some() {
        return read_only_tour(Client::from_env()?).await;
    }
    let twilio = MockTwilio::start().await;
    println!(
        "No TWILIO_ACCOUNT_SID set: running on the embedded Twilio emulator at {}",
        twilio.base_url()
    );
    println!(
        "(set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to read from your Twilio account instead)\n"
    );
    emulator_tour(&twilio).await?;
    twilio.shutdown().await;
    Ok(())
}

async fn emulator_tour(twilio: &MockTwilio) -> Result<(), Error> {
    // Trunks and SIP domains are read-only in Twilio's API: the emulator makes them directly.
    twilio.create_trunk_named("production", "acme-prod.pstn.twilio.com");
    twilio.create_sip_domain_named("acme.sip.twilio.com", "acme");
    let client = twilio.client();

    println!("1. Find the trunk and the SIP domain");
    let trunk = client.trunks().list().collect().await?.remove(0);
    let domain = client.sip_domains().list().collect().await?.remove(0);
    println!(
        "   trunk  {}  {:<12} {}",
        trunk.sid,
        trunk.friendly_name.as_deref().unwrap_or("-"),
        trunk.domain_name.as_deref().unwrap_or("-")
    );
    println!(
        "   domain {}  {:<12} {}",
        domain.sid,
        domain.friendly_name.as_deref().unwrap_or("-"),
        domain.domain_name.as_deref().unwrap_or("-")
    );

    println!("\n2. Create an IP access control list and add five addresses");
    let acl = client
        .sip_ip_access_control_lists()
        .create("office allowlist")
        .await?;
    println!(
        "   list {}  {:?}",
        acl.sid,
        acl.friendly_name.as_deref().unwrap_or("-")
    );
    let addresses = client.sip_ip_access_control_list(&acl.sid).ip_addresses();
    for (n, name) in ["hq-1", "hq-2", "branch", "vpn", "backup"]
        .into_iter()
        .enumerate()
    {
        let created = addresses
            .create(name, format!("198.51.100.{}", n + 1))
            .await?;
        println!(
            "   {}  {name:<8} {}",
            created.sid,
            created.ip_address.as_deref().unwrap_or("?")
        );
    }

    println!("\n3. Attach the list to the trunk and to the domain's calls");
    let association = client
        .trunk(&trunk.sid)
        .ip_access_control_lists()
        .create(&acl.sid)
        .await?;
    println!(
        "   trunk {} now accepts INVITEs from {:?}",
        association.trunk_sid,
        association.friendly_name.as_deref().unwrap_or("-")
    );
    let mappings = client
        .sip_domain(&domain.sid)
        .auth_calls_ip_access_control_list_mappings();
    let mapping = mappings.create(&acl.sid).await?;
    println!(
        "   domain {} now accepts calls from {:?}",
        domain.sid,
        mapping.friendly_name.as_deref().unwrap_or("-")
    );

    println!("\n4. Create a Voice IP Record and map it to the domain");
    let record = client
        .ip_records()
        .create("203.0.113.10")
        .friendly_name("sbc-frankfurt")
        .cidr_prefix_length(32)
        .await?;
    println!(
        "   {}  {:<16} {}/{}  created {}",
        record.sid,
        record.friendly_name.as_deref().unwrap_or("-"),
        record.ip_address.as_deref().unwrap_or("?"),
        record.cidr_prefix_length.unwrap_or(32),
        record.date_created.to_rfc3339()
    );
    let source = client
        .source_ip_mappings()
        .create(&record.sid, &domain.sid)
        .await?;
    println!("   {}  {} -> {}", source.sid, record.sid, domain.sid);

    println!("\n5. List the addresses two per page, following Twilio's next-page links");
    let mut pages = std::pin::pin!(addresses.list().page_size(2).pages());
    let mut n = 0;
    while let Some(page) = pages.try_next().await? {
        n += 1;
        let names: Vec<_> = page
            .items()
            .iter()
            .map(|a| a.friendly_name.clone().unwrap_or_default())
            .collect();
        match page.next_cursor() {
            Some(cursor) => println!("   page {n}: {names:?}  next: {cursor}"),
            None => println!("   page {n}: {names:?}  (last page)"),
        }
    }
    let first_three = addresses.list().limit(3).collect().await?;
    println!(
        "   with .limit(3): {} addresses, then the stream stops",
        first_three.len()
    );

    println!("\n6. Update");
    let renamed = client
        .sip_ip_access_control_lists()
        .update(&acl.sid, "office allowlist (HQ)")
        .await?;
    let seen_by_trunk = client
        .trunk(&trunk.sid)
        .ip_access_control_lists()
        .fetch(&acl.sid)
        .await?;
    println!(
        "   list renamed to {:?}; the trunk shows {:?}",
        renamed.friendly_name.as_deref().unwrap_or("-"),
        seen_by_trunk.friendly_name.as_deref().unwrap_or("-")
    );
    let all = addresses.list().collect().await?;
    let vpn = all
        .iter()
        .find(|a| a.friendly_name.as_deref() == Some("vpn"))
        .expect("vpn address");
    let vpn = addresses
        .update(&vpn.sid)
        .ip_address("198.51.100.0")
        .cidr_prefix_length(28)
        .await?;
    println!(
        "   address {} now {}/{}",
        vpn.sid,
        vpn.ip_address.as_deref().unwrap_or("?"),
        vpn.cidr_prefix_length.unwrap_or(32)
    );

    println!("\n7. Errors are typed");
    let invalid = addresses
        .create("wildcard", "198.51.100.*")
        .await
        .unwrap_err();
    println!("   checked before sending: {invalid}");
    let attached = client
        .sip_ip_access_control_lists()
        .delete(&acl.sid)
        .await
        .unwrap_err();
    println!("   answered by the emulator: {attached}");

    println!("\n8. Clean up");
    client
        .trunk(&trunk.sid)
        .ip_access_control_lists()
        .delete(&acl.sid)
        .await?;
    mappings.delete(&acl.sid).await?;
    client
        .sip_ip_access_control_lists()
        .delete(&acl.sid)
        .await?;
    client.source_ip_mappings().delete(&source.sid).await?;
    client.ip_records().delete(&record.sid).await?;
    let gone = client.ip_records().fetch(&record.sid).await.unwrap_err();
    println!("   deleted everything; fetching the IP record again: {gone}");
    println!(
        "   left: {} lists, {} IP records, {} mappings",
        client
            .sip_ip_access_control_lists()
            .list()
            .collect()
            .await?
            .len(),
        client.ip_records().list().collect().await?.len(),
        client.source_ip_mappings().list().collect().await?.len(),
    );
    Ok(())
}

async fn read_only_tour(client: Client) -> Result<(), Error> {
    println!(
        "Reading from Twilio as {} (read-only)\n",
        client.account_sid()
    );
    let trunks = client.trunks().list().limit(20).collect().await?;
    println!("Trunks ({}):", trunks.len());
    for trunk in &trunks {
        let lists = client
            .trunk(&trunk.sid)
            .ip_access_control_lists()
            .list()
            .collect()
            .await?;
        println!(
            "  {}  {:<24} {} IP access control list(s)",
            trunk.sid,
            trunk.friendly_name.as_deref().unwrap_or("-"),
            lists.len()
        );
    }
    let domains = client.sip_domains().list().limit(20).collect().await?;
    println!("SIP domains ({}):", domains.len());
    for domain in &domains {
        println!(
            "  {}  {}",
            domain.sid,
            domain.domain_name.as_deref().unwrap_or("-")
        );
    }
    let lists = client
        .sip_ip_access_control_lists()
        .list()
        .limit(20)
        .collect()
        .await?;
    println!("IP access control lists ({}):", lists.len());
    for list in &lists {
        println!(
            "  {}  {}",
            list.sid,
            list.friendly_name.as_deref().unwrap_or("-")
        );
    }
    let records = client.ip_records().list().limit(20).collect().await?;
    println!("IP records ({}):", records.len());
    for record in &records {
        println!(
            "  {}  {}",
            record.sid,
            record.friendly_name.as_deref().unwrap_or("-")
        );
    }
    let mappings = client
        .source_ip_mappings()
        .list()
        .limit(20)
        .collect()
        .await?;
    println!("Source IP mappings ({}):", mappings.len());
    for mapping in &mappings {
        println!(
            "  {}  {} -> {}",
            mapping.sid, mapping.ip_record_sid, mapping.sip_domain_sid
        );
    }
    if let Ok(acl) = std::env::var("TWILIO_IP_ACCESS_CONTROL_LIST_SID") {
        let addresses = client
            .sip_ip_access_control_list(acl.as_str())
            .ip_addresses()
            .list()
            .limit(100)
            .collect()
            .await?;
        println!(
            "Addresses in {acl}: {} (addresses are PII and not printed)",
            addresses.len()
        );
    }
    Ok(())
}
