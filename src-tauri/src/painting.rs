//! How the webview paints on a Linux machine without a usable GPU.
//!
//! WebKitGTK composites and rasterises the page with OpenGL by default. Where no GPU driver
//! is reachable (no DRI render node, no NVIDIA device, no WSL GPU: virtual machines, remote
//! X sessions, Xvfb), Mesa emulates OpenGL on the CPU with llvmpipe, and every frame goes
//! through that emulated GPU: Skia's GPU path compiles its shaders with LLVM on a first start
//! and rasterises through llvmpipe on every start. Measured with
//! `src-tauri/scripts/bench-startup.sh` (docs/BENCHMARKS.md, issue 9): on such a machine the
//! web process spent 1.1-2.7 s of CPU to show the first article, and 0.5-0.6 s in WebKit's own
//! non-composited mode, in which the article appeared 0.15 s (warm start) to 1.3 s (first
//! start) sooner. So on those machines the app asks WebKit for that mode, as
//! `WEBKIT_DISABLE_COMPOSITING_MODE=1` would; with a GPU nothing changes. A value the user set
//! (`WEBKIT_DISABLE_COMPOSITING_MODE=0` keeps GPU compositing) always wins.

use std::ffi::OsStr;
use std::path::Path;

/// WebKitGTK's switch for accelerated compositing ("1" turns it off, "0" keeps it).
pub const COMPOSITING_ENV: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// What the decision looks at, gathered apart so it can be tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Machine {
    /// `WEBKIT_DISABLE_COMPOSITING_MODE` is set (to anything): the user chose.
    pub user_chose: bool,
    /// `LIBGL_ALWAYS_SOFTWARE` asks Mesa for llvmpipe.
    pub software_forced: bool,
    /// A DRI render node (`/dev/dri/renderD*`) exists.
    pub render_node: bool,
    /// A GPU reached without a DRI node: NVIDIA's proprietary driver (`/dev/nvidiactl`) or
    /// WSL's (`/dev/dxg`, which Mesa's d3d12 driver uses).
    pub other_gpu: bool,
}

impl Machine {
    /// The machine this process runs on.
    pub fn probe() -> Self {
        let render_node = std::fs::read_dir("/dev/dri")
            .map(|dir| {
                dir.flatten()
                    .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
            })
            .unwrap_or(false);
        Machine {
            user_chose: std::env::var_os(COMPOSITING_ENV).is_some(),
            software_forced: std::env::var_os("LIBGL_ALWAYS_SOFTWARE").is_some_and(|v| truthy(&v)),
            render_node,
            other_gpu: ["/dev/nvidiactl", "/dev/dxg"]
                .iter()
                .any(|p| Path::new(p).exists()),
        }
    }

    /// Whether WebKit should paint without GPU compositing: OpenGL here would be emulated
    /// on the CPU, and the user did not choose otherwise.
    pub fn paint_without_gpu(&self) -> bool {
        !self.user_chose && (self.software_forced || !(self.render_node || self.other_gpu))
    }
}

/// Mesa's own reading of a boolean variable (`env_var_as_boolean`): 1, true, y, yes.
fn truthy(v: &OsStr) -> bool {
    v.to_str()
        .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "y" | "yes"))
}

/// Chooses the painting mode for this process's webviews (see the module's note).
///
/// Must run before any other thread starts: it may set an environment variable, which is only
/// sound while the process is single-threaded. [`crate::run`] calls it first thing.
pub fn choose() {
    if cfg!(target_os = "linux") && Machine::probe().paint_without_gpu() {
        // SAFETY: called at the top of `run()`, from `main`, before Tauri, the async runtime or
        // any other thread exists, so nothing can read the environment concurrently.
        unsafe { std::env::set_var(COMPOSITING_ENV, "1") };
        eprintln!(
            "duizhao: no GPU found, so the window paints without GPU compositing \
             ({COMPOSITING_ENV}=0 keeps it)"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GPU: Machine = Machine {
        user_chose: false,
        software_forced: false,
        render_node: true,
        other_gpu: false,
    };

    #[test]
    fn a_machine_with_a_gpu_keeps_webkits_defaults() {
        assert!(
            !GPU.paint_without_gpu(),
            "a DRI render node means real OpenGL"
        );
        let other = Machine {
            render_node: false,
            other_gpu: true,
            ..GPU
        };
        assert!(
            !other.paint_without_gpu(),
            "NVIDIA's driver without nvidia-drm, or WSL's, has no render node but a real GPU"
        );
    }

    #[test]
    fn without_a_gpu_the_page_is_painted_without_compositing() {
        let none = Machine {
            render_node: false,
            ..GPU
        };
        assert!(
            none.paint_without_gpu(),
            "no device: Mesa would emulate OpenGL"
        );
        let forced = Machine {
            software_forced: true,
            ..GPU
        };
        assert!(
            forced.paint_without_gpu(),
            "LIBGL_ALWAYS_SOFTWARE forces llvmpipe"
        );
    }

    #[test]
    fn the_users_own_setting_always_wins() {
        let none = Machine {
            render_node: false,
            user_chose: true,
            ..GPU
        };
        assert!(
            !none.paint_without_gpu(),
            "WEBKIT_DISABLE_COMPOSITING_MODE set by the user is never overridden"
        );
    }

    #[test]
    fn libgl_always_software_is_read_as_mesa_reads_it() {
        for on in ["1", "true", "TRUE", "y", "yes"] {
            assert!(truthy(OsStr::new(on)), "{on} forces llvmpipe in Mesa");
        }
        for off in ["0", "false", "no", "", "2"] {
            assert!(
                !truthy(OsStr::new(off)),
                "{off:?} leaves Mesa's choice alone"
            );
        }
    }
}
