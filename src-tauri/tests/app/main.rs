//! The command layer without a window, as one test binary made of modules: the real command
//! table and the app's real context (config and capabilities, so permissions are checked
//! too) over a real temporary library, invoked through Tauri's IPC path with
//! `tauri::test::mock_builder`.

mod commands;
mod feeds;
mod harness;
mod study;
mod translation;

pub use harness::*;
