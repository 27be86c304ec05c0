//! Pages, one per route.

pub mod board;
pub mod profiles;
pub mod spend;
