//! The command layer without a window, as one test binary made of modules: the real command
//! table and the app's real context (config and capabilities, so permissions are checked
//! too) over a real temporary library, invoked through Tauri's IPC path with
//! `tauri::test::mock_builder`.

mod commands;
mod feeds;
mod translation;

use duizhao_app::AppState;
use serde_json::Value;
use tauri::Manager;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;

/// The app with its library in `dir`, and its main window.
pub fn app(dir: &std::path::Path) -> (tauri::App<MockRuntime>, tauri::WebviewWindow<MockRuntime>) {
    let app = duizhao_app::builder(mock_builder())
        .build(tauri::generate_context!())
        .expect("the app builds with the mock runtime");
    app.manage(AppState::open(dir).expect("library opens"));
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
