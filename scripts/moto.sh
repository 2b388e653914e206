#!/usr/bin/env bash
# scripts/moto.sh install|start|stop
#
# moto's server (PyPI moto, an AWS emulator), for the AWS Secrets Manager
# module's tests: no AWS account, no network once installed.
#   install  creates a git-ignored venv (.cache/moto-venv, or $ESB_MOTO_VENV) and
#            pip-installs moto into it from PyPI; idempotent, safe to run in
#            parallel (flock). Installs Debian's python3-venv (and python3) when
#            missing. Lean: only the services the tests use plus moto's server
#            (about 140 MB; moto[server] pulls every service's dependencies,
#            about 320 MB), and no pip cache. A venv counts as installed only
#            once pip finished and moto imports (a marker file records it), so a
#            run interrupted half-way (no space left, Ctrl-C) is redone, never
#            reused. A failed install removes its venv and its temp files and
#            names the venv path and the free space there.
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
# Secrets Manager, STS (role assumption) and IAM (enforced access in the auth
# tests), and moto's server (Flask). ESB_MOTO_PIP_SPEC overrides it (the
# script's own tests use a wheel path that does not exist, to fail offline).
pip_spec="${ESB_MOTO_PIP_SPEC:-moto[secretsmanager,sts,iam] flask flask-cors}"
marker="$venv/.esb-moto-installed"

install_venv_support() {
  python3 -c 'import ensurepip, venv' 2>/dev/null && return 0
  echo "moto: installing Debian's python3-venv (and python3)" >&2
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >&2
}

installed() {
  [ -f "$marker" ] && [ "$(cat "$marker")" = "$pip_spec" ] &&
    "$venv/bin/python" -c 'import moto.server, flask_cors' 2>/dev/null
}

install_failed() {
  local parent="$1"
  rm -rf "$venv"
  {
    echo "moto: installing moto into $venv failed (see pip's output above)."
    echo "moto: free space where it installs ($parent):"
    df -h "$parent" || true
    echo "moto: free space, then re-run; or set ESB_MOTO_VENV to a venv path on a disk with about 300 MB free."
  } >&2
  return 1
}

# pip's build and download files go to a temp dir beside the venv (same disk,
# so the df above is the one that matters), removed however the install ends.
pip_install() {
  local tmp="$1"
  # shellcheck disable=SC2086 # the spec is a list of requirements
  TMPDIR="$tmp" PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    "$venv/bin/pip" install --quiet --no-cache-dir $pip_spec >&2 &&
    "$venv/bin/python" -c 'import moto.server, flask_cors' >&2
}

install() {
  installed && return 0
  local parent
  parent="$(dirname "$venv")"
  mkdir -p "$parent"
  (
    # Several test files may ask at once: one installs, the others wait. The
    # lock is the parent directory itself, so no lock file is left behind.
    flock 9
    installed && exit 0
    # Debian's python3-venv brings python3 itself on a machine without it.
    install_venv_support
    echo "moto: installing moto into $venv ($pip_spec)" >&2
    rm -rf "$venv"
    tmp="$(mktemp -d "$parent/.moto-install-tmp.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    if TMPDIR="$tmp" python3 -m venv "$venv" >&2 && pip_install "$tmp"; then
      echo "$pip_spec" >"$marker"
    else
      install_failed "$parent"
    fi
  ) 9<"$parent"
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
