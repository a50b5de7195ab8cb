#!/usr/bin/env bash
# Installs (if missing) and starts Debian's PostgreSQL, and makes a role the tests can use to
# create and drop their own databases. Prints the admin URL for PORTCULLIS_TEST_POSTGRES_URL.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 0.5; done
su postgres -c "psql -q -v ON_ERROR_STOP=1" >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'portcullis_test') THEN
    CREATE ROLE portcullis_test LOGIN CREATEDB PASSWORD 'portcullis_test';
  END IF;
END $$;
SQL
echo "postgresql://portcullis_test:portcullis_test@127.0.0.1:5432/postgres"
