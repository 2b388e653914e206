#!/usr/bin/env bash
# scripts/moto.sh install|start|stop
#
# moto's server (PyPI `moto[server]`), an AWS emulator, for the AWS Secrets
# Manager module's tests: no AWS account, no network once installed.
#   install  creates a git-ignored venv (.cache/moto-venv, or $ESB_MOTO_VENV) and
#            pip-installs moto[server] into it from PyPI; idempotent, safe to run
#            in parallel (flock). Installs Debian's python3-venv (and python3)
#            when missing.
#   start    installs if needed, starts moto on 127.0.0.1 on a free port in its own
#            process group (setsid) and prints on stdout
#              export MOTO_ENDPOINT=http://127.0.0.1:PORT
#              export MOTO_STATE_DIR=DIR
#            (progress on stderr). Extra environment for moto (e.g.
#            INITIAL_NO_AUTH_ACTION_COUNT=3 to enforce IAM) passes through.
#   stop     stops the moto named by $MOTO_STATE_DIR (its whole process group).
#   eval "$(bash scripts/moto.sh start)"; ...; bash scripts/moto.sh stop
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${ESB_MOTO_VENV:-$root/.cache/moto-venv}"

install_venv_support() {
  python3 -c 'import ensurepip, venv' 2>/dev/null && return 0
  echo "moto: installing Debian's python3-venv (and python3)" >&2
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >&2
}

install() {
  [ -x "$venv/bin/moto_server" ] && return 0
  mkdir -p "$(dirname "$venv")"
  (
    # Several test files may ask at once: one installs, the others wait.
    flock 9
    [ -x "$venv/bin/moto_server" ] && exit 0
    # Debian's python3-venv brings python3 itself on a machine without it.
    install_venv_support
    echo "moto: installing moto[server] into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'moto[server]' >&2
  ) 9>"$(dirname "$venv")/moto-install.lock"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start() {
  install
  local dir port
  dir="$(mktemp -d /tmp/esb-moto.XXXXXX)"
  port="$(free_port)"
  setsid "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" \
    >"$dir/server.log" 2>&1 </dev/null &
  echo $! >"$dir/pgid"
  for _ in $(seq 1 150); do
    if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/data.json', timeout=1)" 2>/dev/null; then
      echo "moto: listening on 127.0.0.1:$port (state $dir)" >&2
      echo "export MOTO_ENDPOINT=http://127.0.0.1:$port"
      echo "export MOTO_STATE_DIR=$dir"
      return 0
    fi
    if ! kill -0 "$(cat "$dir/pgid")" 2>/dev/null; then break; fi
    sleep 0.2
  done
  echo "moto: did not start; log:" >&2
  cat "$dir/server.log" >&2
  MOTO_STATE_DIR="$dir" stop
  return 1
}

stop() {
  local dir="${MOTO_STATE_DIR:-}"
  [ -n "$dir" ] && [ -f "$dir/pgid" ] || return 0
  kill -- "-$(cat "$dir/pgid")" 2>/dev/null || true
  rm -rf "$dir"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
