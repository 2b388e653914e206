#!/usr/bin/env bash
# `yarn npm publish --dry-run` for every published (non-private) workspace: runs
# each package's prepack (the publishConfig/exports rewrite), packs it and lists
# the tarball, and publishes nothing. Needs no token and no network: the publish
# registry is pointed at a closed loopback port so an accidental real publish
# cannot reach anything. Run after `yarn tsc && yarn backstage-cli repo build`.
set -euo pipefail
cd "$(dirname "$0")/.."
export YARN_NPM_PUBLISH_REGISTRY=http://127.0.0.1:9
yarn workspaces foreach --all --no-private --parallel --jobs 4 \
  exec bash -c 'out=$(yarn npm publish --dry-run 2>&1) || { echo "$out"; exit 1; }
    echo "$(node -p "require(\"./package.json\").name"): $(grep -c "YN0000: [^ ]*\(dist\|tls\|migrations\|config.d.ts\|LICENSE\|README.md\|package.json\)" <<<"$out") files, not published (dry run)"'
