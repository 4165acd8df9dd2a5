#!/usr/bin/env bash
# The long run of the property tests over generated input (issue 11): the properties CI runs
# with a few hundred cases each (duizhao-zh src/props.rs, duizhao-feed tests/props.rs,
# duizhao-core tests/props.rs), here with many more, optimised and at low priority. Takes
# minutes to hours; not part of CI or tests/run.sh. What past runs found: docs/TESTING.md.
#
#   src-tauri/scripts/fuzz-long.sh [CASES] [CRATE...]
#
# CASES (default 20000, or $PROPTEST_CASES) is the case count of each property; the slow ones
# (a Readability parse or an SQLite library per case) run a tenth of it. CRATE narrows the run
# to zh, feed or core. The build uses the `fuzz` profile: release optimisation with debug
# assertions and overflow checks kept, so an arithmetic overflow is found, not wrapped.
# A failing property prints its shrunk input: make it a plain #[test] next to the code it
# broke, fix the code at the root, run again. The script exits non-zero when any crate failed.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/duizhao-target}"

CASES="${1:-${PROPTEST_CASES:-20000}}"
shift $(( $# > 0 ? 1 : 0 ))
CRATES=("$@")
[[ ${#CRATES[@]} -eq 0 ]] && CRATES=(zh feed core)
[[ "$CASES" =~ ^[0-9]+$ ]] || { echo "fuzz-long: CASES must be a number, got '$CASES'" >&2; exit 2; }

status=0
for crate in "${CRATES[@]}"; do
  case "$crate" in
    # zh's properties live in its library's unit tests: run only those.
    zh) args=(-p duizhao-zh --lib) filter=(props::) ;;
    feed) args=(-p duizhao-feed --test props) filter=() ;;
    core) args=(-p duizhao-core --test props) filter=() ;;
    *) echo "fuzz-long: unknown crate '$crate' (zh, feed or core)" >&2; exit 2 ;;
  esac
  echo "fuzz-long: building duizhao-$crate" >&2
  nice -n 15 cargo test --profile fuzz --no-run -q "${args[@]}"
  echo "fuzz-long: duizhao-$crate, $CASES cases per property" >&2
  start=$SECONDS
  if PROPTEST_CASES="$CASES" nice -n 15 cargo test --profile fuzz -q "${args[@]}" -- "${filter[@]}"; then
    echo "fuzz-long: duizhao-$crate passed in $(( SECONDS - start )) s" >&2
  else
    echo "fuzz-long: duizhao-$crate FAILED after $(( SECONDS - start )) s" >&2
    status=1
  fi
done
exit $status
