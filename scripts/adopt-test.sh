#!/usr/bin/env bash
# scripts/adopt-test.sh [RESULT_JSON]        (yarn test:adopt; a step of scripts/test.sh)
#
# The adoption test: installs our eight published packages into a brand-new Backstage app
# exactly as an adopter would from the package READMEs, and checks the result
# in Chromium.
#   1. builds (`backstage-cli repo build`) and packs (`yarn pack`, which runs
#      prepack and turns `workspace:^` into real versions) every plugins/* package;
#   2. creates an app with the @backstage/create-app of our Backstage release
#      (root backstage.json), or resets the cached one to its created state;
#   3. serves the tarballs from a stand-in registry for our scope only
#      (scripts/adopt-test/local-registry.mjs), so the READMEs' `yarn add <name>`
#      runs verbatim; no resolutions, no file: paths;
#   4. runs every fenced block of each README's "## Install" section
#      (scripts/adopt-test/apply-readme-install.mjs);
#   5. `yarn tsc`, `backstage-cli config:check --strict`, `yarn build:all`;
#   6. starts the built backend (it serves the built app) on port 7007 with the
#      playground of the backend README, and checks with Chromium that the
#      example component's card shows a synced key and the admin page a Ready
#      store (scripts/adopt-test/browser-check.mjs).
# Cached between runs, under the git-ignored .cache/adopt-test: the created and
# installed app (its own git repo, reset to the created state; node_modules kept) and
# its yarn cache. Our packages are always removed from both first, so a run
# never sees a stale build. Uses ports 7007 and 17873: run it alone, e.g.
# `flock /tmp/portal.lock yarn test:adopt`. Installs Debian's chromium when missing.
# ADOPT_TEST_CACHE=<dir> puts the cache elsewhere (e.g. a cold run beside a warm one).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
result_file="${1:-}"

# @backstage/create-app 0.9.2 creates Backstage 1.55.0 apps; checked below
# against backstage.json, so a release bump cannot silently test an old app.
CREATE_APP_VERSION=0.9.2
SCOPE=external-secrets-backstage
REGISTRY_PORT=17873
cache="${ADOPT_TEST_CACHE:-$repo/.cache/adopt-test}"
app="$cache/app-$CREATE_APP_VERSION"
tarballs="$cache/tarballs"
logs="$cache/logs"
mkdir -p "$cache" "$logs"

started=$SECONDS
phase_start=$SECONDS
phase() { # name
  echo "adopt-test: -- $1 (previous phase $((SECONDS - phase_start))s, total $((SECONDS - started))s)"
  phase_start=$SECONDS
}
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -z "${trap_cleanup_trash:-}" ] || (setsid nohup rm -rf "$cache/trash-$$" >/dev/null 2>&1 </dev/null &)
  if [ "$status" -ne 0 ] && [ -z "${failed_reported:-}" ]; then
    echo "adopt-test: FAILED (exit $status at line ${last_line:-?}); logs in $logs" >&2
    write_result 0 1
  fi
}
trap cleanup EXIT
trap 'last_line=$LINENO' ERR
write_result() { # passed failed
  [ -n "$result_file" ] || return 0
  mkdir -p "$(dirname "$result_file")"
  cat >"$result_file" <<JSON
{"numPassedTests": $1, "numFailedTests": $2, "numPendingTests": 0, "numTodoTests": 0,
 "numRuntimeErrorTestSuites": 0, "numTotalTestSuites": 1}
JSON
}
fail() { echo "adopt-test: FAILED: $*; logs in $logs" >&2; write_result 0 1; failed_reported=1; exit 1; }

command -v yarn >/dev/null 2>&1 || source scripts/bootstrap.sh >/dev/null
if ! command -v chromium >/dev/null 2>&1; then
  echo "adopt-test: installing Debian's chromium" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2 ||
    fail "could not install chromium"
fi
# A portal that just stopped may take a moment to let its port go.
for port in 7007 "$REGISTRY_PORT"; do
  for attempt in $(seq 30); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || continue 2
    sleep 2
  done
  fail "port $port is already in use; stop whatever listens there"
done

phase "build and pack the packages"
yarn tsc >"$logs/tsc-repo.log" 2>&1 || { tail -n 30 "$logs/tsc-repo.log"; fail "yarn tsc in the repo"; }
yarn backstage-cli repo build >"$logs/build-repo.log" 2>&1 ||
  { tail -n 40 "$logs/build-repo.log"; fail "backstage-cli repo build"; }
