//! Host facts as explicit inputs (passes.md §1): the profile type, the
//! embedded default, loading and single-field overrides, derived identities.

pub mod identity;
mod profile;

pub use profile::*;
