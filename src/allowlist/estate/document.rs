//! The estate plan document (`format_version` 5): each account with the plan document of its
//! own plan (version 4), saved as one JSON document and read back as untrusted input, each
//! account's plan verified as a single account's is.

use serde::{Deserialize, Serialize};

use crate::allowlist::{accounts::parents_present, desired::check_saved};

use super::{
    super::{Account, Error, FORMAT_VERSION, Plan, Result},
    plan::{AccountPlan, EstatePlan, in_account},
};

/// The version of the estate plan document: 5, one above the single-account plan document's
/// [`FORMAT_VERSION`] (4), which each account's `plan` is.
pub const ESTATE_FORMAT_VERSION: u32 = 5;

/// What the document says of its version, whatever else it holds.
#[derive(Deserialize)]
struct Version {
    format_version: Option<u32>,
}

/// An estate plan document as read: each account's plan is read with [`Plan::from_json`], so
/// that its refusals name the account.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EstateDocument {
    #[allow(dead_code)]
    format_version: u32,
    accounts: Vec<AccountEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountEntry {
    account: Account,
    #[serde(default)]
    plan: Option<serde_json::Value>,
    /// Written in place of `plan` for an account that failed ([`EstatePlan`]'s `Serialize`).
    #[serde(default)]
    error: Option<String>,
}

/// An estate plan document as written.
#[derive(Serialize)]
struct EstateDocumentRef<'a> {
    format_version: u32,
    accounts: Vec<AccountEntryRef<'a>>,
}

#[derive(Serialize)]
struct AccountEntryRef<'a> {
    account: &'a Account,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<&'a Plan>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// The estate plan document, every account with its plan, and an account that failed with
/// `"error"` (its message) in place of `"plan"`: what `plan --json` shows. Such a document
/// cannot be applied ([`EstatePlan::from_json`] refuses it); [`EstatePlan::to_json`] refuses
/// to write it.
impl Serialize for EstatePlan {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        EstateDocumentRef {
            format_version: ESTATE_FORMAT_VERSION,
            accounts: self
                .accounts
                .iter()
                .map(|a| AccountEntryRef {
                    account: &a.account,
                    plan: a.plan.as_ref().ok(),
                    error: a.plan.as_ref().err().map(|e| match e {
                        Error::Account { error, .. } => error.to_string(),
                        other => other.to_string(),
                    }),
                })
                .collect(),
        }
        .serialize(serializer)
    }
}

/// The JSON Schema of the estate plan document: what `twilio-allowlist plan -o PLAN.json`
/// writes for a file with `[accounts]`.
#[cfg(feature = "schemars")]
#[derive(schemars::JsonSchema)]
#[schemars(title = "twilio-allowlist estate plan document", deny_unknown_fields)]
#[allow(dead_code)]
struct EstatePlanSchema {
    /// The version of this format: 5 (a single account's plan document is version 4 or less).
    #[schemars(extend("const" = ESTATE_FORMAT_VERSION))]
    format_version: u32,
    /// Every account planned, in the file's order, each once.
    accounts: Vec<AccountEntrySchema>,
}

/// One account of an estate plan document.
#[cfg(feature = "schemars")]
#[derive(schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct AccountEntrySchema {
    /// The account as the file's `[accounts.NAME]` says: its name, SID, where its credentials
    /// are (variable names, never a secret), region, edge, base URL.
    account: Account,
    /// Its plan: a single account's plan document.
    plan: crate::allowlist::document::PlanDocument,
}

/// The JSON Schema (draft 2020-12) of the estate plan document (`format_version` 5: a plan
/// of a file with `[accounts]`); each account's `plan` is described by
/// [`plan_schema`](crate::allowlist::plan_schema).
///
/// ```
/// let schema = twilio_ip_access::allowlist::estate::estate_plan_schema();
/// assert_eq!(schema.as_value()["properties"]["format_version"]["const"], 5);
/// ```
#[cfg(feature = "schemars")]
#[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
pub fn estate_plan_schema() -> schemars::Schema {
    schemars::schema_for!(EstatePlanSchema)
}

/// Why a document that is an estate plan cannot be read as a single account's, if it is one.
pub(crate) fn estate_refusal(text: &str) -> Option<String> {
    let version = serde_json::from_str::<Version>(text).ok()?.format_version?;
    (version == ESTATE_FORMAT_VERSION).then(|| {
        format!(
            "format_version {ESTATE_FORMAT_VERSION} is a plan of several accounts (a file with `[accounts]`): read it with EstatePlan::from_json (`twilio-allowlist apply` reads either)"
        )
    })
}

