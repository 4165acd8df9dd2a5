//! The error shape the UI receives: `{code, message}`, so it can branch on `code` (e.g. open a
//! provider's settings on an auth error) and show `message` as is.

use duizhao_core::{CoreError, ErrorCode};
use serde::Serialize;

/// A failed command, as serialised to the webview.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IpcError {
    /// Stable machine code.
    pub code: ErrorCode,
    /// One human sentence.
    pub message: String,
    /// The translation provider concerned, so an auth error can open its settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub provider: Option<String>,
}

impl From<CoreError> for IpcError {
    fn from(e: CoreError) -> Self {
        IpcError {
            code: e.code(),
            message: e.to_string(),
            provider: e.provider().map(str::to_string),
        }
    }
}

/// Result of every command.
pub type CmdResult<T> = Result<T, IpcError>;
