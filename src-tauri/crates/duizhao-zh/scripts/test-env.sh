#!/usr/bin/env bash
# For tests/run.sh: prepares the reference OpenCC 1.4.2 (PyPI, throwaway venv) and prints the
# environment the ignored differential test needs, as KEY=VALUE lines.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
echo "DUIZHAO_OPENCC_PYTHON=$("$here/opencc-venv.sh" "${DUIZHAO_OPENCC_VENV:-/var/tmp/duizhao-opencc-venv}")"
