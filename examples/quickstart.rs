//! A tour of the four resources.
//!
//! With no `TWILIO_ACCOUNT_SID` set, it starts the embedded Twilio emulator and walks through
//! everything: create an IP record, map it to a SIP domain, add addresses to an IP access control
//! list, associate the list with a trunk, list with pagination, update, and clean up.
//!
//! With credentials in the environment (`TWILIO_ACCOUNT_SID` and `TWILIO_AUTH_TOKEN`, or
//! `TWILIO_API_KEY` + `TWILIO_API_SECRET`) it only reads from Twilio: it lists IP records and
//! source IP mappings, and, when `TWILIO_TRUNK_SID` / `TWILIO_IP_ACCESS_CONTROL_LIST_SID` are set,
//! that trunk's lists and that list's addresses.
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
    let client = twilio.client();

    // Parents that live outside these four resources are set up on the emulator directly.
    let domain = twilio.create_sip_domain();
    let trunk = twilio.create_trunk();
    let acl = twilio.create_ip_access_control_list("office allowlist");
    println!("Set-up: SIP domain {domain}, trunk {trunk}, IP access control list {acl}\n");

    println!("1. Create a Voice IP Record");
    let record = client
        .ip_records()
        .create("203.0.113.10")
        .friendly_name("sbc-frankfurt")
        .cidr_prefix_length(32)
        .await?;
    let record_sid = record.sid.clone().expect("Twilio returns the SID");
    println!(
        "   {record_sid}  {:<16} {}/{}  created {}",
        record.friendly_name.as_deref().unwrap_or("-"),
        record.ip_address.as_deref().unwrap_or("?"),
        record.cidr_prefix_length.unwrap_or(32),
        record
            .date_created
            .map(|d| d.to_rfc3339())
            .unwrap_or_default()
    );

    println!("\n2. Map it to the SIP domain (Source IP Mapping)");
    let mapping = client
        .source_ip_mappings()
        .create(&record_sid, &domain)
        .await?;
    let mapping_sid = mapping.sid.clone().expect("Twilio returns the SID");
    println!("   {mapping_sid}  {record_sid} -> {domain}");

    println!("\n3. Add five addresses to the IP access control list");
    let addresses = client.sip_ip_access_control_list(&acl).ip_addresses();
    for (n, name) in ["hq-1", "hq-2", "branch", "vpn", "backup"]
        .into_iter()
        .enumerate()
    {
        let created = addresses
            .create(name, format!("198.51.100.{}", n + 1))
            .await?;
        println!(
            "   {}  {name:<8} {}",
            created.sid.as_ref().expect("SID"),
            created.ip_address.as_deref().unwrap_or("?")
        );
    }

    println!("\n4. Associate the list with the trunk");
    let association = client
        .trunk(&trunk)
        .ip_access_control_lists()
        .create(&acl)
        .await?;
    println!(
        "   trunk {} now accepts traffic from {:?}",
        association.trunk_sid.as_ref().expect("trunk SID"),
        association.friendly_name.as_deref().unwrap_or("-")
    );

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
    let record = client
        .ip_records()
        .update(&record_sid)
        .friendly_name("sbc-fra-1")
        .await?;
    println!(
        "   IP record renamed to {:?}",
        record.friendly_name.as_deref().unwrap_or("-")
    );
    let all = addresses.list().collect().await?;
    let vpn = all
        .iter()
        .find(|a| a.friendly_name.as_deref() == Some("vpn"))
        .expect("vpn address");
    let vpn_sid = vpn.sid.clone().expect("SID");
    let vpn = addresses
        .update(&vpn_sid)
        .ip_address("198.51.100.0")
        .cidr_prefix_length(28)
        .await?;
    println!(
        "   address {vpn_sid} now {}/{}",
        vpn.ip_address.as_deref().unwrap_or("?"),
        vpn.cidr_prefix_length.unwrap_or(32)
    );

    println!("\n7. Errors are typed");
    let invalid = addresses
        .create("wildcard", "198.51.100.*")
        .await
        .unwrap_err();
    println!("   checked before sending: {invalid}");

    println!("\n8. Clean up");
    client
        .trunk(&trunk)
        .ip_access_control_lists()
        .delete(&acl)
        .await?;
    for address in all {
        addresses.delete(address.sid.as_ref().expect("SID")).await?;
    }
    client.source_ip_mappings().delete(&mapping_sid).await?;
    client.ip_records().delete(&record_sid).await?;
    let gone = client.ip_records().fetch(&record_sid).await.unwrap_err();
    println!("   deleted everything; fetching the IP record again: {gone}");
    println!(
        "   left: {} IP records, {} mappings, {} addresses, {} trunk lists",
        client.ip_records().list().collect().await?.len(),
        client.source_ip_mappings().list().collect().await?.len(),
        addresses.list().collect().await?.len(),
        client
            .trunk(&trunk)
            .ip_access_control_lists()
            .list()
            .collect()
            .await?
            .len(),
    );
    Ok(())
}

async fn read_only_tour(client: Client) -> Result<(), Error> {
    println!(
        "Reading from Twilio as {} (read-only)\n",
        client.account_sid()
    );
    let records = client.ip_records().list().limit(20).collect().await?;
    println!("IP records ({}):", records.len());
    for record in &records {
        println!(
            "  {}  {}",
            record.sid.as_ref().map(|s| s.as_str()).unwrap_or("?"),
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
            mapping.sid.as_ref().map(|s| s.as_str()).unwrap_or("?"),
            mapping
                .ip_record_sid
                .as_ref()
                .map(|s| s.as_str())
                .unwrap_or("?"),
            mapping
                .sip_domain_sid
                .as_ref()
                .map(|s| s.as_str())
                .unwrap_or("?")
        );
    }
    if let Ok(trunk) = std::env::var("TWILIO_TRUNK_SID") {
        let lists = client
            .trunk(trunk.as_str())
            .ip_access_control_lists()
            .list()
            .collect()
            .await?;
        println!(
            "IP access control lists of trunk {trunk} ({}):",
            lists.len()
        );
        for list in &lists {
            println!(
                "  {}  {}",
                list.sid.as_ref().map(|s| s.as_str()).unwrap_or("?"),
                list.friendly_name.as_deref().unwrap_or("-")
            );
        }
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
