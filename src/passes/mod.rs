//! The passes: pure functions of the typed configuration and the host
//! profile (passes.md §2–§4), each recording provenance.

pub mod effective;
pub mod vm;

pub use effective::{Effective, Origin, Step};
pub use vm::{PipeNames, SystemDistro, VmBuild};
