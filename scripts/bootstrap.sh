#!/usr/bin/env bash
# Shared by scripts/dev.sh and scripts/test.sh: installs what is missing, idempotently.
#  - Debian packages: PostgreSQL 15 + PostGIS 3 (Chromium when WITH_BROWSER=1, Redis when
#    WITH_REDIS=1), and Redis running on 127.0.0.1:6379 when WITH_REDIS=1
#  - with WITH_BROWSER=1: Node.js and npm, and the test tools of package-lock.json (axe-core)
#    in node_modules
#  - a virtualenv in .venv with the project and its test tools
#  - a running PostgreSQL on 127.0.0.1:5432 that accepts the postgres role over TCP
#  - unless WITH_DATABASE=0: the database named in DATABASE_URL, with PostGIS, migrated
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DATABASE_URL="${DATABASE_URL:-postgresql+psycopg://postgres:postgres@127.0.0.1:5432/participatie}"
export PGCONNECT_TIMEOUT=5

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

packages=()
dpkg -s postgresql-15-postgis-3 >/dev/null 2>&1 || packages+=(postgresql-15 postgresql-15-postgis-3)
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || packages+=(python3-venv)
if [ "${WITH_BROWSER:-0}" = 1 ] && ! dpkg -s chromium >/dev/null 2>&1; then
  packages+=(chromium)
fi
if [ "${WITH_BROWSER:-0}" = 1 ] && ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
if [ "${WITH_REDIS:-0}" = 1 ] && ! command -v redis-server >/dev/null 2>&1; then
  packages+=(redis-server)
fi
if [ ${#packages[@]} -gt 0 ]; then
  say "apt-get install ${packages[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  say "virtualenv in .venv"
  python3 -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  say "pip install -e .[test]"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# axe-core for the accessibility tests, from the npm registry into node_modules (never from a
# CDN while the tests run). A stamp per package-lock.json keeps a second run instant.
if [ "${WITH_BROWSER:-0}" = 1 ]; then
  npm_stamp=node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)
  if [ ! -f "$npm_stamp" ]; then
    say "npm ci (axe-core)"
    npm ci --no-audit --no-fund --loglevel=error
    touch "$npm_stamp"
  fi
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  say "PostgreSQL starten"
  if ! pg_lsclusters -h 2>/dev/null | grep -q '^15 *main'; then
    as_root pg_createcluster 15 main
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect 15 main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

if [ "${WITH_REDIS:-0}" = 1 ] && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  say "Redis starten (127.0.0.1:6379, zonder opslag op schijf)"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 10); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi

admin_url="postgresql://postgres:postgres@127.0.0.1:5432/postgres"
if ! psql "$admin_url" -qAtc 'SELECT 1' >/dev/null 2>&1; then
  # A fresh Debian cluster only lets the postgres OS user in (peer auth). Give the role the
  # development password that DATABASE_URL's default uses; local TCP only.
  say "PostgreSQL: ontwikkelwachtwoord voor de rol postgres instellen"
  as_root runuser -u postgres -- psql -qc "ALTER ROLE postgres PASSWORD 'postgres'"
fi

# The app's own database (dev.sh); the tests build participatie_test themselves.
if [ "${WITH_DATABASE:-1}" = 1 ]; then
  .venv/bin/python scripts/ensure_database.py "$DATABASE_URL"
  say "database migreren"
  if ! log=$(.venv/bin/flask --app wsgi db upgrade 2>&1); then
    echo "$log" >&2
    exit 1
  fi
fi
