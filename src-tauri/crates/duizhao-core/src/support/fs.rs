//! Writing files so that a failure never leaves a half-written file behind, nor its
//! temporary.

use std::path::{Path, PathBuf};

use crate::error::{CoreError, Result};

/// Writes `bytes` to a temporary file beside `path`, then renames it into place: readers see
/// the old file or the new one, never a mix. On any failure the temporary file is removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = temp_path(path)?;
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(CoreError::io(path, e));
    }
    Ok(())
}

/// `.NAME.PID.tmp` beside `path`: in the same folder, so the rename stays on one filesystem.
fn temp_path(path: &Path) -> Result<PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| CoreError::InvalidInput(format!("{}: not a file name", path.display())))?;
    Ok(dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    )))
}

/// Creates `dir` (and its parents) when missing; a folder this creates is readable by its
/// owner only (0700 on Unix): a library holds what the reader reads. An existing folder keeps
/// its mode.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| CoreError::io(dir, e))
}

/// Creates an empty `file` readable and writable by its owner only (0600 on Unix) when it
/// does not exist, so SQLite (which gives its journal files the database's mode) never makes
/// a world-readable library. An existing file is left as it is.
pub fn create_private_file(file: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(file) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(CoreError::io(file, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_keeps_the_old_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write_atomic(&path, b"first").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        // A directory in the way makes the rename fail after the temporary was written.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir(&blocked).unwrap();
        std::fs::write(blocked.join("x"), b"keep").unwrap();
        assert!(write_atomic(&blocked, b"second").is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(
            names.iter().all(|n| !n.ends_with(".tmp")),
            "a failed write must not leave its temporary behind: {names:?}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
    }

    #[cfg(unix)]
    #[test]
    fn a_new_library_folder_and_file_are_private_and_existing_ones_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a/library");
        create_private_dir(&dir).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700, "another user must not list the library");
        let db = dir.join("db");
        create_private_file(&db).unwrap();
        assert_eq!(mode(&db), 0o600, "another user must not read the library");
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o640)).unwrap();
        create_private_file(&db).unwrap();
        assert_eq!(
            mode(&db),
            0o640,
            "an existing file is left as the reader set it"
        );
    }
}
