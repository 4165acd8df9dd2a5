#!/usr/bin/env bash
# Creates (idempotently) a Python venv at DIR holding the reference OpenCC 1.4.2 from PyPI and
# prints the path of its python. Used by the differential test and scripts/bench-vs-opencc.sh:
#   export DUIZHAO_OPENCC_PYTHON="$(scripts/opencc-venv.sh /var/tmp/opencc-venv)"
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
dir=$1
py="$dir/bin/python"
want=1.4.2
if [ -x "$py" ] && "$py" -c "import importlib.metadata as m, sys; sys.exit(m.version('opencc') != '$want')" 2>/dev/null; then
  echo "$py"
  exit 0
fi
python3 -m venv "$dir" >&2
"$py" -m pip install --quiet --disable-pip-version-check "opencc==$want" >&2
"$py" -c "import opencc; opencc.OpenCC('s2t').convert('汉字')" >&2
echo "$py"
