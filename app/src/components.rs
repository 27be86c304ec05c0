//! Reusable pieces of the dashboard.

pub mod attention;
pub mod bulk;
pub mod card;
pub mod column;
pub mod create;
pub mod dialog;
pub mod drawer;
pub mod empty;
pub mod lazy;
pub mod new_board;
pub mod picker;
pub mod shortcuts;
pub mod toolbar;
