//! Pages, one per route.

pub mod board;
