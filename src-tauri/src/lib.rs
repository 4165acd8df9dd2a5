//! The desktop shell: builds the Tauri app around one `duizhao_core::Library`.
//!
//! All behaviour lives in the core; this crate owns only process concerns: where the data
//! folder is, the bundled seed article, window and plugin setup, and the command table.

mod bindings;
pub mod commands;
pub mod error;

use std::path::PathBuf;

use duizhao_core::{CoreError, Library, LibraryHandle};
use tauri::{Manager, Runtime};

/// The sample article every new library starts with (a DW Chinese item, as a full-text feed
/// service exports it).
pub const SEED_NAME: &str = "dw-wang-yi-lavrov.md";
/// The seed's text, compiled in so a fresh install works offline.
pub const SEED_TEXT: &str = include_str!("../resources/seed/dw-wang-yi-lavrov.md");

/// Shared state: the library handle (async use cases lock it only for short steps).
pub struct AppState {
    library: LibraryHandle,
}

impl AppState {
    /// Wraps an opened library.
    pub fn new(library: Library) -> Self {
        AppState {
            library: LibraryHandle::new(library),
        }
    }

    /// The handle, for async commands (refresh, translate).
    pub fn handle(&self) -> &LibraryHandle {
        &self.library
    }

    /// Opens the library in `dir` and imports the seed on first start.
    pub fn open(dir: &std::path::Path) -> Result<Self, CoreError> {
        let mut library = Library::open(dir)?;
        library.ensure_seed(SEED_NAME, SEED_TEXT)?;
        Ok(Self::new(library))
    }

    /// Runs `f` with the library locked, mapping errors for the UI.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Library) -> Result<T, CoreError>,
    ) -> Result<T, error::IpcError> {
        self.library.with(f).map_err(Into::into)
    }
}

/// Registers plugins and commands; shared by `run` and the command-layer tests.
pub fn builder<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_opener::init())
        .invoke_handler(tauri::generate_handler![
            // reader
            commands::library::list_articles,
            commands::library::get_article,
            commands::library::get_script_preference,
            commands::library::set_script_preference,
            commands::library::import_file,
            commands::library::get_ui_state,
            commands::library::set_ui_state,
            // feeds and library (commands/feeds.rs)
            // translation (commands/translation.rs)
        ])
}

/// The data folder: `$DUIZHAO_DATA_DIR`, else the platform data folder (shared with `dz`).
pub fn data_dir() -> Result<PathBuf, CoreError> {
    duizhao_core::default_data_dir()
}

/// Starts the app.
pub fn run() {
    let state = match data_dir().and_then(|dir| AppState::open(&dir)) {
        Ok(state) => state,
        Err(e) => {
            eprintln!("duizhao: {e}");
            std::process::exit(1);
        }
    };
    let result = builder(tauri::Builder::default())
        .setup(move |app| {
            app.manage(state);
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("duizhao: {e}");
        std::process::exit(1);
    }
}
