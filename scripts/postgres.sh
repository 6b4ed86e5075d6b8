#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and benches: Debian's postgresql package, one
# cluster in a directory of our choosing, trust auth for one role, reachable only on a Unix
# socket in that directory and on 127.0.0.1. Nothing is installed as a system service and
# nothing outside the directory is touched.
#
#   scripts/postgres.sh install        install Debian's postgresql when initdb is missing (root)
#   scripts/postgres.sh start DIR [PORT]
#                                      create the cluster in DIR (when new), start it, print
#                                      its URL (postgresql://wirewatch@127.0.0.1:PORT/wirewatch)
#   scripts/postgres.sh stop DIR       stop the cluster in DIR (fast shutdown)
#
# As root, the server runs as the `postgres` system user (PostgreSQL refuses to run as root).
set -euo pipefail

ROLE=wirewatch

bindir() {
    if [ -n "${WIREWATCH_PG_BIN:-}" ]; then
        echo "$WIREWATCH_PG_BIN"
        return
    fi
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$found" ] && [ -x "$found/initdb" ]; then
        echo "$found"
        return
    fi
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return
    fi
    return 1
}

as_owner() {
    # Run a server program as the cluster's owner: ourselves, or `postgres` when we are root.
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

install() {
    if bindir >/dev/null; then
        return 0
    fi
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "postgres.sh: PostgreSQL is not installed; as root run: apt-get install postgresql" \
            "(or set WIREWATCH_PG_BIN to the folder holding initdb and pg_ctl)" >&2
        return 1
    fi
    echo "postgres.sh: installing Debian's postgresql for the PostgreSQL tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql postgresql-contrib >/dev/null
    bindir >/dev/null
}

start() {
    local dir=$1 port=${2:-}
    local bin
    bin=$(bindir) || { install && bin=$(bindir); }
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ -z "$port" ]; then
        port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    fi
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres "$dir"
        chmod 700 "$dir"
        # The server's user must reach DIR: let it through (not list) the folders above it.
        local up=$dir
        while up=$(dirname "$up") && [ "$up" != / ]; do
            chmod o+x "$up"
        done
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bin/initdb" -D "$dir/data" -U "$ROLE" --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; return 1; }
    fi
    # Small and fast for tests: no fsync (a crash loses the throwaway data, nothing else).
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
        "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off -c max_connections=200 -c shared_buffers=128MB" >/dev/null \
        || { cat "$dir/server.log" >&2; return 1; }
    as_owner "$bin/psql" -h "$dir" -p "$port" -U "$ROLE" -d postgres -qAt \
        -c "SELECT 1 FROM pg_database WHERE datname = '$ROLE'" | grep -q 1 \
        || as_owner "$bin/createdb" -h "$dir" -p "$port" -U "$ROLE" "$ROLE"
    echo "postgresql://$ROLE@127.0.0.1:$port/$ROLE"
}

stop() {
    local dir=$1 bin
    bin=$(bindir)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    fi
}

case "${1:-}" in
    install) install ;;
    start) shift; start "$@" ;;
    stop) shift; stop "$@" ;;
    *) echo "usage: $0 install | start DIR [PORT] | stop DIR" >&2; exit 2 ;;
esac
