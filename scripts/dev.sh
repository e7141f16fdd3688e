#!/usr/bin/env bash
# One entry point for people and CI: installs what the project needs, then runs a job.
#   bash scripts/dev.sh demo    serve the demo web application (synthetic Tân Phú data) on
#                               http://127.0.0.1:8000 (more options: --port N)
#   bash scripts/dev.sh test    lint (ruff, yamllint, mypy) and run the whole test suite
#   bash scripts/dev.sh install only install (production: docs/deployment.md)
#   bash scripts/dev.sh explore free, random exploration of the API (schemathesis; CI runs a
#                               fixed, derandomised set): EXAMPLES=N per operation (500)
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

# Debian packages and the private PostgreSQL need root: as root directly (CI), else via sudo.
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

# WeasyPrint (the PDF reports) draws with Pango. The reports name Times New Roman (Decree
# 30/2020); Debian draws it with Liberation Serif 2 (same metrics, Vietnamese marks); the pages
# use DejaVu.
if ! "${uv[@]}" run python -c "import weasyprint" >/dev/null 2>&1 \
    || ! fc-list 2>/dev/null | grep -q DejaVu \
    || ! fc-match -f '%{file}' 'Times New Roman' 2>/dev/null | grep -q liberation2; then
  as_root apt-get update -qq && as_root apt-get install -y -qq libpango-1.0-0 \
    libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 \
    fontconfig >/dev/null
fi

case "${1:-}" in
  install)
    ;;
  demo)
    shift
    "${uv[@]}" run giamngheo demo "$@"
    ;;
  test)
    # the browser tests drive Debian's Chromium (never a downloaded browser)
    if [ ! -x /usr/bin/chromium ]; then
      as_root apt-get update -qq && as_root apt-get install -y -qq chromium >/dev/null
    fi
    # ODK Validate (bundled with pyxform) checks the generated XLSForm; it needs Java
    if ! command -v java >/dev/null; then
      as_root apt-get update -qq && as_root apt-get install -y -qq default-jre-headless >/dev/null
    fi
    # the reports' .docx is rendered to pages by LibreOffice in the tests, as Word users see it
    if ! command -v soffice >/dev/null; then
      as_root apt-get update -qq && as_root apt-get install -y -qq libreoffice-writer-nogui \
        >/dev/null
    fi
    "${uv[@]}" run ruff check .
    "${uv[@]}" run yamllint --strict .  # parameter files, plans, test cases (.yamllint)
    "${uv[@]}" run mypy  # strict on the core (pyproject.toml, [tool.mypy])
    # the core's tests with their coverage of the core, reported per module (no threshold:
    # read it), then the web application's tests (their request-heavy runs would take several
    # times longer traced)
    "${uv[@]}" run pytest tests --ignore=tests/web --ignore=tests/browser --ignore=tests/demo \
      --cov=giamngheo --cov-report=term
    "${uv[@]}" run pytest tests/web tests/browser tests/demo
    # The tests that touch the database run again on PostgreSQL, the production database,
    # in a private cluster on loopback (installed from Debian's packages where missing).
    pg=/usr/lib/postgresql/15/bin
    if [ ! -x "$pg/initdb" ]; then
      as_root apt-get update -qq && as_root apt-get install -y -qq postgresql >/dev/null
    fi
    cluster=$(mktemp -d /tmp/giamngheo-pg.XXXXXX)
    as_root chown postgres "$cluster"
    port=${GIAMNGHEO_PG_PORT:-54329}
    as_postgres "$pg/initdb" -D "$cluster" -U postgres --auth=trust -E UTF8 \
      --locale=C.UTF-8 >/dev/null
    as_postgres "$pg/pg_ctl" -D "$cluster" -l "$cluster/log" -w \
      -o "-p $port -k $cluster -h 127.0.0.1" start >/dev/null
    trap 'as_postgres "$pg/pg_ctl" -D "$cluster" -m fast stop >/dev/null; as_root rm -rf "$cluster"' EXIT
    DATABASE_URL="postgres://postgres@127.0.0.1:$port/giamngheo" "${uv[@]}" run pytest tests/web
    ;;
  explore)
    GIAMNGHEO_EXPLORE=${EXAMPLES:-500} "${uv[@]}" run pytest tests/web/test_api_schema.py -q
    ;;
  *)
    echo "usage: bash scripts/dev.sh demo|test|install|explore" >&2
    exit 2
    ;;
esac