rm -rf "$tarballs" && mkdir -p "$tarballs"
pack() { # plugin dir; prepack/postpack touch only that package, so packs run side by side
  local name; name="$(basename "$1")"
  (cd "$1" && yarn pack --out "$tarballs/$name.tgz") >"$logs/pack-$name.log" 2>&1 ||
    { tail -n 20 "$logs/pack-$name.log"; echo "adopt-test: yarn pack failed in $1"; return 1; }
}
export -f pack; export tarballs logs
# Every published package (the private test-utils one is not).
packages=()
for dir in plugins/*/; do
  node -e "process.exit(require('./${dir}package.json').private ? 1 : 0)" && packages+=("$dir")
done
printf '%s\n' "${packages[@]}" | xargs -P 4 -I{} bash -c 'pack {}' || fail "yarn pack"
for dir in "${packages[@]}"; do
  name="$(basename "$dir")"
  manifest="$(tar -xzOf "$tarballs/$name.tgz" package/package.json)"
  if grep -q '"workspace:' <<<"$manifest"; then
    fail "$name: the packed package.json still has workspace: ranges"
  fi
done
echo "adopt-test: packed $(ls "$tarballs" | wc -l) packages"

# Top-level entries of the app's node_modules folders (scoped ones one level down).
list_modules() {
  (cd "$app" && for dir in node_modules packages/*/node_modules; do
    [ -d "$dir" ] || continue
    find "$dir" -mindepth 1 -maxdepth 1 ! -name '@*' ! -name '.*'
    find "$dir" -mindepth 2 -maxdepth 2 -path "$dir/@*"
  done)
}

# git on the app's own repository only (never a repository above it).
app_git() { (cd "$app" && GIT_DIR="$app/.git" GIT_WORK_TREE="$app" git "$@"); }

phase "create (or reset) the app"
export YARN_ENABLE_GLOBAL_CACHE=false YARN_CACHE_FOLDER="$cache/yarn-cache"
# Yarn 4 turns on immutable installs when CI is set; the new app has no lockfile
# yet (create-app writes it, and every README `yarn add` changes it).
export YARN_ENABLE_IMMUTABLE_INSTALLS=false
if [ ! -f "$app/.adopt-test-created" ] || [ ! -d "$app/.git" ]; then
  if [ -e "$app" ]; then # deleting a whole app takes minutes: out of the way now, deleted after the run
    mv "$app" "$cache/trash-$$"
    trap_cleanup_trash=1
  fi
  # create-app pins a new app to its release with a seed yarn.lock downloaded
  # from GitHub; without it (no GitHub access here) every range resolves to the
  # newest version, which mixes releases (plugin-signals-backend 0.3.21 needs
  # backend-defaults 0.19, and startup fails). Resolving only versions that
  # were out 3 days after this create-app was published stands in for it.
  published="$(npm view "@backstage/create-app@$CREATE_APP_VERSION" time --json |
    node -pe "JSON.parse(require('fs').readFileSync(0))['$CREATE_APP_VERSION']")"
  gate_minutes="$(node -pe "Math.floor((Date.now() - Date.parse('$published') - 3 * 86400e3) / 60e3)")"
  YARN_NPM_MINIMAL_AGE_GATE="${gate_minutes}m" YARN_NPM_PREAPPROVED_PACKAGES="" \
    BACKSTAGE_APP_NAME=adoptapp npx -y "@backstage/create-app@$CREATE_APP_VERSION" --path "$app" \
    >"$logs/create-app.log" 2>&1 || { tail -n 40 "$logs/create-app.log"; fail "create-app"; }
  # create-app skips `git init` inside another repository (this checkout):
  # the app gets its own, and app_git never lets git look further up.
  git init -q "$app"
  app_git add -A >/dev/null
  app_git -c user.name=adopt-test -c user.email=adopt-test@localhost \
    commit -qm "created by @backstage/create-app@$CREATE_APP_VERSION (installed)" --allow-empty
  # What the created app installed, to return to it on the next runs.
  mkdir -p "$cache/created-state"
  list_modules >"$cache/created-state/modules.txt"
  cp "$app/node_modules/.yarn-state.yml" "$app/.yarn/install-state.gz" "$cache/created-state/"
  touch "$app/.adopt-test-created"
else
  # Back to the created app: its files (git), and node_modules without what
  # earlier runs added, with yarn's install state as create-app left it.
  app_git reset -q --hard HEAD
  app_git clean -qfdx -e node_modules -e .adopt-test-created -e .yarn/install-state.gz
  { list_modules | grep -vxF -f "$cache/created-state/modules.txt" || true; } | sed "s:^:$app/:" | xargs -r rm -rf
  cp "$cache/created-state/.yarn-state.yml" "$app/node_modules/"
  cp "$cache/created-state/install-state.gz" "$app/.yarn/"
