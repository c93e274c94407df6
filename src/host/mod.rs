//! Host facts as explicit inputs (passes.md §1): the profile type, the
//! embedded default, loading and single-field overrides, derived identities.

pub mod identity;
mod load;
mod profile;

pub use load::*;
pub use profile::*;
