import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Config dumps (`backstage-cli config:print`, the frontend's config) must never
 * carry credentials: every credential-like key of our plugins' config schemas
 * is `@visibility secret`, and no frontend package exposes one.
 */
const PLUGINS_DIR = resolve(__dirname, '../../..');

/** Key names that hold, or point at, credential material. */
const CREDENTIAL_LIKE =
  /(token|secret|password|passwd|credential|apikey|privatekey|clientid|cadata|cafile|certificate)/i;
/** Names that contain a credential word without being one (the ExternalSecret kind, the AWS service name). */
const NOT_CREDENTIAL = /externalsecret|secretsmanager/i;

type SchemaKey = {
  file: string;
  path: string;
  visibility?: string;
  /** An object or array of objects: its leaves carry the values. */
  container: boolean;
};

/** The keys a `config.d.ts` declares, with their dotted path and `@visibility`. */
function schemaKeys(file: string): SchemaKey[] {
  const text = readFileSync(file, 'utf8');
  const keys: SchemaKey[] = [];
  const stack: string[] = [];
  let comment = '';
  let inComment = false;
  for (const line of text.split('\n')) {
    if (line.includes('/**')) {
      inComment = true;
      comment = '';
    }
    if (inComment) {
      comment += `${line}\n`;
      if (line.includes('*/')) inComment = false;
      continue;
    }
    const declaration = /^\s*(\w+)\??:\s*(.*)$/.exec(line);
    if (declaration) {
      const [, name, rest] = declaration;
      const visibility = /@visibility\s+(\w+)/.exec(comment)?.[1];
      const container = /\{\s*$/.test(rest);
      keys.push({
        file,
        path: [...stack, name].join('.'),
        visibility,
        container,
      });
      comment = '';
      if (container) stack.push(name);
    } else if (/^\s*\}/.test(line) && stack.length) {
      stack.pop();
    }
  }
  return keys;
}

const packages = readdirSync(PLUGINS_DIR)
  .map(dir => join(PLUGINS_DIR, dir))
  .filter(dir => existsSync(join(dir, 'package.json')))
  .map(dir => ({
    dir,
    manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')),
  }));
const schemas = packages
  .filter(p => typeof p.manifest.configSchema === 'string')
  .map(p => ({
    role: p.manifest.backstage?.role as string,
    file: join(p.dir, p.manifest.configSchema),
  }));
const credentialKeys = schemas
  .flatMap(s => schemaKeys(s.file).map(k => ({ ...k, role: s.role })))
  .filter(k => !k.container)
  .filter(k => {
    const leaf = k.path.split('.').pop()!;
    const credentialsData = /\.credentials\.data$/.test(k.path);
    return (
      credentialsData ||
      (CREDENTIAL_LIKE.test(leaf) && !NOT_CREDENTIAL.test(leaf))
    );
  });

describe('config visibility', () => {
  it('should find the config schemas and their credential keys', () => {
    expect(schemas.map(s => s.file)).toEqual(
      expect.arrayContaining([
        join(PLUGINS_DIR, 'external-secrets-backend', 'config.d.ts'),
      ]),
    );
    expect(credentialKeys.map(k => k.path)).toEqual(
      expect.arrayContaining([
        'externalSecrets.credentials.data',
        'externalSecrets.clusters.serviceAccountToken',
        'externalSecrets.clusters.caData',
      ]),
    );
  });

  it.each(credentialKeys.map(k => [k.path, k]))(
    'should mark %s as @visibility secret',
    (_path, key) => {
      expect(key.visibility).toBe('secret');
    },
  );

  it('should expose no credential key to the frontend', () => {
    const frontendSchemas = schemas.filter(s => s.role?.startsWith('frontend'));
    const exposed = [
      ...credentialKeys.filter(k => k.visibility === 'frontend'),
      ...frontendSchemas.flatMap(s =>
        schemaKeys(s.file).filter(k => k.visibility === 'frontend'),
      ),
    ].filter(k => CREDENTIAL_LIKE.test(k.path.split('.').pop()!));

    expect(exposed).toEqual([]);
  });
});