fi
app_release="$(node -p "require('$app/backstage.json').version")"
our_release="$(node -p "require('./backstage.json').version")"
[ "$app_release" = "$our_release" ] ||
  fail "create-app $CREATE_APP_VERSION makes Backstage $app_release apps, backstage.json says $our_release: update CREATE_APP_VERSION"
# Never a stale copy of our packages: not in the yarn cache, not in node_modules.
rm -rf "$cache/yarn-cache/@$SCOPE-"* "$app"/node_modules/@$SCOPE "$app"/packages/*/node_modules/@$SCOPE
cat >>"$app/.yarnrc.yml" <<YAML

# adoption test only: our scope comes from the stand-in registry (scripts/adopt-test/local-registry.mjs)
npmScopes:
  $SCOPE:
    npmRegistryServer: "http://127.0.0.1:$REGISTRY_PORT"
unsafeHttpWhitelist:
  - 127.0.0.1
YAML

phase "install from the READMEs"
setsid node scripts/adopt-test/local-registry.mjs "$tarballs" "$REGISTRY_PORT" >"$logs/registry.log" 2>&1 </dev/null &
pids+=($!)
for _ in $(seq 50); do grep -q 'local registry on' "$logs/registry.log" 2>/dev/null && break; sleep 0.2; done
node scripts/adopt-test/apply-readme-install.mjs "$app" \
  plugins/external-secrets-common/README.md \
  plugins/external-secrets-node/README.md \
  plugins/external-secrets-backend/README.md \
  plugins/external-secrets-backend-module-infisical/README.md \
  plugins/external-secrets-backend-module-aws/README.md \
  plugins/scaffolder-backend-module-external-secrets/README.md \
  plugins/external-secrets/README.md \
  plugins/external-secrets-test-utils/README.md 2>&1 | tee "$logs/install.log" | grep -E '^adopt-test|YN0001|Error' || true
[ "${PIPESTATUS[0]}" -eq 0 ] || { tail -n 40 "$logs/install.log"; fail "the README install steps"; }

phase "type-check, config check, build"
(cd "$app" && yarn tsc) >"$logs/tsc-app.log" 2>&1 || { tail -n 40 "$logs/tsc-app.log"; fail "yarn tsc in the app"; }
(cd "$app" && yarn backstage-cli config:check --strict) >"$logs/config-check.log" 2>&1 ||
  { tail -n 40 "$logs/config-check.log"; fail "backstage-cli config:check --strict"; }
(cd "$app" && yarn build:all) >"$logs/build-app.log" 2>&1 || { tail -n 40 "$logs/build-app.log"; fail "yarn build:all in the app"; }
# The backend build is a deployment bundle (what the app's Dockerfile unpacks);
# its entry point runs here against the app's own node_modules.
tar -xzf "$app/packages/backend/dist/bundle.tar.gz" -C "$app" --wildcards 'packages/backend/dist/*'

phase "start the app and check it in Chromium"
# The built backend serves the built app, so one port: the app's baseUrl moves to it.
# NODE_ENV=development as under `yarn start`, where an adopter first tries the
# playground: a new app's guest sign-in works only there (and the playground
# refuses production).
cat >"$cache/serve-from-backend.yaml" <<YAML
app:
  baseUrl: http://localhost:7007
backend:
  cors:
    origin: http://localhost:7007
YAML
(cd "$app/packages/backend" &&
  NODE_ENV=development exec setsid node . --config ../../app-config.yaml --config "$cache/serve-from-backend.yaml") \
  >"$logs/backend.log" 2>&1 </dev/null &
pids+=($!)
deadline=$((SECONDS + 180))
until curl -sf -o /dev/null http://localhost:7007/api/external-secrets/health; do
  [ $SECONDS -lt $deadline ] || { tail -n 40 "$logs/backend.log"; fail "the backend did not answer within 180 s"; }
  sleep 2
done
token="$(curl -s http://localhost:7007/api/auth/guest/refresh | node -pe 'JSON.parse(require("fs").readFileSync(0)).backstageIdentity.token')"
deadline=$((SECONDS + 180))
until curl -s -H "Authorization: Bearer $token" \
  http://localhost:7007/api/external-secrets/entities/component/default/example-website/status |
  grep -Eq '"state": ?"Synced"'; do
  [ $SECONDS -lt $deadline ] || { tail -n 40 "$logs/backend.log"; fail "example-website was not synced within 180 s"; }
  sleep 3
done
PORTAL_URL=http://localhost:7007 node scripts/adopt-test/browser-check.mjs || fail "the browser check"

phase "done"
echo "adopt-test: passed in $((SECONDS - started))s"
write_result 1 0
