import { LABEL_MANAGED } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  parsedExternalSecret,
  type ExternalSecretFixture,
} from '../testUtils/parsedExternalSecret';
import { currentSecret, readFailed, readOk, texts } from '../testUtils/reads';
import { NOW } from '../testUtils/syncWithFake';
import { reconcileExternalSecret } from './reconcileExternalSecret';
import type { CurrentSecret } from './types';

const OWNED = {
  ownerReferences: [
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      name: 'my-secret',
      uid: 'es-uid-1',
      controller: true,
      blockOwnerDeletion: true,
    },
  ],
};
const DATA = [
  { secretKey: 'user', remoteRef: { key: 'DB_USER' } },
  { secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } },
];
const OK_READS = new Map([
  ['data[0]', readOk('admin')],
  ['data[1]', readOk('s3cret')],
]);

function reconcile(
  target: ExternalSecretFixture['target'],
  reads = OK_READS,
  current?: CurrentSecret,
) {
  const parsed = parsedExternalSecret({ target, data: DATA });
  return reconcileExternalSecret({ parsed, reads, current, now: NOW });
}

describe('reconcileExternalSecret template', () => {
  it('should write only the rendered keys with mergePolicy Replace', () => {
    const result = reconcile({
      template: {
        data: { dsn: 'postgres://{{ .user }}:{{ .password }}@db:5432/app' },
      },
    });
    expect(texts(result.desired?.data)).toEqual({
      dsn: 'postgres://admin:s3cret@db:5432/app',
    });
    expect(result.keys.map(k => [k.source, k.state])).toEqual([
      ['data[0]', 'synced'],
      ['data[1]', 'synced'],
      ['template.data[dsn]', 'synced'],
    ]);
  });

  it('should merge the rendered keys over the fetched keys with mergePolicy Merge', () => {
    const result = reconcile({
      template: {
        mergePolicy: 'Merge',
        data: { user: '{{ .user | upper }}', greeting: 'hi {{ .user }}' },
      },
    });
    expect(texts(result.desired?.data)).toEqual({
      user: 'ADMIN',
      password: 's3cret',
      greeting: 'hi admin',
    });
  });

  it('should set the type and render metadata labels and annotations', () => {
    const result = reconcile({
      template: {
        type: 'kubernetes.io/basic-auth',
        metadata: {
          labels: { app: 'db', owner: '{{ .user }}' },
          annotations: { 'example.com/note': 'rendered for {{ .user }}' },
        },
        data: { username: '{{ .user }}', password: '{{ .password }}' },
      },
    });
    expect(result.desired?.type).toBe('kubernetes.io/basic-auth');
    expect(result.desired?.metadata.labels).toMatchObject({
      app: 'db',
      owner: 'admin',
      [LABEL_MANAGED]: 'true',
    });
    expect(result.desired?.metadata.annotations).toMatchObject({
      'example.com/note': 'rendered for admin',
    });
  });

  it('should keep the fetched keys when the template only sets the type (as ESO does)', () => {
    const result = reconcile({ template: { type: 'kubernetes.io/tls' } });
    expect(texts(result.desired?.data)).toEqual({
      user: 'admin',
      password: 's3cret',
    });
    expect(result.desired?.type).toBe('kubernetes.io/tls');
  });

  it('should keep the current value of a rendered key whose input failed, saying which input', () => {
    const reads = new Map([
      ['data[0]', readOk('admin')],
      ['data[1]', readFailed('TIMEOUT', 'no answer within 10s')],
    ]);
    const current = currentSecret({ dsn: 'old-dsn', static: 'x' }, OWNED);
    const result = reconcile(
      {
        template: {
          data: { dsn: '{{ .user }}:{{ .password }}', static: 'fixed' },
        },
      },
      reads,
      current,
    );
    expect(texts(result.desired?.data)).toEqual({
      dsn: 'old-dsn',
      static: 'fixed',
    });
    const dsn = result.keys.find(k => k.source === 'template.data[dsn]');
    expect(dsn).toMatchObject({ state: 'error', reason: 'InputUnavailable' });
    expect(dsn?.message).toContain(
      'input "password" is unavailable: data[1] failed (ProviderError)',
    );
  });

  it('should not render an empty value through index when its input failed', () => {
    const reads = new Map([
      ['data[0]', readOk('admin')],
      ['data[1]', readFailed('TIMEOUT', 'slow')],
    ]);
    const result = reconcile(
      {
        template: {
          data: { pw: '{{ index . "password" }}', u: '{{ .user }}' },
        },
      },
      reads,
      currentSecret({ pw: 'kept' }, OWNED),
    );
    expect(texts(result.desired?.data)).toEqual({ pw: 'kept', u: 'admin' });
  });

  it('should let a rendered key win over a fetched key of the same name whose read failed (Merge)', () => {
    const reads = new Map([
      ['data[0]', readFailed('TIMEOUT', 'slow')],
      ['data[1]', readOk('s3cret')],
    ]);
    const current = currentSecret({ user: 'old-user', password: 'old' }, OWNED);
    const result = reconcile(
      { template: { mergePolicy: 'Merge', data: { user: 'static-user' } } },
      reads,
      current,
    );
    expect(texts(result.desired?.data)).toEqual({
      user: 'static-user',
      password: 's3cret',
    });
  });

  // ESO's Reconcile returns on a template error before the Secret is written
  // (pkg/controllers/externalsecret/externalsecret_controller.go, Reconcile →
  // ApplyTemplate error → "could not apply template"): a broken template
  // never rewrites a live Secret with partial or empty data (issue #17 item 1).
  it('should write nothing when a template key fails to render, naming the key, position and function', () => {
    const result = reconcile(
      {
        template: {
          data: { good: '{{ .user }}', bad: 'x {{ .user | nope }}' },
        },
      },
      OK_READS,
      currentSecret({ good: 'old-good', bad: 'old-bad' }, OWNED),
    );
    expect(result.action).toBe('none');
    expect(result.desired).toBeUndefined();
    expect(result.keys.find(k => k.secretKey === 'bad')).toMatchObject({
      state: 'error',
      reason: 'TemplateError',
      message: 'template "bad" 1:14: function "nope" not defined',
    });
    expect(result.keys.find(k => k.secretKey === 'good')).toMatchObject({
      state: 'pending',
      reason: 'NotWritten',
    });
    expect(result.condition).toMatchObject({
      status: 'False',
      reason: 'SecretSyncedError',
    });
    expect(result.condition.message).toContain('could not apply template');
    expect(result.condition.message).toContain('function "nope" not defined');
  });

  // ESO renders metadata in the same ApplyTemplate call: its failure is the
  // template error (errApplyTemplate), and the Secret is not written.
  it('should write nothing when template metadata fails to render, as a template error naming the label', () => {
    const result = reconcile(
      { template: { metadata: { labels: { tier: '{{ .user | nope }}' } } } },
      OK_READS,
      currentSecret({ user: 'old' }, OWNED),
    );
    expect(result.action).toBe('none');
    expect(result.desired).toBeUndefined();
    expect(result.condition).toMatchObject({
      status: 'False',
      reason: 'SecretSyncedError',
    });
    expect(result.condition.message).toMatch(
      /^could not apply template, nothing is written: .*metadata\.labels\[tier\].*function "nope" not defined/,
    );
  });

  it('should not create a Secret from a template whose only key fails on a missing input key', () => {
    const result = reconcile({
      template: { data: { dsn: '{{ .missing }}' } },
    });
    expect(result.action).toBe('none');
    expect(result.desired).toBeUndefined();
    expect(result.keys.find(k => k.secretKey === 'dsn')).toMatchObject({
      state: 'error',
      reason: 'TemplateError',
    });
  });

  it('should write nothing when a template key is not a valid Secret key', () => {
    const result = reconcile({
      template: { data: { 'bad key': '{{ .user }}', ok: 'x' } },
    });
    expect(result.keys.find(k => k.secretKey === 'bad key')).toMatchObject({
      reason: 'InvalidKey',
    });
    expect(result.action).toBe('none');
    expect(result.desired).toBeUndefined();
  });

  // ESO pkg/controllers/templating/parser.go: MergeLiteral renders the literal
  // in the keysAndValues scope (its output is a YAML map of keys to values),
  // MergeTemplateFrom runs before MergeMap(template.data), so data keys win.
  it('should render templateFrom literal as keys and values, template.data winning', () => {
    const result = reconcile({
      template: {
        templateFrom: [
          { literal: 'user-copy: "{{ .user }}"\nshared: from-literal' },
        ],
        data: { shared: 'from-data {{ .password }}' },
      },
    });
    expect(texts(result.desired?.data)).toEqual({
      'user-copy': 'admin',
      shared: 'from-data s3cret',
    });
    expect(result.keys.map(k => [k.source, k.secretKey, k.state])).toEqual([
      ['data[0]', 'user', 'synced'],
      ['data[1]', 'password', 'synced'],
      ['template.templateFrom[0].literal', 'user-copy', 'synced'],
      ['template.data[shared]', 'shared', 'synced'],
    ]);
  });

  it.each([
    [
      { engineVersion: 'v1' as const, data: { a: '{{ .user }}' } },
      'unsupported: spec.target.template.engineVersion v1 (only v2 is supported)',
    ],
    [
      { templateFrom: [{ literal: 'a: b!', target: 'Labels' as const }] },
      'template.templateFrom[0].literal: the rendered label value is not a valid label value',
    ],
    [
      { templateFrom: [{ literal: '{{ .nope }}: x' }] },
      'template.templateFrom[0].literal: template "template.templateFrom[0].literal" 1:4: map has no entry for key "nope"',
    ],
    [
      { templateFrom: [{ literal: '- just\n- a list' }] },
      'template.templateFrom[0].literal: the rendered text is not a YAML map',
    ],
    [
      { type: 'bootstrap.kubernetes.io/token' },
      'spec.target.template.type "bootstrap.kubernetes.io/token" is not allowed',
    ],
    [
      {
        type: 'kubernetes.io/service-account-token',
        metadata: {
          annotations: { 'kubernetes.io/service-account.name': 'admin' },
        },
      },
      'with annotation "kubernetes.io/service-account.name" is not allowed',
    ],
    [
      { metadata: { labels: { app: '{{ .password }}!' } } },
      'the rendered label value is not a valid label value',
    ],
    [
      { metadata: { labels: { app: '{{ .missing }}' } } },
      'map has no entry for key "missing"',
    ],
  ])(
    'should write nothing for a template that cannot be used (%#)',
    (template, message) => {
      const result = reconcile({ template });
      expect(result.action).toBe('none');
      expect(result.desired).toBeUndefined();
      expect(result.condition.message).toContain(message);
    },
  );
});
