#!/usr/bin/env bash
# Quick start, command 1: make this machine ready, install, and start the portal
# (frontend :3000 + backend :7007) on the embedded defaults: SQLite, the demo
# catalog in examples/, guest sign-in.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
yarn install --immutable
echo
echo "Starting the portal. Open http://localhost:3000 and press ENTER on the Guest sign-in."
echo "Backend API: http://localhost:7007/api  (stop with Ctrl-C)"
echo
exec yarn start
