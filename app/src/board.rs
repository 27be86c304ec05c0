//! The live board in the browser: the card store, live updates from the
//! event stream, and drag-and-drop.

pub mod call;
pub mod dnd;
pub mod keys;
pub mod live;
pub mod rules;
pub mod store;
