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
    # The tests run in two streams at once, one per core; either failing fails:
    #   1. the core's tests with their coverage of the core, reported per module (no
    #      threshold: read it), then the whole demo's round trip (SQLite): its output is kept
    #      and printed whole once it has ended;
    #   2. printed as it runs: the web application's and the browser's tests on SQLite, then
    #      the tests that touch the database again on PostgreSQL, the production database, in
    #      a private cluster on loopback (installed from Debian's packages where missing).
    # The web tests are not traced: their request-heavy runs would take several times longer.
    # The two streams share no files: the core's tests never open the database, the round
    # trip keeps its own in-memory SQLite database and writes only to its temporary folder.
    pg=/usr/lib/postgresql/15/bin
    if [ ! -x "$pg/initdb" ]; then
      as_root apt-get update -qq && as_root apt-get install -y -qq postgresql >/dev/null
    fi
    cluster=$(mktemp -d /tmp/giamngheo-pg.XXXXXX)
    logs=$(mktemp -d /tmp/giamngheo-test.XXXXXX)
    core=
    finish() {
      [ -z "$core" ] || kill -- "-$core" 2>/dev/null || true
      as_postgres "$pg/pg_ctl" -D "$cluster" -m fast stop >/dev/null 2>&1 || true
      as_root rm -rf "$cluster" "$logs"
    }
    trap finish EXIT
    as_root chown postgres "$cluster"
    port=${GIAMNGHEO_PG_PORT:-54329}
    as_postgres "$pg/initdb" -D "$cluster" -U postgres --auth=trust -E UTF8 \
      --locale=C.UTF-8 >/dev/null
    as_postgres "$pg/pg_ctl" -D "$cluster" -l "$cluster/log" -w \
      -o "-p $port -k $cluster -h 127.0.0.1" start >/dev/null
    set -m  # the first stream in its own process group, stopped whole if the run is stopped
    (
      "${uv[@]}" run pytest tests --ignore=tests/web --ignore=tests/browser --ignore=tests/demo \
        --cov=giamngheo --cov-report=term -p no:cacheprovider \
        && "${uv[@]}" run pytest tests/demo -p no:cacheprovider  # stream 2 keeps pytest's cache
    ) >"$logs/1" 2>&1 &
    core=$!
    set +m
    failed=0
    "${uv[@]}" run pytest tests/web tests/browser \
      && DATABASE_URL="postgres://postgres@127.0.0.1:$port/giamngheo" \
        "${uv[@]}" run pytest tests/web \
      || failed=1
    echo "--- the core's tests and the demo's round trip ---"
    wait "$core" || failed=1
    core=
    cat "$logs/1"
    exit "$failed"
    ;;
  explore)
    GIAMNGHEO_EXPLORE=${EXAMPLES:-500} "${uv[@]}" run pytest tests/web/test_api_schema.py -q
    ;;
  *)
    echo "usage: bash scripts/dev.sh demo|test|install|explore" >&2
    exit 2
    ;;
esac
