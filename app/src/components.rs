//! Reusable pieces of the dashboard.

pub mod card;
pub mod column;
pub mod create;
pub mod dialog;
pub mod toolbar;
