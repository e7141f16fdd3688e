#!/usr/bin/env bash
# One entry point for people and CI: installs what the project needs, then runs a job.
#   bash scripts/dev.sh demo    serve the demo web application (synthetic Tân Phú data) on
#                               http://127.0.0.1:8000 (more options: --port N)
#   bash scripts/dev.sh test    lint and run the whole test suite
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if command -v uv >/dev/null 2>&1; then
  uv=(uv)
else
  # pip may refuse to touch a distribution's Python (PEP 668): fall back to a private venv
  if ! "$python" -m uv --version >/dev/null 2>&1; then
    "$python" -m pip install --quiet --user uv 2>/dev/null \
      || "$python" -m pip install --quiet uv 2>/dev/null \
      || { "$python" -m venv .tools && .tools/bin/pip install --quiet uv && python=.tools/bin/python; }
  fi
  uv=("$python" -m uv)
fi
"${uv[@]}" sync --frozen --quiet

case "${1:-}" in
  demo)
    shift
    "${uv[@]}" run giamngheo demo "$@"
    ;;
  test)
    "${uv[@]}" run ruff check .
    "${uv[@]}" run pytest
    ;;
  *)
    echo "usage: bash scripts/dev.sh demo|test" >&2
    exit 2
    ;;
esac
