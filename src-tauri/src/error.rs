//! The error shape the UI receives: the core's `Failure`, `{code, message, provider?}`, so it
//! can branch on `code` (e.g. open a provider's settings on an auth error) and show `message`
//! as is. Streamed progress carries the same shape.

/// A failed command, as serialised to the webview.
pub type IpcError = duizhao_core::Failure;

/// Result of every command.
pub type CmdResult<T> = Result<T, IpcError>;
