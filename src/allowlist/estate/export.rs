//! Exporting every account of an estate as one desired-state file: each account's lists (and
//! IP Records) as a single account's export writes them, given to that account.

use futures_util::future;

use super::{
    super::{Account, Desired, Error, ExportOptions, Result, export as export_account},
    plan::{check_credentials, in_account},
};
use crate::{Client, allowlist::accounts::parents_present};

/// Exports every account at once (each after the cheap read of [`plan`](super::plan) that
/// checks its credentials) and merges them into one desired state: the accounts as given
/// (`[accounts.NAME]`, with the names of the variables that hold their credentials, never a
/// secret), and each account's lists with `accounts = ["NAME"]`, as
/// [`Desired::merge_accounts`] writes them. Each account is exported as
/// [`export`](super::super::export) exports one, with `options`.
///
/// A subaccount reached with its parent's credentials (`parent`) has its IP Records left out,
/// with a note: Twilio's Voice API would give the parent's. Planning the result, each account
/// with [`Desired::for_account`], shows no changes.
///
/// # Errors
///
/// [`Error::Account`] naming the first account, in the order given, whose credentials are
/// refused ([`Error::Credentials`]), whose reads fail, or whose export is refused (a list asked
/// for that it does not have); [`Error::Export`] when an account name is given twice. A file
/// is all the accounts or none.
pub async fn export(accounts: Vec<(Account, Client)>, options: ExportOptions) -> Result<Desired> {
    for (i, (account, _)) in accounts.iter().enumerate() {
        if accounts[..i]
            .iter()
            .any(|(a, _)| a.name() == account.name())
        {
            return Err(Error::Export {
                reason: format!("account {:?} is given twice", account.name()),
            });
        }
    }
    parents_present(accounts.iter().map(|(a, _)| a)).map_err(|reason| Error::Export { reason })?;
    let all: Vec<Account> = accounts.iter().map(|(a, _)| a.clone()).collect();
    let exported = future::join_all(accounts.iter().map(|(account, client)| {
        let options = options.clone();
        let routed = account.routed(&all);
        async move {
            check_credentials(&routed, client).await?;
            let desired = export_account(client, options).await?;
            Ok(match account.parent() {
                Some(parent) if desired.byoc().is_some() => without_ip_records(desired, parent),
                _ => desired,
            })
        }
    }))
    .await;
    let mut parts = Vec::with_capacity(accounts.len());
    for ((account, _), desired) in accounts.into_iter().zip(exported) {
        let desired: Result<Desired> = desired;
        parts.push((
            account.clone(),
            desired.map_err(|e| in_account(&account, e))?,
        ));
    }
    Ok(Desired::merge_accounts(parts))
}

/// `desired` without the IP Records its export read through the parent's credentials.
fn without_ip_records(desired: Desired, parent: &str) -> Desired {
    let mut notes = desired.notes().to_vec();
    notes.push(format!(
        "its IP Records are not written: it is reached with the credentials of {parent:?}, and Twilio's Voice API gives the IP Records of the account whose credentials sign; give it its own credentials to export them"
    ));
    Desired::exported(desired.lists().to_vec(), None, notes)
}
