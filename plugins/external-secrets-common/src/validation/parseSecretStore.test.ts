import fs from 'fs';
import path from 'path';
import { ParseResult, ParsedSecretStore } from '../types/validation';
import {
  SCOPE,
  UNIVERSAL_AUTH,
  infisicalStore,
} from './__fixtures__/manifests';
import { parseSecretStore } from './parseSecretStore';

const SEED_STORE = fs.readFileSync(
  path.join(__dirname, '__fixtures__', 'seed-clustersecretstore.yaml'),
  'utf8',
);

const messages = (result: ParseResult<unknown>) =>
  result.issues.map(i => i.message);

function parsedValue(
  result: ParseResult<ParsedSecretStore>,
): ParsedSecretStore {
  if (!result.ok)
    throw new Error(`expected ok, got ${messages(result).join('; ')}`);
  return result.value;
}

const minimal = (...fields: string[]) =>
  `{${[UNIVERSAL_AUTH, SCOPE, ...fields].join(', ')}}`;

function store(kind: string, provider: string, extra = ''): string {
  return `apiVersion: external-secrets.io/v1\nkind: ${kind}\nmetadata: {name: demo, namespace: team-a}\nspec:\n  provider: ${provider}\n${extra}`;
}

describe('parseSecretStore', () => {
  it('should parse the seed-shaped ClusterSecretStore with universal auth and the CA ConfigMap', () => {
    const result = parseSecretStore(SEED_STORE);

    expect(result.issues).toEqual([]);
    expect(parsedValue(result)).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'infisical-archon-platform' },
      spec: {
        provider: {
          infisical: {
            hostAPI: 'https://infisical.internal.example:8443/api',
            caProvider: {
              type: 'ConfigMap',
              name: 'infisical-ca',
              key: 'ca.crt',
              namespace: 'external-secrets',
            },
            auth: {
              universalAuthCredentials: {
                clientId: {
                  name: 'universal-auth-credentials',
                  key: 'clientId',
                  namespace: 'external-secrets',
                },
                clientSecret: {
                  name: 'universal-auth-credentials',
                  key: 'clientSecret',
                  namespace: 'external-secrets',
                },
              },
            },
            secretsScope: {
              projectSlug: 'archon-platform-pzxu',
              environmentSlug: 'prod',
              secretsPath: '/',
              recursive: false,
              expandSecretReferences: true,
            },
          },
        },
      },
    });
  });

  it("should fill the Infisical provider's defaults", () => {
    const result = parseSecretStore(infisicalStore(minimal()));

    expect(parsedValue(result).spec.provider.infisical).toMatchObject({
      hostAPI: 'https://app.infisical.com/api',
      secretsScope: {
        secretsPath: '/',
        recursive: false,
        expandSecretReferences: true,
      },
    });
  });

  it('should accept kubernetes auth with an identity id and an optional token path', () => {
    const result = parseSecretStore(
      infisicalStore(
        `{auth: {kubernetesAuthCredentials: {identityId: {name: k8s-auth, key: identityId}, serviceAccountTokenPath: {name: k8s-auth, key: tokenPath}}}, ${SCOPE}}`,
      ),
    );

    expect(parsedValue(result).spec.provider.infisical?.auth).toEqual({
      kubernetesAuthCredentials: {
        identityId: { name: 'k8s-auth', key: 'identityId' },
        serviceAccountTokenPath: { name: 'k8s-auth', key: 'tokenPath' },
      },
    });
  });

  it('should accept external-secrets.io/v1beta1 stores with a deprecation warning', () => {
    const result = parseSecretStore(
      SEED_STORE.replace(
        'external-secrets.io/v1',
        'external-secrets.io/v1beta1',
      ),
    );

    expect(result.ok).toBe(true);
    expect(messages(result)).toEqual([
      'apiVersion "external-secrets.io/v1beta1": deprecated: ESO no longer serves v1beta1; use external-secrets.io/v1 (same shape)',
    ]);
  });

  describe('provider selection', () => {
    it('should pass a provider of another module through, for that module to validate', () => {
      const result = parseSecretStore(
        store(
          'SecretStore',
          '{aws: {service: SecretsManager, region: eu-west-1}}',
        ),
      );

      expect(result.ok).toBe(true);
      expect(result.ok && result.value.spec.provider).toEqual({
        aws: { service: 'SecretsManager', region: 'eu-west-1' },
      });
    });

    it('should refuse a provider block that is not an object', () => {
      const result = parseSecretStore(store('SecretStore', '{aws: 42}'));

      expect(result.ok).toBe(false);
      expect(result.issues.map(i => i.message)).toEqual([
        'spec.provider.aws 42: must be an object',
      ]);
    });

    it.each([
      ['{}', 'spec.provider: must set exactly one provider (found none)'],
      [
        '{fake: {data: []}, vault: {}}',
        'spec.provider: must set exactly one provider (found fake and vault)',
      ],
    ])('should refuse spec.provider %j', (provider, expected) => {
      const result = parseSecretStore(store('SecretStore', provider));

      expect(result.ok).toBe(false);
      expect(messages(result)).toEqual([expected]);
    });

    it('should refuse a kind that is not a store', () => {
      const result = parseSecretStore(
        store('ExternalSecret', '{fake: {data: []}}'),
      );

      expect(messages(result)).toEqual([
        'kind "ExternalSecret": must be one of SecretStore, ClusterSecretStore',
      ]);
    });
  });

  describe('Infisical rules', () => {
    it.each([
      [
        `{${UNIVERSAL_AUTH}, secretsScope: {environmentSlug: prod}}`,
        'spec.provider.infisical.secretsScope.projectSlug: is required',
      ],
      [
        `{${UNIVERSAL_AUTH}, secretsScope: {projectSlug: p, environmentSlug: ""}}`,
        'spec.provider.infisical.secretsScope.environmentSlug "": must not be empty',
      ],
      [`{${SCOPE}}`, 'spec.provider.infisical.auth: is required'],
      [
        `{auth: {}, ${SCOPE}}`,
        'spec.provider.infisical.auth: must set exactly one auth kind (found none)',
      ],
      [
        `{auth: {universalAuthCredentials: {clientId: {name: ua, key: id}, clientSecret: {name: ua, key: s}}, kubernetesAuthCredentials: {identityId: {name: k, key: id}}}, ${SCOPE}}`,
        'spec.provider.infisical.auth: must set exactly one auth kind (found universalAuthCredentials and kubernetesAuthCredentials)',
      ],
      [
        `{auth: {universalAuthCredentials: {clientId: {name: ua, key: id}, clientSecret: {name: ua}}}, ${SCOPE}}`,
        'spec.provider.infisical.auth.universalAuthCredentials.clientSecret.key: is required',
      ],
      [
        minimal('hostAPI: infisical.example'),
        'spec.provider.infisical.hostAPI "infisical.example": must be an http(s) URL',
      ],
      [
        minimal('caBundle: "not base64!"'),
        'spec.provider.infisical.caBundle "not base64!": must be valid base64 (the PEM bundle, base64-encoded)',
      ],
      [
        minimal(
          'caBundle: TFMwdExTMUNSVWRKVGc9PQ==',
          'caProvider: {type: ConfigMap, name: ca, key: ca.crt, namespace: x}',
        ),
        'spec.provider.infisical.caBundle: must not be set together with caProvider',
      ],
      [
        minimal(
          'caProvider: {type: ConfigMap, name: infisical-ca, key: ca.crt}',
        ),
        'spec.provider.infisical.caProvider.namespace: is required for a ClusterSecretStore',
      ],
      [
        minimal(
          'caProvider: {type: Volume, name: infisical-ca, key: ca.crt, namespace: x}',
        ),
        'spec.provider.infisical.caProvider.type "Volume": must be one of Secret, ConfigMap',
      ],
    ])(
      'should refuse the ClusterSecretStore provider %j',
      (provider, expected) => {
        const result = parseSecretStore(infisicalStore(provider));

        expect(result.ok).toBe(false);
        expect(messages(result)).toEqual([expected]);
      },
    );

    it('should accept a base64 caBundle, wrapped over several lines', () => {
      const result = parseSecretStore(
        infisicalStore(minimal('caBundle: "TFMwdExT\\nMUNSVWRK\\nVGc9PQ=="')),
      );

      expect(parsedValue(result).spec.provider.infisical?.caBundle).toBe(
        'TFMwdExT\nMUNSVWRK\nVGc9PQ==',
      );
    });

    it.each([
      [
        minimal(
          'caProvider: {type: Secret, name: ca, key: ca.crt, namespace: other}',
        ),
        'spec.provider.infisical.caProvider.namespace "other": must be empty for a SecretStore: the CA is read from the store\'s own namespace',
      ],
      [
        `{auth: {universalAuthCredentials: {clientId: {name: ua, key: id, namespace: other}, clientSecret: {name: ua, key: s}}}, ${SCOPE}}`,
        'spec.provider.infisical.auth.universalAuthCredentials.clientId.namespace "other": must be empty or the store\'s own namespace "team-a" for a SecretStore',
      ],
    ])(
      'should refuse the namespaced SecretStore provider %j',
      (provider, expected) => {
        const result = parseSecretStore(
          infisicalStore(provider, {
            kind: 'SecretStore',
            namespace: 'team-a',
          }),
        );

        expect(result.ok).toBe(false);
        expect(messages(result)).toEqual([expected]);
      },
    );

    it.each([
      ['azureAuthCredentials'],
      ['gcpIdTokenAuthCredentials'],
      ['gcpIamAuthCredentials'],
      ['jwtAuthCredentials'],
      ['ldapAuthCredentials'],
      ['ociAuthCredentials'],
      ['awsAuthCredentials'],
      ['tokenAuthCredentials'],
    ])(
      'should record the unsupported auth kind %s for the provider to refuse',
      kind => {
        const result = parseSecretStore(
          infisicalStore(
            `{auth: {${kind}: {identityId: {name: a, key: b}}}, ${SCOPE}}`,
          ),
        );

        expect(parsedValue(result).spec.provider.infisical?.auth).toEqual({
          unsupportedKinds: [kind],
        });
        expect(result.issues).toEqual([
          {
            severity: 'unsupported',
            path: `spec.provider.infisical.auth.${kind}`,
            message: `unsupported: spec.provider.infisical.auth.${kind}: only universalAuthCredentials and kubernetesAuthCredentials are implemented`,
          },
        ]);
      },
    );
  });

  describe('fake provider', () => {
    const CANARY = 'CANARY-41d7-do-not-print';

    it('should parse static data with values, value maps and versions', () => {
      const result = parseSecretStore(
        store(
          'SecretStore',
          `{fake: {data: [{key: a, value: "${CANARY}", version: v1}, {key: b, valueMap: {x: y}}]}}`,
        ),
      );

      expect(parsedValue(result).spec.provider.fake).toEqual({
        data: [
          { key: 'a', value: CANARY, version: 'v1' },
          { key: 'b', valueMap: { x: 'y' } },
        ],
      });
    });

    it.each([
      [
        `{key: a, value: "${CANARY}", valueMap: {x: y}}`,
        'spec.provider.fake.data[0]: must set exactly one of value or valueMap (found value and valueMap)',
      ],
      [
        '{key: a}',
        'spec.provider.fake.data[0]: must set exactly one of value or valueMap (found none)',
      ],
      [
        '{key: a, value: 424242}',
        'spec.provider.fake.data[0].value: must be a string',
      ],
      [
        `{key: a, valueMap: {x: [${CANARY}]}}`,
        'spec.provider.fake.data[0].valueMap.x: must be a string',
      ],
    ])(
      'should refuse the entry %j without echoing values',
      (entry, expected) => {
        const result = parseSecretStore(
          store('SecretStore', `{fake: {data: [${entry}]}}`),
        );

        expect(result.ok).toBe(false);
        expect(messages(result)).toEqual([expected]);
        expect(JSON.stringify(result)).not.toMatch(/CANARY|424242/);
      },
    );

    it('should report validationResult as unsupported', () => {
      const result = parseSecretStore(
        store('SecretStore', '{fake: {data: [], validationResult: 2}}'),
      );

      expect(messages(result)).toEqual([
        'unsupported: spec.provider.fake.validationResult: simulated validation results are not implemented',
      ]);
    });
  });

  describe('store settings', () => {
    it('should parse ClusterSecretStore namespace conditions', () => {
      const result = parseSecretStore(
        store(
          'ClusterSecretStore',
          '{fake: {data: []}}',
          '  conditions:\n    - namespaces: [team-a]\n      namespaceRegexes: ["^team-.*$"]\n      namespaceSelector: {matchLabels: {tier: backend}, matchExpressions: [{key: env, operator: In, values: [prod]}]}\n',
        ),
      );

      expect(parsedValue(result).spec.conditions).toEqual([
        {
          namespaces: ['team-a'],
          namespaceRegexes: ['^team-.*$'],
          namespaceSelector: {
            matchLabels: { tier: 'backend' },
            matchExpressions: [
              { key: 'env', operator: 'In', values: ['prod'] },
            ],
          },
        },
      ]);
    });

    it('should refuse a namespace regex that Go cannot compile', () => {
      const result = parseSecretStore(
        store(
          'ClusterSecretStore',
          '{fake: {data: []}}',
          '  conditions: [{namespaceRegexes: ["team-[a"]}]\n',
        ),
      );

      expect(messages(result)).toEqual([
        'spec.conditions[0].namespaceRegexes[0] "team-[a": must be a valid Go regular expression: missing closing ]: `[a`',
      ]);
    });

    it('should ignore conditions on a namespaced SecretStore, with a warning', () => {
      const result = parseSecretStore(
        store(
          'SecretStore',
          '{fake: {data: []}}',
          '  conditions: [{namespaces: [a]}]\n',
        ),
      );

      expect(parsedValue(result).spec.conditions).toBeUndefined();
      expect(messages(result)).toEqual([
        'spec.conditions: only used by a ClusterSecretStore, ignored',
      ]);
    });

    it.each([
      ['300', 300],
      ['5m', 300],
      ['"0"', 0],
    ])('should read refreshInterval %s as %d seconds', (interval, seconds) => {
      const result = parseSecretStore(
        store(
          'SecretStore',
          '{fake: {data: []}}',
          `  refreshInterval: ${interval}\n`,
        ),
      );

      expect(parsedValue(result).spec.refreshInterval).toBe(seconds);
    });

    it.each([
      ['-5', 'spec.refreshInterval -5: must not be negative'],
      ['-5m', 'spec.refreshInterval "-5m": must not be negative'],
      [
        '1d',
        'spec.refreshInterval "1d": must be an integer number of seconds or a Go duration such as 1h, 30m or 1h30m (units ns, us, ms, s, m, h)',
      ],
    ])('should refuse refreshInterval %s', (interval, expected) => {
      const result = parseSecretStore(
        store(
          'SecretStore',
          '{fake: {data: []}}',
          `  refreshInterval: ${interval}\n`,
        ),
      );

      expect(messages(result)).toEqual([expected]);
    });

    it('should warn about unknown fields and keep the store', () => {
      const result = parseSecretStore(
        infisicalStore(minimal('hostApi: https://x.example')),
      );

      expect(result.ok).toBe(true);
      expect(messages(result)).toEqual([
        'spec.provider.infisical.hostApi: unknown field, ignored',
      ]);
    });
  });
});
