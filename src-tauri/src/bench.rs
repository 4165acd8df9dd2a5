//! The start-up benchmark's probe (`src-tauri/scripts/bench-startup.sh`): when the app starts
//! with [`BENCH_ENV`] set, a script in the webview reports when the article title was first
//! drawn, and the app prints that moment on stderr for the benchmark to read. Without the
//! variable nothing is added to the app.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Listener, Runtime};

/// Environment variable that turns the probe on.
pub const BENCH_ENV: &str = "DUIZHAO_BENCH_STARTUP";

/// What counts as the first real content: the open article's title.
const FIRST_CONTENT: &str = ".reader .article-title";

/// The line the benchmark waits for, followed by `[first paint, page start]` in Unix ms.
pub const FIRST_PAINT_LINE: &str = "duizhao-bench: first-paint-unix-ms";

/// The line with where the page's part of the start went (a JSON object of ms after the
/// page's start: navigation milestones, fetched files, the UI's `dz:` marks).
pub const MARKS_LINE: &str = "duizhao-bench: marks";

/// Whether the benchmark asked for the probe.
pub fn enabled() -> bool {
    std::env::var_os(BENCH_ENV).is_some()
}

/// The probe as a plugin: the page script and the listener that prints what it reports.
pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    probe(FIRST_CONTENT)
}

/// The probe, waiting for the element `first_content` (a CSS selector). The benchmark's bare
/// app builds this file in too (`bench-startup.sh`) and waits for its heading, so both apps
/// are timed and report alike.
pub fn probe<R: Runtime>(first_content: &str) -> TauriPlugin<R> {
    let script = include_str!("bench_startup.js").replace("__SELECTOR__", first_content);
    Builder::new("bench-startup")
        .js_init_script(script)
        .setup(|app, _api| {
            app.listen_any("bench-first-paint", |event| {
                eprintln!("{FIRST_PAINT_LINE} {}", event.payload());
            });
            app.listen_any("bench-marks", |event| {
                eprintln!("{MARKS_LINE} {}", event.payload());
            });
            Ok(())
        })
        .build()
}
