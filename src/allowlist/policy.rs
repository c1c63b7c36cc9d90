//! What a plan may do, as external-dns calls it: `sync` (everything) or `upsert-only` (never
//! remove), for unattended runs that must only ever widen an allowlist.

use std::{fmt, str::FromStr};

use super::{change::Summary, document::Plan};

/// Which of a plan's changes an unattended run makes.
///
/// ```
/// use twilio_ip_access::allowlist::Policy;
///
/// assert_eq!("upsert-only".parse::<Policy>(), Ok(Policy::UpsertOnly));
/// assert_eq!(Policy::Sync.to_string(), "sync");
/// assert!("prune".parse::<Policy>().is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Policy {
    /// Every change: the live state becomes the desired state.
    #[default]
    Sync,
    /// Creates, adds, attaches and renames only: nothing is removed, detached, unmapped or
    /// deleted, so an address that leaves its source stays allowed until a `sync` run.
    UpsertOnly,
}

impl Policy {
    /// The plan with only the changes this policy makes. Removals are always the plan's last
    /// steps, so no change kept depends on one dropped.
    pub fn restrict(self, mut plan: Plan) -> Plan {
        if self == Policy::UpsertOnly {
            plan.changes.retain(|c| !c.is_removal());
            plan.summary = Summary::of(&plan.changes);
        }
        plan
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Policy::Sync => "sync",
            Policy::UpsertOnly => "upsert-only",
        })
    }
}

impl FromStr for Policy {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "sync" => Ok(Policy::Sync),
            "upsert-only" => Ok(Policy::UpsertOnly),
            _ => Err(format!(
                "`{s}` is not a policy: `sync` (every change) or `upsert-only` (never remove)"
            )),
        }
    }
}
