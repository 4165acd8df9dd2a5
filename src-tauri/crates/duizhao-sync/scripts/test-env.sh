#!/usr/bin/env bash
# For tests/run.sh: starts a real coldsweat (Fever API, PyPI) on 127.0.0.1 and prints the
# environment the ignored end-to-end test needs, as KEY=VALUE lines. tests/run.sh stops it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/coldsweat.sh"
