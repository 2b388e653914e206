import fs from 'fs';
import path from 'path';
import { ParseResult, ParsedExternalSecret } from '../types/validation';
import {
  DATA,
  STORE,
  externalSecret,
  withTarget,
} from './__fixtures__/manifests';
import { parseExternalSecret } from './parseExternalSecret';

const SEED = fs.readFileSync(
  path.join(__dirname, '__fixtures__', 'seed-externalsecret.yaml'),
  'utf8',
);

const messages = (result: ParseResult<unknown>) =>
  result.issues.map(i => i.message);

function parsedValue(
  result: ParseResult<ParsedExternalSecret>,
): ParsedExternalSecret {
  if (!result.ok)
    throw new Error(`expected ok, got ${messages(result).join('; ')}`);
  return result.value;
}

describe('parseExternalSecret', () => {
  describe('the seed manifest', () => {
    it('should parse the seed verbatim with target my-secret, key api-key and the ClusterSecretStore', () => {
      const result = parseExternalSecret(SEED);

      const { externalSecret: es, dataIndexes } = parsedValue(result);
      expect(result.issues).toEqual([]);
      expect(es.spec.target.name).toBe('my-secret');
      expect(es.spec.secretStoreRef).toEqual({
        name: 'infisical-archon-platform',
        kind: 'ClusterSecretStore',
      });
      expect(es.spec.data).toEqual([
        {
          secretKey: 'api-key',
          remoteRef: {
            key: 'MY_SECRET_NAME',
            decodingStrategy: 'None',
            conversionStrategy: 'Default',
            metadataPolicy: 'None',
          },
        },
      ]);
      expect(dataIndexes).toEqual([0]);
    });

    it('should give the same result for the seed as JSON text and as an object', () => {
      const fromYaml = parseExternalSecret(SEED);
      const object = parsedValue(fromYaml).externalSecret;

      expect(parseExternalSecret(JSON.stringify(object))).toEqual(fromYaml);
      expect(parseExternalSecret(object)).toEqual(fromYaml);
    });
  });

  describe('defaults', () => {
    it("should fill ESO's defaults for a minimal manifest", () => {
      const result = parseExternalSecret(
        externalSecret(
          'secretStoreRef: {name: vault}',
          'data: [{secretKey: k, remoteRef: {key: K}}]',
          'dataFrom: [{find: {name: {regexp: ^DB_}}}]',
        ),
      );

      const { spec } = parsedValue(result).externalSecret;
      expect(spec).toEqual({
        secretStoreRef: { name: 'vault', kind: 'SecretStore' },
        target: {
          name: 'my-secret',
          creationPolicy: 'Owner',
          deletionPolicy: 'Retain',
          immutable: false,
        },
        refreshInterval: '1h',
        refreshPolicy: 'Periodic',
        data: [
          {
            secretKey: 'k',
            remoteRef: {
              key: 'K',
              decodingStrategy: 'None',
              conversionStrategy: 'Default',
              metadataPolicy: 'None',
            },
          },
        ],
        dataFrom: [
          {
            find: {
              name: { regexp: '^DB_' },
              decodingStrategy: 'None',
              conversionStrategy: 'Default',
            },
          },
        ],
      });
    });

    it('should fill template defaults (engine v2, mergePolicy Replace, templateFrom target Data)', () => {
      const result = parseExternalSecret(
        withTarget(
          "{template: {data: {url: 'https://{{ .api-key }}'}, templateFrom: [{literal: 'x: y'}]}}",
        ),
      );

      expect(parsedValue(result).externalSecret.spec.target.template).toEqual({
        engineVersion: 'v2',
        mergePolicy: 'Replace',
        data: { url: 'https://{{ .api-key }}' },
        templateFrom: [{ literal: 'x: y', target: 'Data' }],
      });
    });

    // ESO apis/externalsecrets/v1 TemplateFrom: configMap and secret items
    // default to templateAs Values (rendered by the node core).
    it('should accept templateFrom configMap and secret sources', () => {
      const result = parseExternalSecret(
        withTarget(
          '{template: {templateFrom: [{configMap: {name: tpl, items: [{key: config.yaml}]}, target: Labels}, {secret: {name: tpl-s, items: [{key: a, templateAs: KeysAndValues}]}}]}}',
        ),
      );

      expect(result.issues).toEqual([]);
      expect(
        parsedValue(result).externalSecret.spec.target.template?.templateFrom,
      ).toEqual([
        {
          configMap: {
            name: 'tpl',
            items: [{ key: 'config.yaml', templateAs: 'Values' }],
          },
          target: 'Labels',
        },
        {
          secret: {
            name: 'tpl-s',
            items: [{ key: 'a', templateAs: 'KeysAndValues' }],
          },
          target: 'Data',
        },
      ]);
    });

    it('should treat null fields as absent, as the Kubernetes API server does', () => {
      const result = parseExternalSecret(
        externalSecret(STORE, 'target: null', 'refreshInterval: null', DATA),
      );

      const { spec } = parsedValue(result).externalSecret;
      expect(spec.target.name).toBe('my-secret');
      expect(spec.refreshInterval).toBe('1h');
    });

    // ESO's controller names the Secret after the ExternalSecret when
    // target.name is empty (externalsecret_controller.go: `if secretName ==
    // "" { secretName = externalSecret.Name }`); a declared manifest reaches
    // that code without the CRD's minLength.
    it('should name the Secret after the ExternalSecret when target.name is ""', () => {
      const result = parseExternalSecret(withTarget('{name: ""}'));

      expect(parsedValue(result).externalSecret.spec.target.name).toBe(
        'my-secret',
      );
    });

    it('should accept refreshInterval "0" (sync once)', () => {
      const result = parseExternalSecret(
        externalSecret(STORE, 'refreshInterval: "0"', DATA),
      );

      expect(parsedValue(result).externalSecret.spec.refreshInterval).toBe('0');
    });
  });

  it('should accept external-secrets.io/v1beta1 with a deprecation warning', () => {
    const result = parseExternalSecret(
      SEED.replace('external-secrets.io/v1', 'external-secrets.io/v1beta1'),
    );

    expect(result.ok).toBe(true);
    expect(result.issues).toEqual([
      {
        severity: 'warning',
        path: 'apiVersion',
        message:
          'apiVersion "external-secrets.io/v1beta1": deprecated: ESO no longer serves v1beta1; use external-secrets.io/v1 (same shape)',
      },
    ]);
  });

  describe('object-level problems', () => {
    it.each([
      ['42', ['(root) 42: must be an object (an ExternalSecret manifest)']],
      ['[1, 2]', ['(root): must be an object (an ExternalSecret manifest)']],
      ['', ['(root): must not be empty: expected a YAML or JSON manifest']],
      [
        'a: 1\n---\nb: 2',
        [
          '(root): holds 2 YAML documents, expected one; use parseManifests for multi-document text',
        ],
      ],
      [
        'kind: ExternalSecret\nkind: SecretStore',
        ['(root): invalid YAML at line 2, column 1: Map keys must be unique'],
      ],
      [
        SEED.replace('external-secrets.io/v1', 'external-secrets.io/v2'),
        [
          'apiVersion "external-secrets.io/v2": must be one of external-secrets.io/v1, external-secrets.io/v1beta1',
        ],
      ],
      [
        SEED.replace('kind: ExternalSecret', 'kind: Secret'),
        ['kind "Secret": must be ExternalSecret'],
      ],
      [
        SEED.replace('  name: my-secret\n  namespace', '  namespace'),
        ['metadata.name: is required'],
      ],
      [
        SEED.replace(
          '  name: my-secret\n  namespace',
          '  name: My_Secret\n  namespace',
        ),
        [
          "metadata.name \"My_Secret\": must be a DNS subdomain: at most 253 lowercase letters, digits, '-' or '.', starting and ending with a letter or digit",
        ],
      ],
      [
        SEED.replace('namespace: my-namespace', 'namespace: my.namespace'),
        [
          'metadata.namespace "my.namespace": must be a DNS label: at most 63 lowercase letters, digits or \'-\', starting and ending with a letter or digit',
        ],
      ],
      [
        'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: a}',
        ['spec: is required'],
      ],
    ])('should refuse %j', (input, expected) => {
      const result = parseExternalSecret(input);

      expect(result.ok).toBe(false);
      expect(messages(result)).toEqual(expected);
    });

    it.each([
      [
        '{name: Bad_Name}',
        "spec.target.name \"Bad_Name\": must be a DNS subdomain: at most 253 lowercase letters, digits, '-' or '.', starting and ending with a letter or digit",
      ],
      [
        '{creationPolicy: Always}',
        'spec.target.creationPolicy "Always": must be one of Owner, Orphan, Merge, None, CreateOrMerge',
      ],
      ['{immutable: "yes"}', 'spec.target.immutable "yes": must be a boolean'],
      ['[]', 'spec.target: must be an object'],
    ])('should refuse a bad spec.target %j', (target, expected) => {
      const result = parseExternalSecret(withTarget(target));

      expect(result.ok).toBe(false);
      expect(messages(result)).toEqual([expected]);
    });

    it.each([
      [
        'refreshInterval: 1d',
        'spec.refreshInterval "1d": must be a Go duration such as 1h, 30m or 1h30m (units ns, us, ms, s, m, h)',
      ],
      [
        'refreshInterval: "10"',
        'spec.refreshInterval "10": must be a Go duration such as 1h, 30m or 1h30m (units ns, us, ms, s, m, h)',
      ],
      [
        'refreshInterval: -1h',
        'spec.refreshInterval "-1h": must not be negative',
      ],
      ['refreshInterval: 0', 'spec.refreshInterval 0: must be a string'],
      [
        'refreshPolicy: Hourly',
        'spec.refreshPolicy "Hourly": must be one of Periodic, OnChange, CreatedOnce',
      ],
      ['data: {secretKey: a}', 'spec.data: must be a list'],
    ])('should refuse %j', (line, expected) => {
      const entries = line.startsWith('data') ? [] : [DATA];
      const result = parseExternalSecret(
        externalSecret(STORE, line, ...entries),
      );

      expect(result.ok).toBe(false);
      expect(messages(result)).toEqual([expected]);
    });
  });

  describe('cross-field rules', () => {
    it.each([
      [
        'Merge',
        'Delete',
        'spec.target.deletionPolicy "Delete": not allowed with creationPolicy Merge: Delete needs a Secret this ExternalSecret owns (creationPolicy Owner or Orphan)',
      ],
      [
        'None',
        'Delete',
        'spec.target.deletionPolicy "Delete": not allowed with creationPolicy None: Delete needs a Secret this ExternalSecret owns (creationPolicy Owner or Orphan)',
      ],
      [
        'CreateOrMerge',
        'Delete',
        'spec.target.deletionPolicy "Delete": not allowed with creationPolicy CreateOrMerge: Delete needs a Secret this ExternalSecret owns (creationPolicy Owner or Orphan)',
      ],
      [
        'None',
        'Merge',
        'spec.target.deletionPolicy "Merge": not allowed with creationPolicy None: there is no Secret to merge with',
      ],
    ])(
      'should refuse creationPolicy %s with deletionPolicy %s',
      (creation, deletion, expected) => {
        const result = parseExternalSecret(
          withTarget(
            `{creationPolicy: ${creation}, deletionPolicy: ${deletion}}`,
          ),
        );

        expect(result.ok).toBe(false);
        expect(messages(result)).toEqual([expected]);
      },
    );

    it.each([
      ['Owner', 'Delete'],
      ['Orphan', 'Delete'],
      ['Merge', 'Merge'],
      ['CreateOrMerge', 'Merge'],
      ['None', 'Retain'],
    ])(
      'should accept creationPolicy %s with deletionPolicy %s',
      (creation, deletion) => {
        const result = parseExternalSecret(
          withTarget(
            `{creationPolicy: ${creation}, deletionPolicy: ${deletion}}`,
          ),
        );

        expect(parsedValue(result).externalSecret.spec.target).toMatchObject({
          creationPolicy: creation,
          deletionPolicy: deletion,
        });
      },
    );

    it('should refuse a manifest with nothing to sync', () => {
      const result = parseExternalSecret(externalSecret(STORE, 'data: []'));

      expect(result.ok).toBe(false);
      expect(messages(result)).toEqual([
        'spec: must set data, dataFrom or target.template (data or templateFrom): nothing would be synced',
      ]);
    });

    it('should accept a template-only manifest', () => {
      const result = parseExternalSecret(
        externalSecret(STORE, 'target: {template: {data: {mode: production}}}'),
      );

      expect(result.ok).toBe(true);
    });

    it('should refuse entries that have no store to read from', () => {
      const result = parseExternalSecret(
        externalSecret(
          'data: [{secretKey: a, remoteRef: {key: A}}, {secretKey: b, remoteRef: {key: B}, sourceRef: {storeRef: {name: other}}}]',
          'dataFrom: [{extract: {key: JSON}}]',
        ),
      );

      expect(result.ok).toBe(false);
      expect(messages(result)).toEqual([
        'spec.data[0]: has no store to read from: set spec.secretStoreRef or sourceRef.storeRef on this entry',
        'spec.dataFrom[0]: has no store to read from: set spec.secretStoreRef or sourceRef.storeRef on this entry',
      ]);
    });

    it('should accept per-entry stores without spec.secretStoreRef', () => {
      const result = parseExternalSecret(
        externalSecret(
          'data: [{secretKey: b, remoteRef: {key: B}, sourceRef: {storeRef: {name: other, kind: ClusterSecretStore}}}]',
        ),
      );

      const { spec } = parsedValue(result).externalSecret;
      expect(spec.secretStoreRef).toBeUndefined();
      expect(spec.data[0].sourceRef).toEqual({
        storeRef: { name: 'other', kind: 'ClusterSecretStore' },
      });
    });

    it('should refuse a duplicate secretKey, naming both entries', () => {
      const result = parseExternalSecret(
        externalSecret(
          STORE,
          'data: [{secretKey: api-key, remoteRef: {key: A}}, {secretKey: other, remoteRef: {key: B}}, {secretKey: api-key, remoteRef: {key: C}}]',
        ),
      );

      expect(result.ok).toBe(false);
      expect(messages(result)).toEqual([
        'spec.data[2].secretKey "api-key": duplicate of spec.data[0].secretKey: each secretKey must be unique',
      ]);
    });

    // ESO's webhook refuses duplicates only under deletionPolicy Retain
    // (externalsecret_validator.go, validateDuplicateKeys); otherwise the
    // controller lets the later data entry win.
    it('should accept a duplicate secretKey under deletionPolicy Delete, as ESO does', () => {
      const result = parseExternalSecret(
        externalSecret(
          STORE,
          'target: {deletionPolicy: Delete}',
          'data: [{secretKey: api-key, remoteRef: {key: A}}, {secretKey: api-key, remoteRef: {key: C}}]',
        ),
      );

      expect(result.ok).toBe(true);
    });
  });

  describe('entry-level isolation', () => {
    const manifest = externalSecret(
      STORE,
      'data:',
      '  - {secretKey: good-0, remoteRef: {key: A}}',
      '  - {secretKey: good-1, remoteRef: {key: B}}',
      '  - {secretKey: a b, remoteRef: {key: C}}',
      '  - {secretKey: good-3, remoteRef: {key: D}}',
      '  - {remoteRef: {key: E}}',
      'dataFrom:',
      '  - {extract: {key: JSON}, find: {path: /app}}',
      '  - {find: {tags: {team: payments}}}',
    );

    it('should keep the valid entries, mapped back to their manifest indexes', () => {
      const value = parsedValue(parseExternalSecret(manifest));

      expect(value.externalSecret.spec.data.map(d => d.secretKey)).toEqual([
        'good-0',
        'good-1',
        'good-3',
      ]);
      expect(value.dataIndexes).toEqual([0, 1, 3]);
      expect(value.externalSecret.spec.dataFrom).toHaveLength(1);
      expect(value.dataFromIndexes).toEqual([1]);
    });

    it('should report each bad entry with its secret key, remote key and field-path messages', () => {
      const value = parsedValue(parseExternalSecret(manifest));

      expect(value.invalidEntries).toEqual([
        {
          field: 'data',
          index: 2,
          secretKey: 'a b',
          remoteKey: 'C',
          issues: [
            {
              severity: 'error',
              path: 'spec.data[2].secretKey',
              message:
                'spec.data[2].secretKey "a b": must match ^[-._a-zA-Z0-9]+$',
            },
          ],
        },
        {
          field: 'data',
          index: 4,
          remoteKey: 'E',
          issues: [
            {
              severity: 'error',
              path: 'spec.data[4].secretKey',
              message: 'spec.data[4].secretKey: is required',
            },
          ],
        },
        {
          field: 'dataFrom',
          index: 0,
          remoteKey: 'JSON',
          issues: [
            {
              severity: 'error',
              path: 'spec.dataFrom[0]',
              message:
                'spec.dataFrom[0]: must set exactly one of extract, find or sourceRef.generatorRef (found extract and find)',
            },
          ],
        },
      ]);
      expect(value.issues).toEqual(value.invalidEntries.flatMap(e => e.issues));
    });

    it.each([
      ['{secretKey: k}', 'spec.data[0].remoteRef: is required'],
      [
        '{secretKey: k, remoteRef: {key: ""}}',
        'spec.data[0].remoteRef.key "": must not be empty',
      ],
      [
        '{secretKey: "", remoteRef: {key: K}}',
        'spec.data[0].secretKey "": must not be empty',
      ],
      [
        '{secretKey: 42, remoteRef: {key: K}}',
        'spec.data[0].secretKey 42: must be a string',
      ],
      [
        '{secretKey: k, remoteRef: {key: K, decodingStrategy: Hex}}',
        'spec.data[0].remoteRef.decodingStrategy "Hex": must be one of None, Base64, Base64URL, Auto',
      ],
      [
        '{secretKey: k, remoteRef: {key: K}, sourceRef: {}}',
        'spec.data[0].sourceRef: must set exactly one of storeRef or generatorRef (found none)',
      ],
      ['just-a-string', 'spec.data[0] "just-a-string": must be an object'],
    ])('should fail only the data entry %j', (entry, expected) => {
      const result = parseExternalSecret(
        externalSecret(
          STORE,
          `data: [${entry}, {secretKey: ok, remoteRef: {key: OK}}]`,
        ),
      );

      const value = parsedValue(result);
      expect(value.invalidEntries.map(e => e.index)).toEqual([0]);
      expect(messages(result)).toEqual([expected]);
      expect(value.dataIndexes).toEqual([1]);
    });

    it.each([
      [
        '{}',
        'spec.dataFrom[0]: must set exactly one of extract, find or sourceRef.generatorRef (found none)',
      ],
      [
        '{sourceRef: {storeRef: {name: other}}}',
        'spec.dataFrom[0]: must set exactly one of extract, find or sourceRef.generatorRef (found none)',
      ],
      [
        '{find: {}}',
        'spec.dataFrom[0].find: must set at least one of name, tags or path',
      ],
      [
        '{find: {name: {regexp: "db-("}}}',
        'spec.dataFrom[0].find.name.regexp "db-(": must be a valid Go regular expression: missing closing ): `db-(`',
      ],
      [
        '{find: {path: /app}, rewrite: [{}]}',
        'spec.dataFrom[0].rewrite[0]: must set exactly one of regexp, transform or merge (found none)',
      ],
      [
        '{find: {path: /app}, rewrite: [{regexp: {source: "(?=x)", target: y}}]}',
        'spec.dataFrom[0].rewrite[0].regexp.source "(?=x)": must be a valid Go regular expression: invalid or unsupported Perl syntax: `(?=`',
      ],
      ['{extract: {}}', 'spec.dataFrom[0].extract.key: is required'],
    ])('should fail only the dataFrom entry %j', (entry, expected) => {
      const result = parseExternalSecret(
        externalSecret(STORE, DATA, `dataFrom: [${entry}]`),
      );

      const value = parsedValue(result);
      expect(value.invalidEntries).toEqual([
        expect.objectContaining({ field: 'dataFrom', index: 0 }),
      ]);
      expect(messages(result)).toEqual([expected]);
    });

    it.each([
      ['{extract: {key: JSON_BLOB, property: db}}'],
      ['{find: {path: /app}}'],
      ['{find: {tags: {env: prod}}}'],
      [
        '{find: {name: {regexp: "(?i)^db_"}}, rewrite: [{regexp: {source: "^DB_(?P<rest>.*)", target: "$1"}}]}',
      ],
      ['{extract: {key: K}, sourceRef: {storeRef: {name: other}}}'],
    ])('should accept the dataFrom entry %j', entry => {
      const result = parseExternalSecret(
        externalSecret(STORE, `dataFrom: [${entry}]`),
      );

      expect(parsedValue(result).dataFromIndexes).toEqual([0]);
      expect(result.issues).toEqual([]);
    });
  });

  describe('ESO fields we do not implement', () => {
    it.each([
      [
        'data: [{secretKey: k, remoteRef: {key: K}, sourceRef: {generatorRef: {kind: Password, name: pw}}}]',
        'unsupported: spec.data[0].sourceRef.generatorRef: generators are not implemented; read from a store instead',
      ],
      [
        'dataFrom: [{sourceRef: {generatorRef: {kind: Password, name: pw}}}]',
        'unsupported: spec.dataFrom[0].sourceRef.generatorRef: generators are not implemented; read from a store instead',
      ],
      [
        'data: [{secretKey: k, remoteRef: {key: K, metadataPolicy: Fetch}}]',
        'unsupported: spec.data[0].remoteRef.metadataPolicy "Fetch": fetching provider metadata (tags, labels) is not implemented',
      ],
      [
        'dataFrom: [{extract: {key: K, metadataPolicy: Fetch}}]',
        'unsupported: spec.dataFrom[0].extract.metadataPolicy "Fetch": fetching provider metadata (tags, labels) is not implemented',
      ],
      [
        'dataFrom: [{find: {path: /}, rewrite: [{merge: {into: config, strategy: JSON}}]}]',
        'unsupported: spec.dataFrom[0].rewrite[0].merge: rewrite.merge is not implemented; use rewrite.regexp or rewrite.transform',
      ],
    ])('should fail the entry using %j', (entries, expected) => {
      const result = parseExternalSecret(
        externalSecret(STORE, entries, entries.startsWith('data:') ? '' : DATA),
      );

      const value = parsedValue(result);
      expect(value.invalidEntries).toHaveLength(1);
      expect(result.issues).toEqual([
        expect.objectContaining({ severity: 'unsupported', message: expected }),
      ]);
    });

    it.each([
      [
        "syncWindows: {kind: deny, windows: [{schedule: '0 22 * * *', duration: 8h}]}",
        'unsupported: spec.syncWindows: sync windows are not implemented; refreshes follow refreshInterval',
      ],
      [
        'target: {manifest: {apiVersion: v1, kind: ConfigMap}}',
        'unsupported: spec.target.manifest: writing resources other than a Secret is not implemented',
      ],
      [
        "target: {template: {engineVersion: v1, data: {a: '{{ .k }}'}}}",
        'unsupported: spec.target.template.engineVersion "v1": template engine v1 is not implemented; use v2',
      ],
      [
        'target: {template: {templateFrom: [{literal: "a: b", valuesDecodingStrategy: Base64}]}}',
        'unsupported: spec.target.template.templateFrom[0].valuesDecodingStrategy "Base64": decoding rendered template values is not implemented',
      ],
    ])('should fail the object using %j', (line, expected) => {
      const result = parseExternalSecret(externalSecret(STORE, line, DATA));

      expect(result.ok).toBe(false);
      expect(result.issues).toEqual([
        {
          severity: 'unsupported',
          path: expect.any(String),
          message: expected,
        },
      ]);
    });

    // Implemented as ESO does (runtime/esutils/utils.go RewriteTransform, convert).
    it.each([
      'data: [{secretKey: k, remoteRef: {key: K, conversionStrategy: Unicode}}]',
      'dataFrom: [{extract: {key: K, conversionStrategy: Unicode}}]',
      'dataFrom: [{find: {path: /, conversionStrategy: Unicode}}]',
      'dataFrom: [{find: {path: /}, rewrite: [{transform: {template: "{{ .value | upper }}"}}]}]',
      'dataFrom: [{find: {path: /}, rewrite: [{regexp: {source: "^a", target: ""}}, {transform: {template: "x-{{ .value }}"}}]}]',
    ])('should accept %j', entries => {
      const result = parseExternalSecret(
        externalSecret(STORE, entries, entries.startsWith('data:') ? '' : DATA),
      );

      expect(parsedValue(result).invalidEntries).toEqual([]);
      expect(result.issues).toEqual([]);
    });

    it('should accept nullBytePolicy Ignore, which is what we do', () => {
      const result = parseExternalSecret(
        externalSecret(
          STORE,
          'data: [{secretKey: k, remoteRef: {key: K, nullBytePolicy: Ignore}}]',
        ),
      );

      expect(parsedValue(result).dataIndexes).toEqual([0]);
      expect(result.issues).toEqual([]);
    });
  });

  describe('template safety', () => {
    it.each([
      [
        '{type: kubernetes.io/service-account-token}',
        'spec.target.template.type "kubernetes.io/service-account-token": not allowed: Kubernetes would mint a service-account token into this Secret (no service-account token minting)',
      ],
      [
        '{type: bootstrap.kubernetes.io/token}',
        'spec.target.template.type "bootstrap.kubernetes.io/token": not allowed: a bootstrap token Secret grants credentials to join the cluster (no token minting)',
      ],
      [
        '{metadata: {annotations: {kubernetes.io/service-account.name: default}}}',
        'spec.target.template.metadata.annotations["kubernetes.io/service-account.name"] "default": not allowed: this annotation makes Kubernetes mint a token for the named service account (no service-account token minting)',
      ],
      [
        '{templateFrom: [{literal: "x", target: Type}]}',
        'spec.target.template.templateFrom[0].target "Type": must be one of Data, Annotations or Labels: other targets would write privileged Secret fields',
      ],
      [
        '{templateFrom: [{literal: "x", target: metadata.ownerReferences}]}',
        'spec.target.template.templateFrom[0].target "metadata.ownerReferences": must be one of Data, Annotations or Labels: other targets would write privileged Secret fields',
      ],
    ])('should refuse the template %j', (template, expected) => {
      const result = parseExternalSecret(withTarget(`{template: ${template}}`));

      expect(result.ok).toBe(false);
      expect(messages(result)).toEqual([expected]);
    });

    it('should accept templateFrom targets case-insensitively, as ESO does, in canonical form', () => {
      const result = parseExternalSecret(
        withTarget(
          '{template: {templateFrom: [{literal: "a: b", target: annotations}, {literal: "c: d", target: LABELS}]}}',
        ),
      );

      expect(
        parsedValue(
          result,
        ).externalSecret.spec.target.template?.templateFrom?.map(t => t.target),
      ).toEqual(['Annotations', 'Labels']);
    });
  });

  describe('unknown fields', () => {
    it('should warn about each unknown field and still parse', () => {
      const manifest = externalSecret(
        STORE,
        'refreshIntervall: 5m',
        'data: [{secretKey: k, remoteRef: {key: K, propery: x}}]',
      );

      const result = parseExternalSecret(`${manifest}\nextra: true`);

      expect(result.ok).toBe(true);
      expect(result.issues).toEqual([
        {
          severity: 'warning',
          path: 'spec.refreshIntervall',
          message: 'spec.refreshIntervall: unknown field, ignored',
        },
        {
          severity: 'warning',
          path: 'extra',
          message: 'extra: unknown field, ignored',
        },
        {
          severity: 'warning',
          path: 'spec.data[0].remoteRef.propery',
          message: 'spec.data[0].remoteRef.propery: unknown field, ignored',
        },
      ]);
      expect(parsedValue(result).invalidEntries).toEqual([]);
    });

    it('should not report the usual Kubernetes metadata and status fields', () => {
      const withMetadata = SEED.replace(
        '  namespace: my-namespace',
        '  namespace: my-namespace\n  creationTimestamp: "2026-01-01T00:00:00Z"\n  managedFields: []',
      );
      const status =
        'status:\n  refreshTime: "2026-01-01T00:00:00Z"\n  conditions: [{type: Ready, status: "True", reason: SecretSynced, message: ok, lastTransitionTime: "2026-01-01T00:00:00Z"}]\n  observedGeneration: 3\n';

      const result = parseExternalSecret(`${withMetadata}${status}`);

      const { externalSecret: es } = parsedValue(result);
      expect(result.issues).toEqual([]);
      expect(es.status?.conditions?.[0]).toMatchObject({
        type: 'Ready',
        status: 'True',
        reason: 'SecretSynced',
      });
    });

    it('should drop an unreadable status with a warning', () => {
      const result = parseExternalSecret(
        `${SEED}status: {conditions: [{type: Bogus}]}\n`,
      );

      expect(parsedValue(result).externalSecret.status).toBeUndefined();
      expect(messages(result)).toEqual([
        'status: ignored: not a readable ExternalSecret status',
      ]);
    });
  });

  describe('secret values', () => {
    const CANARY = 'CANARY-9f2c1e-do-not-print';

    it('should not echo a template value in its error', () => {
      const result = parseExternalSecret(
        withTarget(`{template: {data: {password: [${CANARY}]}}}`),
      );

      expect(messages(result)).toEqual([
        'spec.target.template.data.password: must be a string',
      ]);
    });

    it('should not echo manifest lines in YAML errors', () => {
      const result = parseExternalSecret(`${SEED}  password: "${CANARY}\n`);

      expect(JSON.stringify(result)).not.toContain(CANARY);
      expect(result.ok).toBe(false);
      expect(messages(result)[0]).toMatch(
        /^\(root\): invalid YAML at line \d+, column \d+: /,
      );
    });
  });
});
