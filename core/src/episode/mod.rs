//! The episode machine: from recorded facts to stage, deadlines, next action; the checks
//! every transition must pass; DQ1 readiness and good cause.

pub mod facts;

pub use facts::*;
