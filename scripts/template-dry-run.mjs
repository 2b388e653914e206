#!/usr/bin/env node
/**
 * Dry-runs a template folder against a running portal's scaffolder
 * (`POST /api/scaffolder/v2/dry-run`), the same call as the template editor's
 * "Dry run", without the browser's folder picker. Prints the files the
 * template would create and its log; writes nothing and publishes nothing
 * (actions without dry-run support, such as demo:publish:local, are skipped).
 *
 *   node scripts/template-dry-run.mjs [TEMPLATE_DIR] [VALUES_JSON]
 *
 * TEMPLATE_DIR defaults to examples/templates/service-with-infisical-secrets,
 * VALUES_JSON (a file) to the values below. BACKEND_URL defaults to
 * http://localhost:7007; the token is the demo's guest sign-in unless
 * BACKSTAGE_TOKEN is set. Exits non-zero when the dry run fails.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const DEFAULT_TEMPLATE_DIR = join(
  REPO_ROOT,
  'examples/templates/service-with-infisical-secrets',
);

export const DEFAULT_VALUES = {
  name: 'payments-api',
  owner: 'group:default/guests',
  namespace: 'payments',
  secrets: {
    store: { kind: 'ClusterSecretStore', name: 'infisical-archon-platform' },
    data: [
      { secretKey: 'DB_PASSWORD', remoteRef: { key: '/payments/DB_PASSWORD' } },
    ],
  },
  validateRemoteKeys: true,
};

/** The template folder's files as the dry-run API takes them (paths relative to template.yaml). */
function directoryContents(templateDir) {
  const walk = dir =>
    readdirSync(dir).flatMap(name => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  return walk(templateDir)
    .filter(path => relative(templateDir, path) !== 'template.yaml')
    .map(path => ({
      path: relative(templateDir, path),
      base64Content: readFileSync(path).toString('base64'),
    }));
}

async function guestToken(backendUrl) {
  const res = await fetch(`${backendUrl}/api/auth/guest/refresh`);
  if (!res.ok) {
    throw new Error(
      `guest sign-in answered ${res.status}; set BACKSTAGE_TOKEN to a user token`,
    );
  }
  return (await res.json()).backstageIdentity.token;
}

/**
 * Runs the dry run; resolves to { files: {path: text}, log: string[], output }
 * or rejects with the scaffolder's error message.
 */
export async function dryRunTemplate({
  backendUrl = process.env.BACKEND_URL ?? 'http://localhost:7007',
  templateDir = DEFAULT_TEMPLATE_DIR,
  values = DEFAULT_VALUES,
  token = process.env.BACKSTAGE_TOKEN,
} = {}) {
  const template = parse(
    readFileSync(join(templateDir, 'template.yaml'), 'utf8'),
  );
  const res = await fetch(`${backendUrl}/api/scaffolder/v2/dry-run`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token ?? (await guestToken(backendUrl))}`,
    },
    body: JSON.stringify({
      template,
      values,
      directoryContents: directoryContents(templateDir),
    }),
  });
  const body = await res.json();
  if (!res.ok) {
    throw new Error(
      `dry run answered ${res.status}: ${
        body.error?.message ?? JSON.stringify(body)
      }`,
    );
  }
  return {
    files: Object.fromEntries(
      body.directoryContents.map(f => [
        f.path,
        Buffer.from(f.base64Content, 'base64').toString('utf8'),
      ]),
    ),
    log: body.log.map(entry => entry.body.message ?? '').filter(Boolean),
    output: body.output,
  };
}

async function main() {
  const [templateDir, valuesFile] = process.argv.slice(2);
  const result = await dryRunTemplate({
    templateDir: templateDir ? resolve(templateDir) : undefined,
    values: valuesFile
      ? JSON.parse(readFileSync(valuesFile, 'utf8'))
      : undefined,
  });
  for (const line of result.log) console.log(`log: ${line}`);
  for (const [path, text] of Object.entries(result.files)) {
    console.log(`\n--- ${path}\n${text}`);
  }
}

if (
  process.argv[1] &&
  resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  main().catch(error => {
    console.error(`template-dry-run: ${error.message}`);
    process.exitCode = 1;
  });
}