impl EstatePlan {
    /// The estate plan document, pretty-printed JSON:
    /// `{"format_version": 5, "accounts": [{"account": {…}, "plan": {…}}]}`, each `account` as
    /// the file's `[accounts.NAME]` says (credential variable names, never a secret) and each
    /// `plan` that account's plan document ([`Plan::to_json`]).
    ///
    /// # Errors
    ///
    /// [`Error::Refused`] when an account failed to plan (the document would not be the plan
    /// shown: plan a subset of the accounts to save the others'), or when a subaccount reached
    /// with its parent's credentials is in it without its parent.
    pub fn to_json(&self) -> Result<String> {
        let failed: Vec<&str> = self.failed().map(|a| a.account.name()).collect();
        if !failed.is_empty() {
            return Err(Error::Refused {
                reason: format!(
                    "a plan cannot be saved while an account has none ({} failed); plan without them, or fix them first",
                    failed.join(", ")
                ),
            });
        }
        // Applying it reaches a subaccount with its parent's credentials: the parent's entry
        // must be in it.
        parents_present(self.accounts.iter().map(|a| &a.account))
            .map_err(|reason| Error::Refused { reason })?;
        serde_json::to_string_pretty(self).map_err(|e| Error::PlanDocument {
            reason: e.to_string(),
        })
    }

    /// Reads an estate plan document (a saved plan). Each account's `plan` is read and
    /// verified as [`Plan::from_json`] reads a single account's, and must be of the account it
    /// is filed under (its starting state's account SID).
    ///
    /// # Errors
    ///
    /// [`Error::Desired`] when its accounts break a rule of a file's `[accounts]` (they decide
    /// which variables are read and where the credentials are sent: a variable's name, a
    /// parent that is not there, a base URL, the same account twice…);
    /// [`Error::PlanDocument`] when it is not JSON or not an estate plan: another
    /// `format_version` (a single account's plan, version 4 or less, is refused with the way to
    /// apply it), no accounts; [`Error::Account`] naming the account
    /// whose plan is refused, with [`Plan::from_json`]'s error or the SID that differs.
    pub fn from_json(text: &str) -> Result<EstatePlan> {
        let unusable = |reason: String| Error::PlanDocument { reason };
        let version = serde_json::from_str::<Version>(text)
            .map_err(|e| unusable(e.to_string()))?
            .format_version;
        match version {
            Some(ESTATE_FORMAT_VERSION) => {}
            Some(v @ 1..=FORMAT_VERSION) => {
                return Err(unusable(format!(
                    "format_version {v} is a single-account plan (a file without `[accounts]`): apply it with Plan::from_json"
                )));
            }
            Some(other) => {
                return Err(unusable(format!(
                    "format_version {other} is not supported (an estate plan is version {ESTATE_FORMAT_VERSION}); make the plan again with this version"
                )));
            }
            None => return Err(unusable("missing field `format_version`".into())),
        }
        let document: EstateDocument =
            serde_json::from_str(text).map_err(|e| unusable(e.to_string()))?;
        if document.accounts.is_empty() {
            return Err(unusable("it has no accounts".into()));
        }
        // Its accounts decide which variables are read and where credentials go: held to the
        // rules of a file's `[accounts]` (a parent among them, one name and SID each…).
        let given: Vec<Account> = document
            .accounts
            .iter()
            .map(|a| a.account.clone())
            .collect();
        check_saved("the saved plan", &given)?;
        let mut accounts: Vec<AccountPlan> = Vec::with_capacity(document.accounts.len());
        // Each name once: `check_saved` refused the same account twice.
        for entry in document.accounts {
            let plan = match (entry.plan, entry.error) {
                (_, Some(error)) => Err(Error::PlanDocument {
                    reason: format!(
                        "it had no plan when the document was written ({error}); a plan in which an account failed cannot be applied"
                    ),
                }),
                (None, None) => Err(Error::PlanDocument {
                    reason: "missing field `plan`".into(),
                }),
                (Some(plan), None) => Plan::from_json(&plan.to_string()),
            };
            let plan = plan
                .and_then(|plan| {
                    let planned = &plan.starting_state().account_sid;
                    if planned == entry.account.account_sid() {
                        Ok(plan)
                    } else {
                        Err(Error::PlanDocument {
                            reason: format!(
                                "its plan was made for account {planned}, but the account is {}",
                                entry.account.account_sid()
                            ),
                        })
                    }
                })
                .map_err(|e| in_account(&entry.account, e))?;
            accounts.push(AccountPlan {
                account: entry.account,
                plan: Ok(plan),
            });
        }
        Ok(EstatePlan { accounts })
    }
}
