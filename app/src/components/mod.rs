//! Pieces several pages share.

pub mod narratives;
