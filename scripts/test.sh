#!/usr/bin/env bash
# Quick start, command 2: make this machine ready, install with the lockfile
# frozen, then type-check, lint and run every test suite. Prints one closing line
# `tests: N passed, N failed` computed from the runners' JSON reports, and exits
# non-zero if any step failed. Never enters watch mode.
set -uo pipefail
cd "$(dirname "$0")/.."
export CI=true

step() { printf '\n==> %s\n' "$*"; }
failed_steps=()
run_step() {
  local name="$1"; shift
  step "$name"
  local start=$SECONDS
  if "$@"; then
    echo "--- $name: ok ($((SECONDS - start))s)"
  else
    echo "--- $name: FAILED ($((SECONDS - start))s)"
    failed_steps+=("$name")
  fi
}

# A full run needs about 15 GB of free disk (dependencies, builds, the
# adoption test's app, caches); a run that fills the disk fails in every later
# step with ENOSPC, so the free space is printed first and again on failure.
NEEDED_GB=15
free_disk() {
  df -Pk "$PWD" /tmp | awk 'NR > 1 && !seen[$6]++ { printf "  %s: %.1f GB free\n", $6, $4 / 1048576 }'
}
step "free disk (a full run needs about $NEEDED_GB GB)"
free_disk
if [ "$(df -Pk "$PWD" | awk 'NR == 2 { print int($4 / 1048576) }')" -lt "$NEEDED_GB" ]; then
  echo "warning: under $NEEDED_GB GB free where the repository is: steps may fail with ENOSPC (no space left on device)"
fi

step "bootstrap (Node 22 + yarn)"
source scripts/bootstrap.sh || { echo "bootstrap failed"; exit 1; }
step "install (lockfile frozen)"
yarn install --immutable || { echo "yarn install --immutable failed"; exit 1; }

results="$PWD/.test-results"
rm -rf "$results" && mkdir -p "$results"

run_step "type-check (tsc)" yarn tsc
run_step "lint (backstage-cli repo lint)" yarn lint
run_step "format (prettier --check)" yarn prettier:check
run_step "OpenAPI generated code matches openapi.yaml (offline)" yarn schema:check
# The published packages (issue #20): built, publishable, with the types and API an adopter gets.
run_step "package build (backstage-cli repo build)" yarn backstage-cli repo build
run_step "package metadata (backstage-cli repo fix --check)" yarn backstage-cli repo fix --check
run_step "API reports match the code (api-reports --ci)" yarn build:api-reports --ci
run_step "published .d.ts type-check in a consumer (skipLibCheck false)" node scripts/check-published-types.js
run_step "published packages: no test-only or unused runtime dependencies" \
  node --test scripts/published-packages.test.js
run_step "publish dry run of every package (offline, no token)" bash scripts/publish-dry-run.sh
run_step "dependency audit policy (tests)" node --test scripts/audit-policy.test.js
run_step "dependency audit (docs/security/dependency-policy.md)" bash scripts/audit.sh
step "PostgreSQL for the database tests"
eval "$(bash scripts/postgres.sh start)" || { echo "could not start PostgreSQL"; exit 1; }
trap 'bash scripts/postgres.sh stop' EXIT

# The AWS module's tests start moto's server themselves (scripts/moto.sh, one
# per test file); installing it first keeps the download out of test timeouts.
run_step "moto install script (tests, offline)" node --test scripts/moto.test.js
run_step "moto (AWS emulator, PyPI moto) for the AWS module's tests" \
  bash scripts/moto.sh install

run_step "unit and integration tests (jest)" \
  yarn backstage-cli repo test --json --outputFile="$results/jest.json"
run_step "soak (yarn test:soak)" yarn test:soak --json --outputFile="$results/soak.json"
if command -v go >/dev/null 2>&1; then
  run_step "integration tests against a real kube-apiserver (yarn test:k8s)" \
    bash scripts/kube-test-env.sh run-tests "$results/k8s.json"
else
  echo "--- no Go toolchain: the real kube-apiserver tests need it (see README)"
fi
run_step "browser test (demo portal in headless Chromium)" \
  bash scripts/browser-test.sh "$results/browser.json"
run_step "adoption test (yarn test:adopt: the packages in a new create-app app, from their READMEs)" \
  bash scripts/adopt-test.sh "$results/adopt.json"

step "summary"
node scripts/summarize-tests.js "$results" || failed_steps+=("summary")
if [ "${#failed_steps[@]}" -gt 0 ]; then
  printf 'failed steps: %s\n' "${failed_steps[*]}"
  echo "free disk now:"
  free_disk
fi
node scripts/summarize-tests.js --line "$results"
[ "${#failed_steps[@]}" -eq 0 ]
