#!/usr/bin/env bash
# Start-up time and memory of Duizhao against a bare Tauri v2 app (one window, a static page),
# both built with the workspace's release profile and started under one Xvfb server, RUNS times
# each (default 5), offline and each with its own fresh home folder. The bare app runs twice:
# as Tauri makes it ("bare") and with GPU compositing off ("bare-nogpu"), which is what Duizhao
# chooses by itself on a machine without a GPU such as this Xvfb one (src-tauri/src/painting.rs),
# so "ratio-ng" compares like with like. A benchmark, not a test: it measures and prints, it
# asserts nothing (docs/BENCHMARKS.md has the figures).
#
#   first paint  ms from process start to the frame after real content was drawn (Duizhao: the
#                sample article's title; bare app: its heading), as the page reports it
#                (src-tauri/src/bench_startup.js, shared by both)
#   page start   ms from process start to the webview starting to load the page (the native
#                part of the start: Rust, the library, the window, WebKit's processes)
#   PSS / RSS    of the whole process tree (the app and its WebKit processes), 10 s after start
#   CPU          (stderr only) CPU time of each process of the tree, 10 s after start
#   page:        (stderr only) where the page's part went, ms after the page's start: navigation
#                milestones, each file fetched, and the UI's performance.mark('dz:…') marks
#
# "first" starts use an empty home (Duizhao creates its library and imports the seed); "warm"
# starts reuse the home of the first one. Medians are printed on stdout, every start on stderr.
#
# Usage: src-tauri/scripts/bench-startup.sh [RUNS]
#        DUIZHAO_BENCH_APP=/path/to/duizhao src-tauri/scripts/bench-startup.sh [RUNS]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${1:-5}
SETTLE_S=10
PAINT_LINE="duizhao-bench: first-paint-unix-ms"

"$ROOT/src-tauri/scripts/setup.sh" --tests # Xvfb, besides what the build needs
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
mkdir -p "$CARGO_TARGET_DIR"
CARGO_TARGET_DIR=$(cd "$CARGO_TARGET_DIR" && pwd)

# --- Duizhao: the release build package.sh ships (dz too: the same cargo run, so the features
# of shared dependencies are resolved alike and one build serves both scripts) ---------------
# DUIZHAO_BENCH_APP names another build instead (a before/after comparison): a release build
# with the probe (src-tauri/src/bench.rs).
DUIZHAO=${DUIZHAO_BENCH_APP:-}
if [[ -z "$DUIZHAO" ]]; then
  npm --prefix "$ROOT/ui" run build >&2
  cargo build --manifest-path "$ROOT/Cargo.toml" -p duizhao-app -p duizhao-cli --release \
    --features duizhao-app/custom-protocol >&2
  DUIZHAO="$CARGO_TARGET_DIR/release/duizhao"
fi

# --- The bare app: generated outside the repository, built into the same target folder with
# the versions of a copy of Cargo.lock and the workspace's [profile.release] copied verbatim
# (its first build compiles Tauri again, with the bare app's features: a few minutes). Its page shows the sample article's
# title and first paragraph, unstyled, so both apps draw the same CJK text.
BARE_SRC=${DUIZHAO_BENCH_BARE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/duizhao-bench/bare-app}
mkdir -p "$BARE_SRC"/{src,dist,icons,capabilities}
# Files are replaced only when they change, so a second run does not rebuild the bare app.
put() { cat >"$1.new"; if cmp -s "$1.new" "$1"; then rm "$1.new"; else mv "$1.new" "$1"; fi; }
profile=$(awk '/^\[/{on = ($0 == "[profile.release]")} on' "$ROOT/Cargo.toml")
put "$BARE_SRC/Cargo.toml" <<EOF
[package]
name = "bare-tauri"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
tauri = { version = "2", features = ["custom-protocol"] }

[build-dependencies]
tauri-build = "2"

[workspace]

$profile
EOF
put "$BARE_SRC/Cargo.lock" <"$ROOT/Cargo.lock" # the very versions Duizhao links
put "$BARE_SRC/src/bench_startup.js" <"$ROOT/src-tauri/src/bench_startup.js"
put "$BARE_SRC/icons/128x128.png" <"$ROOT/icons/128x128.png"
echo 'fn main() { tauri_build::build() }' | put "$BARE_SRC/build.rs"
put "$BARE_SRC/src/bench.rs" <"$ROOT/src-tauri/src/bench.rs" # Duizhao's probe, the same code
put "$BARE_SRC/src/main.rs" <<'EOF'
// A bare Tauri v2 app for Duizhao's start-up benchmark: one window, one static page, and
// Duizhao's own first-paint probe (bench.rs, copied beside this file), here always on.
#[allow(dead_code)] // only the probe is used here
mod bench;

