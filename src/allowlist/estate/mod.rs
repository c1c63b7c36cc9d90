//! Several accounts in one file (an estate): planning them all at once, one plan document for
//! all, applying account by account, exporting them as one file.
//!
//! TODO docs.

mod apply;
mod document;
mod export;
mod plan;
mod render;

pub use apply::{AccountReport, EstateReport};
pub use document::ESTATE_FORMAT_VERSION;
#[cfg(feature = "schemars")]
#[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
pub use document::estate_plan_schema;
pub(crate) use document::estate_refusal;
pub use export::export;
pub use plan::{AccountPlan, EstateAccount, EstatePlan, plan};

use super::Summary;

/// Several summaries added up.
fn total(summaries: impl Iterator<Item = Summary>) -> Summary {
    summaries.fold(Summary::default(), |total, s| Summary {
        add: total.add + s.add,
        change: total.change + s.change,
        remove: total.remove + s.remove,
    })
}
