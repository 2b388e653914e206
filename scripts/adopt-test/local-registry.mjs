#!/usr/bin/env node
// node scripts/adopt-test/local-registry.mjs TARBALL_DIR PORT
//
// Stands in for the npm registry for OUR scope only, so the adoption test runs
// the READMEs' `yarn add <name>` verbatim against tarballs packed from this
// checkout (the app's other packages still come from the real registry).
// Serves, on 127.0.0.1, the npm packument (`GET /<name>`) and the tarball
// (`GET /-/<file>`) of every `*.tgz` in TARBALL_DIR. Each version's `time` is
// set 30 days back: the stand-in plays a release that has been public longer
// than the `npmMinimalAgeGate` (3d) a new Backstage app sets.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';

const [dir, port] = process.argv.slice(2);
if (!dir || !port) {
  console.error('usage: local-registry.mjs TARBALL_DIR PORT');
  process.exit(2);
}
const base = `http://127.0.0.1:${port}`;
const published = new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString();

/** name -> packument */
const packuments = new Map();
/** file name -> absolute path */
const tarballs = new Map();
for (const file of readdirSync(dir).filter(f => f.endsWith('.tgz'))) {
  const path = join(dir, file);
  const bytes = readFileSync(path);
  const manifest = JSON.parse(
    execFileSync('tar', ['-xzOf', path, 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
  tarballs.set(file, path);
  const packument = packuments.get(manifest.name) ?? {
    name: manifest.name,
    'dist-tags': {},
    versions: {},
    time: {},
  };
  packument.versions[manifest.version] = {
    ...manifest,
    dist: {
      tarball: `${base}/-/${file}`,
      shasum: createHash('sha1').update(bytes).digest('hex'),
      integrity: `sha512-${createHash('sha512')
        .update(bytes)
        .digest('base64')}`,
    },
  };
  packument['dist-tags'].latest = manifest.version;
  packument.time[manifest.version] = published;
  packuments.set(manifest.name, packument);
}

const server = http.createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, base).pathname);
  if (path.startsWith('/-/') && tarballs.has(path.slice(3))) {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    res.end(readFileSync(tarballs.get(path.slice(3))));
    return;
  }
  const packument = packuments.get(path.slice(1));
  if (packument) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(packument));
    return;
  }
  res.writeHead(404, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: `not found: ${path}` }));
});
server.listen(Number(port), '127.0.0.1', () => {
  console.log(
    `local registry on ${base}: ${[...packuments.keys()].join(', ')}`,
  );
});
