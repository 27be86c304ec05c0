//! Server functions: thin wrappers that call the kernel on the server.

pub mod board;
