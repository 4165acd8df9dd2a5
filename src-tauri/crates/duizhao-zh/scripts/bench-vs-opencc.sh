#!/usr/bin/env bash
# Throughput of duizhao-zh against the reference OpenCC 1.4.2 (PyPI) on the same files, same run.
#
# Usage: scripts/bench-vs-opencc.sh [WORKDIR] [CONFIG...]   (default WORKDIR /var/tmp/dz-bench-zh,
# default configs: t2s s2twp). Builds examples/convert_file in release mode, makes a ~16 MB
# Traditional and a ~16 MB Simplified text by repeating the fixtures' prose (tags stripped), then
# prints MB/s (best of 5 runs each, conversion only, init excluded) and the ratio for each config.
# Best-of is used because the 2-core machine is shared: the best run is the least disturbed one.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/var/tmp/dz-bench-zh}
shift || true
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=(t2s s2twp)
mkdir -p "$work"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/dz-target-zh}
cargo build --quiet --release -p duizhao-zh --example convert_file
bin=$CARGO_TARGET_DIR/release/examples/convert_file
py=$("$here/scripts/opencc-venv.sh" "$work/venv")

# Corpus: Traditional = seed article + pixnet (Taiwan); Simplified = gmw + qq (mainland).
"$py" - "$here/tests/fixtures" "$work" <<'PY'
import re, sys, pathlib
fx, work = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
def prose(*paths):
    text = "\n".join((fx / p).read_text(encoding="utf-8") for p in paths)
    text = re.sub(r"<script.*?</script>|<style.*?</style>", "", text, flags=re.S)
    text = re.sub(r"<[^>]*>", "", text)
    text = re.sub(r"https?://\S+|&[a-z#0-9]+;", "", text)
    # Prose only: lines where at least half of the characters are Han.
    lines = [l.strip() for l in text.split("\n")
             if len(re.findall(r"[\u4e00-\u9fff]", l)) * 2 >= max(len(l.strip()), 1) > 0]
    return "\n".join(lines) + "\n"
for name, paths in {"hant": ["seed/dw-wang-yi-lavrov.md", "readability-pages/pixnet.txt"],
                    "hans": ["readability-pages/gmw.txt", "readability-pages/qq.txt"]}.items():
    base = prose(*paths)
    reps = 16_000_000 // len(base.encode()) + 1
    (work / f"{name}.txt").write_text(base * reps, encoding="utf-8")
PY

cat > "$work/opencc_time.py" <<'PY'
import sys, time, opencc
config, path = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
t0 = time.perf_counter(); conv = opencc.OpenCC(config); init = time.perf_counter() - t0
best = float("inf")
for _ in range(5):
    t0 = time.perf_counter(); conv.convert(text); best = min(best, time.perf_counter() - t0)
print(f"init_ms={init*1e3:.1f} mb_per_s={len(text.encode())/1e6/best:.1f}")
PY

printf '%-6s %-5s %8s %12s %12s %7s %14s\n' config input MB "duizhao MB/s" "OpenCC MB/s" ratio "init ms (d/O)"
for config in "${configs[@]}"; do
  case $config in s2*) input=hans ;; *) input=hant ;; esac
  file=$work/$input.txt
  best=0 init=
  for _ in 1 2 3 4 5; do
    line=$("$bin" "$config" "$file" /dev/null 2>&1 >/dev/null)
    mbs=$(sed -n 's/.*mb_per_s=\([0-9.]*\).*/\1/p' <<<"$line")
    [ -n "$init" ] || init=$(sed -n 's/.*init_ms=\([0-9.]*\).*/\1/p' <<<"$line")
    best=$(awk -v a="$best" -v b="$mbs" 'BEGIN{print (b>a)?b:a}')
  done
  ref=$("$py" "$work/opencc_time.py" "$config" "$file")
  ref_mbs=$(sed -n 's/.*mb_per_s=\([0-9.]*\).*/\1/p' <<<"$ref")
  ref_init=$(sed -n 's/.*init_ms=\([0-9.]*\).*/\1/p' <<<"$ref")
  size=$(awk -v b="$(stat -c %s "$file")" 'BEGIN{printf "%.1f", b/1e6}')
  ratio=$(awk -v a="$best" -v b="$ref_mbs" 'BEGIN{printf "%.1fx", a/b}')
  printf '%-6s %-5s %8s %12s %12s %7s %14s\n' "$config" "$input" "$size" "$best" "$ref_mbs" "$ratio" "$init/$ref_init"
done