fn main() {
    tauri::Builder::default()
        .plugin(bench::probe("h1"))
        .run(tauri::generate_context!())
        .expect("the bare app runs");
}
EOF
put "$BARE_SRC/tauri.conf.json" <<'EOF'
{
  "productName": "bare-tauri",
  "version": "0.1.0",
  "identifier": "app.duizhao.bench-bare",
  "build": { "frontendDist": "dist" },
  "app": {
    "windows": [{ "title": "bare", "width": 1280, "height": 820 }],
    "security": { "csp": "default-src 'self'" }
  },
  "bundle": { "icon": ["icons/128x128.png"] }
}
EOF
put "$BARE_SRC/capabilities/default.json" <<'EOF'
{ "identifier": "default", "windows": ["main"], "permissions": ["core:default"] }
EOF
put "$BARE_SRC/dist/index.html" <<'EOF'
<!doctype html>
<html lang="zh-Hant">
<head><meta charset="utf-8"><title>bare</title></head>
<body>
<h1>王毅見俄外長：推動全球治理更「公平合理」</h1>
<p>（德國之聲中文網）中國外交部長王毅近期行程滿檔。</p>
</body>
</html>
EOF
cargo build --manifest-path "$BARE_SRC/Cargo.toml" --release >&2
BARE="$CARGO_TARGET_DIR/release/bare-tauri"

# --- One X server for every start, so its own start-up is not timed ------------------------
WORK=$(mktemp -d)
XVFB_PID=""
cleanup() {
  [[ -n "$XVFB_PID" ]] && kill "$XVFB_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
mkfifo "$WORK/displayfd"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$WORK/displayfd" 2>/dev/null &
XVFB_PID=$!
read -r display_number <"$WORK/displayfd" # Xvfb writes it once it accepts clients
export DISPLAY=":$display_number"

# Every process below $1 (the app's WebKit processes and their sandbox helpers).
descendants() {
  local parent=$1 pid ppid
  for stat in /proc/[0-9]*/stat; do
    pid=${stat#/proc/}; pid=${pid%/stat}
    ppid=$(awk '{sub(/^.*\) /, ""); print $2}' "$stat" 2>/dev/null) || continue
    if [[ "$ppid" == "$parent" ]]; then
      echo "$pid"
      descendants "$pid"
    fi
  done
}

# Pss and Rss in kB and CPU time in ms (user + system) of one process, by name:
# "NAME PSS RSS CPU".
mem_of() {
  local pid=$1 name cpu
  name=$(cat "/proc/$pid/comm" 2>/dev/null) || return 0
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); print ($12 + $13) * 1000 / hz}' \
    "/proc/$pid/stat" 2>/dev/null) || cpu=0
  awk -v n="$name" -v c="$cpu" '/^Pss:/{p=$2} /^Rss:/{r=$2} END{if (r != "") print n, p, r, c}' \
    "/proc/$pid/smaps_rollup" 2>/dev/null || true
}

