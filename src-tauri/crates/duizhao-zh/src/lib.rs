//! Chinese script conversion that reproduces OpenCC 1.4.2 byte for byte, in pure Rust, plus
//! detection of Simplified / Traditional / Japanese script.
//!
//! It exists so Duizhao can convert between scripts locally on every OS without shipping the C++
//! OpenCC library. OpenCC's own dictionaries are embedded (`dict/`, Apache-2.0) and parsed lazily
//! the first time a config is used, so an application starts without waiting for them.
//!
//! ```
//! use duizhao_zh::{Config, Converter};
//! assert_eq!(Converter::get(Config::S2twp).convert("鼠标和软件"), "滑鼠和軟體");
//! ```

#![warn(missing_docs)]

mod config;
mod detect;
mod dict;
mod engine;
#[cfg(test)]
mod props;
mod stream;
mod table;

pub use config::Config;
pub use detect::{Script, ScriptReport, bcp47, detect_script};
pub use engine::Converter;
pub use stream::convert_stream;

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum ZhError {
    /// A config name that is not one of OpenCC's 16.
    #[error(
        "unknown OpenCC config {name:?}; valid configs: {}",
        config::valid_names()
    )]
    UnknownConfig {
        /// The name as given.
        name: String,
    },
    /// The input of a stream is not UTF-8.
    #[error("input is not valid UTF-8 at byte offset {offset}")]
    InvalidUtf8 {
        /// Byte offset of the first invalid byte from the start of the input.
        offset: u64,
    },
    /// Reading the input or writing the output failed.
    #[error("I/O error while converting: {0}")]
    Io(#[from] std::io::Error),
}
