//! Tauri commands, one module per area. Each command is a one-line delegation to
//! `duizhao_core::Library`; errors become `IpcError { code, message }`.

pub mod feeds;
pub mod library;
pub mod study;
pub mod sync;
pub mod translation;