# start NAME BINARY HOME [VAR=VALUE...] -> "paint_ms pss_kb rss_kb page_ms" on stdout; per
# process on stderr.
start() {
  local name=$1 bin=$2 home=$3 log t0 pid paint="" deadline now mem
  shift 3
  mkdir -p "$home"
  # A new, empty log for each start: the loop below may read it before the app's shell has
  # opened it, and must not find an earlier start's line there.
  log=$(mktemp "$WORK/$name.XXXX.log")
  t0=$(date +%s%N)
  env HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
    XDG_CACHE_HOME="$home/cache" DUIZHAO_DATA_DIR="$home/library" DUIZHAO_OFFLINE=1 \
    DUIZHAO_BENCH_STARTUP=1 "$@" "$bin" >/dev/null 2>"$log" &
  pid=$!
  deadline=$((t0 + 60 * 1000000000))
  # The page reports the moment itself; this loop only notices that it has.
  while [[ -z "$paint" ]]; do
    # "<line> [paint, page start]" (the event's JSON payload)
    paint=$(awk -v l="$PAINT_LINE" 'index($0, l) == 1 {gsub(/[][,]/, " "); print $3, $4; exit}' "$log")
    [[ -n "$paint" ]] && break
    if ! kill -0 "$pid" 2>/dev/null || (($(date +%s%N) > deadline)); then
      echo "bench-startup: $name showed nothing within 60 s; its stderr:" >&2
      cat "$log" >&2
      kill "$pid" 2>/dev/null || true
      return 1
    fi
    sleep 0.05
  done
  now=$(date +%s%N)
  local settle=$((t0 + SETTLE_S * 1000000000 - now))
  ((settle > 0)) && sleep "$(awk -v ns="$settle" 'BEGIN{printf "%.3f", ns / 1e9}')"
  mem=$( { mem_of "$pid"; for p in $(descendants "$pid"); do mem_of "$p"; done; } )
  echo "  $name: $(echo "$mem" | awk '{printf "%s %d/%d MB %d ms CPU  ", $1, $2/1024, $3/1024, $4}')" >&2
  # Where the page's part went (ms after the page's start), as the probe reported it.
  awk -v n="$name" -v l="duizhao-bench: marks" 'index($0, l) == 1 {print "  " n " page:", substr($0, length(l) + 2); exit}' "$log" >&2
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  awk -v p="${paint% *}" -v o="${paint#* }" -v t="$t0" -v m="$mem" 'BEGIN{
    n = split(m, lines, "\n"); pss = 0; rss = 0
    for (i = 1; i <= n; i++) { split(lines[i], f, " "); pss += f[2]; rss += f[3] }
    printf "%.0f %d %d %.0f\n", p - t / 1e6, pss, rss, o - t / 1e6 }'
}

median() { sort -n | awk '{v[NR] = $1} END{print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# Three apps: the bare app as Tauri makes it; the bare app with GPU compositing off, which is
# what Duizhao itself chooses on a machine without a GPU (src-tauri/src/painting.rs; it says so
# on stderr), so the comparison on such a machine is like for like; and Duizhao.
declare -A results
for ((i = 1; i <= RUNS; i++)); do
  for app in bare bare-nogpu duizhao; do
    bin=$BARE; extra=()
    [[ $app == bare-nogpu ]] && extra=(WEBKIT_DISABLE_COMPOSITING_MODE=1)
    [[ $app == duizhao ]] && bin=$DUIZHAO
    home="$WORK/home-$app-$i"
    first=$(start "$app-first" "$bin" "$home" "${extra[@]}")
    warm=$(start "$app-warm" "$bin" "$home" "${extra[@]}")
    echo "run $i $app: first ${first%% *} ms, warm ${warm%% *} ms (paint ms, PSS kB, RSS kB, page start ms: $first | $warm)" >&2
    results[$app-first]+="$first"$'\n'
    results[$app-warm]+="$warm"$'\n'
  done
done

col() { printf '%s' "${results[$1]}" | awk -v c="$2" 'NF {print $c}' | median; }
printf '\nMedians of %d starts each (Xvfb, offline; PSS/RSS %d s after start, whole process tree)\n' "$RUNS" "$SETTLE_S"
if grep -q "without GPU compositing" "$WORK"/duizhao-first.*.log 2>/dev/null; then
  echo "Duizhao found no GPU here and painted without GPU compositing (as bare-nogpu does)."
else
  echo "Duizhao kept GPU compositing here (as bare does)."
fi
printf '%-28s %10s %10s %10s %8s %8s\n' "" "bare" "bare-nogpu" "duizhao" "ratio" "ratio-ng"
ratio() { awk -v b="$1" -v d="$2" 'BEGIN{printf "%.2f", d / b}'; }
for kind in first warm; do
  for metric in "page start ms:4" "paint ms:1" "PSS MB:2" "RSS MB:3"; do
    label=${metric%%:*}; c=${metric##*:}
    b=$(col "bare-$kind" "$c"); n=$(col "bare-nogpu-$kind" "$c"); d=$(col "duizhao-$kind" "$c")
    if [[ $c == [23] ]]; then
      b=$(awk -v x="$b" 'BEGIN{printf "%.1f", x / 1024}'); n=$(awk -v x="$n" 'BEGIN{printf "%.1f", x / 1024}')
      d=$(awk -v x="$d" 'BEGIN{printf "%.1f", x / 1024}')
    fi
    printf '%-28s %10s %10s %10s %8s %8s\n' "$kind start, $label" "$b" "$n" "$d" "$(ratio "$b" "$d")" "$(ratio "$n" "$d")"
  done
done
