//! Server functions: what the dashboard asks of the server. Each is a thin
//! wrapper that calls the kernel (through the shared board pool) on the server.

pub mod board;
pub mod boards;
pub mod bulk;
pub mod drawer;
pub mod profiles;
pub mod spend;
pub mod tasks;
