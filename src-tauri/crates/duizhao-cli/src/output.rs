//! Output and input helpers shared by every subcommand: JSON on stdout, bounded input.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use duizhao_core::CoreError;

/// Bytes read for detection: plenty to decide, bounded for huge inputs.
pub const DETECT_SAMPLE: u64 = 1 << 20;

pub fn input(file: Option<&Path>) -> Result<Box<dyn Read>, CoreError> {
    Ok(match file {
        Some(p) => Box::new(std::fs::File::open(p).map_err(|e| io_error(p, e))?),
        None => Box::new(std::io::stdin().lock()),
    })
}

pub fn io_error(path: &Path, e: std::io::Error) -> CoreError {
    if e.kind() == std::io::ErrorKind::NotFound {
        CoreError::FileNotFound(path.to_path_buf())
    } else {
        CoreError::Io {
            path: path.to_path_buf(),
            source: e,
        }
    }
}

/// Reads at most `limit` bytes as UTF-8, dropping a character cut at the limit.
pub fn read_text(reader: impl Read, limit: u64) -> Result<String, CoreError> {
    let mut bytes = Vec::new();
    reader
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(Path::new("<input>"), e))?;
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            // Only a character cut by the sample limit is forgiven; anything else is not text.
            if e_is_truncation(&bytes, valid) {
                Ok(String::from_utf8_lossy(&bytes[..valid]).into_owned())
            } else {
                Err(CoreError::InvalidInput(format!(
                    "input is not valid UTF-8 at byte offset {valid}"
                )))
            }
        }
    }
}

fn e_is_truncation(bytes: &[u8], valid: usize) -> bool {
    bytes.len() as u64 == DETECT_SAMPLE && bytes.len() - valid < 4
}

/// `KEY=VALUE` arguments as pairs (keys trimmed); one without `=` is refused.
pub fn key_values(pairs: &[String]) -> Result<BTreeMap<String, String>, CoreError> {
    pairs
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.to_string()))
                .ok_or_else(|| CoreError::InvalidInput(format!("`{pair}` is not KEY=VALUE")))
        })
        .collect()
}

pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CoreError> {
    let mut out = std::io::stdout().lock();
    let write = |out: &mut std::io::StdoutLock<'_>| -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::other)?;
        writeln!(out)
    };
    write(&mut out).map_err(|e| CoreError::Io {
        path: PathBuf::from("<stdout>"),
        source: e,
    })
}
