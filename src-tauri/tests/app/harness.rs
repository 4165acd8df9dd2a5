//! The app without a window: the real command table and context over a real temporary
//! library, a stand-in for the native file dialogs, and invoking a command as the webview
//! would. Shared by the `app` test binary and `app_sync` (which sets the environment).

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use duizhao_app::AppState;
use duizhao_app::picker::{FileKind, FilePicker};
use serde_json::Value;
use tauri::Manager;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;

/// The user's answers to the next file dialogs, in order (`None`: cancelled), and what each
/// dialog was for. Stands in for the native dialogs, which need a display.
#[derive(Default)]
pub struct Picks {
    answers: Mutex<VecDeque<Option<PathBuf>>>,
    asked: Mutex<Vec<(FileKind, bool)>>,
}

impl Picks {
    /// What the dialogs asked so far: (kind, saving).
    pub fn asked(&self) -> Vec<(FileKind, bool)> {
        self.asked.lock().unwrap().clone()
    }

    fn next(&self, kind: FileKind, saving: bool) -> Option<PathBuf> {
        self.asked.lock().unwrap().push((kind, saving));
        self.answers.lock().unwrap().pop_front().flatten()
    }
}

impl FilePicker for Picks {
    fn open(&self, kind: FileKind) -> Option<PathBuf> {
        self.next(kind, false)
    }
    fn save(&self, kind: FileKind, _suggested: &str) -> Option<PathBuf> {
        self.next(kind, true)
    }
}

/// The user will choose `path` in the next file dialog (`None`: will cancel it).
pub fn pick(webview: &tauri::WebviewWindow<MockRuntime>, path: Option<&std::path::Path>) {
    webview
        .state::<Arc<Picks>>()
        .answers
        .lock()
        .unwrap()
        .push_back(path.map(|p| p.to_path_buf()));
}

/// The app with its library in `dir`, and its main window.
pub fn app(dir: &std::path::Path) -> (tauri::App<MockRuntime>, tauri::WebviewWindow<MockRuntime>) {
    let app = duizhao_app::builder(mock_builder())
        .build(tauri::generate_context!())
        .expect("the app builds with the mock runtime");
    let picks = Arc::new(Picks::default());
    app.manage(
        AppState::open(dir)
            .expect("library opens")
            .with_picker(picks.clone()),
    );
    app.manage(picks);
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("mock window");
    (app, webview)
}

/// Invokes a command as the webview would (from the app's own origin).
pub fn invoke(
    webview: &tauri::WebviewWindow<MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("static url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("json reply"))
}
