#!/usr/bin/env bash
# For tests/run.sh: starts a real Apertium APy (Debian packages) on 127.0.0.1 and prints the
# environment the ignored APy tests need, as KEY=VALUE lines. tests/run.sh stops the server.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
echo "DUIZHAO_APY_URL=$("$here/apertium-apy.sh")"
