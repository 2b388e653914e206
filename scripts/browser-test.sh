#!/usr/bin/env bash
# scripts/browser-test.sh RESULT_JSON
#
# Starts the demo portal (scripts/start.sh's `yarn start`, embedded defaults),
# waits until the backend has reconciled the demo entities, runs the browser
# test (plugins/external-secrets/e2e/browser.test.mjs: headless Debian Chromium
# through playwright-core), writes its counts as a Jest-shaped JSON summary to
# RESULT_JSON, and stops the portal by its process group. Installs Debian's
# chromium when it is missing. Expects the env of scripts/bootstrap.sh.
set -uo pipefail
cd "$(dirname "$0")/.."
result_file="${1:?usage: browser-test.sh RESULT_JSON}"
log_dir="$(dirname "$result_file")"
mkdir -p "$log_dir"

if ! command -v chromium >/dev/null 2>&1; then
  echo "browser-test: installing Debian's chromium" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2 || {
    echo "browser-test: could not install chromium" >&2; exit 1; }
fi

for port in 3000 7007 17443 18443; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "browser-test: port $port is already in use; stop whatever listens there" >&2
    exit 1
  fi
done

setsid yarn start >"$log_dir/portal.log" 2>&1 </dev/null &
portal_pgid=$!
stop_portal() { kill -TERM -- "-$portal_pgid" 2>/dev/null; wait "$portal_pgid" 2>/dev/null; }
trap stop_portal EXIT

wait_for() { # url seconds
  local deadline=$((SECONDS + $2))
  until curl -sf -o /dev/null "$1"; do
    if [ $SECONDS -ge $deadline ]; then
      echo "browser-test: $1 did not answer within $2 s; last portal log lines:" >&2
      tail -n 40 "$log_dir/portal.log" >&2
      return 1
    fi
    sleep 2
  done
}
wait_for http://localhost:7007/api/external-secrets/health 300 || exit 1
wait_for http://localhost:3000 300 || exit 1

# The first reconcile cycle runs 5 s after start; wait until the demo entity has its ExternalSecrets.
token="$(curl -s http://localhost:7007/api/auth/guest/refresh | node -pe 'JSON.parse(require("fs").readFileSync(0)).backstageIdentity.token')"
deadline=$((SECONDS + 120))
until curl -s -H "Authorization: Bearer $token" \
  http://localhost:7007/api/external-secrets/entities/component/default/orders-service/status |
  grep -q '"state"'; do
  if [ $SECONDS -ge $deadline ]; then
    echo "browser-test: the demo entity was not reconciled within 120 s" >&2
    tail -n 40 "$log_dir/portal.log" >&2
    exit 1
  fi
  sleep 2
done

node plugins/external-secrets/e2e/browser.test.mjs | tee "$log_dir/browser.log"
status=${PIPESTATUS[0]}
summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log_dir/browser.log" | tail -n 1)"
passed="$(echo "$summary" | sed -E 's/^([0-9]+) passed.*/\1/')"
failed="$(echo "$summary" | sed -E 's/.* ([0-9]+) failed.*/\1/')"
if [ -z "$summary" ]; then passed=0; failed=1; fi
crashed=0; [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ] && crashed=1
cat >"$result_file" <<JSON
{"numPassedTests": ${passed:-0}, "numFailedTests": ${failed:-1}, "numPendingTests": 0, "numTodoTests": 0,
 "numRuntimeErrorTestSuites": $crashed, "numTotalTestSuites": 1}
JSON
exit "$status"
