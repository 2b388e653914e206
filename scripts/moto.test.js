// Run with `node --test scripts/moto.test.js` (scripts/test.sh does, before it
// installs moto). Offline: the failing installs ask pip for a wheel path that
// does not exist, so pip fails at once without the network. The real install
// is exercised by the AWS module's moto-backed suites.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const SCRIPT = path.join(__dirname, 'moto.sh');
const MISSING_WHEEL = '/nonexistent/esb-moto-test-0.0.0-py3-none-any.whl';

function sandbox(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esb-moto-test-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function runInstall(venv, env = {}) {
  return spawnSync('bash', [SCRIPT, 'install'], {
    encoding: 'utf8',
    env: { ...process.env, ESB_MOTO_VENV: venv, ...env },
    timeout: 120_000,
  });
}

test('a failed install names the venv and the free space, and leaves no venv and no temp files', t => {
  const dir = sandbox(t);
  const venv = path.join(dir, 'moto-venv');

  const out = runInstall(venv, { ESB_MOTO_PIP_SPEC: MISSING_WHEEL });

  assert.notEqual(out.status, 0);
  assert.match(out.stderr, new RegExp(`installing moto into ${venv} failed`));
  assert.match(out.stderr, /Avail/, 'df output for the venv filesystem');
  assert.equal(fs.existsSync(venv), false, 'no half-installed venv');
  assert.deepEqual(fs.readdirSync(dir), [], 'no temp or lock files beside it');
});

test('a half-done venv (moto_server present, install never finished) is not taken as installed', t => {
  const dir = sandbox(t);
  const venv = path.join(dir, 'moto-venv');
  // What an interrupted pip leaves: the entry point written, the rest missing.
  fs.mkdirSync(path.join(venv, 'bin'), { recursive: true });
  fs.writeFileSync(path.join(venv, 'bin', 'moto_server'), '#!/bin/sh\n', {
    mode: 0o755,
  });

  const out = runInstall(venv, { ESB_MOTO_PIP_SPEC: MISSING_WHEEL });

  assert.notEqual(out.status, 0, 'it tried to install again (and failed)');
  assert.match(out.stderr, /installing moto into/);
  assert.equal(fs.existsSync(venv), false);
});

test('a finished install is reused without pip', t => {
  const dir = sandbox(t);
  const venv = path.join(dir, 'moto-venv');
  fs.mkdirSync(path.join(venv, 'bin'), { recursive: true });
  // A venv whose python imports anything, marked finished for this spec.
  fs.writeFileSync(path.join(venv, 'bin', 'python'), '#!/bin/sh\nexit 0\n', {
    mode: 0o755,
  });
  fs.writeFileSync(
    path.join(venv, '.esb-moto-installed'),
    `${MISSING_WHEEL}\n`,
  );

  const out = runInstall(venv, { ESB_MOTO_PIP_SPEC: MISSING_WHEEL });

  assert.equal(out.status, 0, out.stderr);
  assert.doesNotMatch(out.stderr, /installing moto into/);
  assert.equal(
    fs.readFileSync(path.join(venv, 'bin', 'python'), 'utf8'),
    '#!/bin/sh\nexit 0\n',
    'the venv was left as it was',
  );
});
