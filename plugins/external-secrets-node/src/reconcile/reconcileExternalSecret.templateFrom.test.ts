import {
  parsedExternalSecret,
  type ExternalSecretFixture,
} from '../testUtils/parsedExternalSecret';
import { readOk, texts } from '../testUtils/reads';
import { NOW } from '../testUtils/syncWithFake';
import { SecretValue } from '../values/SecretValue';
import { reconcileExternalSecret } from './reconcileExternalSecret';
import { templateSourceRefs } from './templateFrom';
import type { TemplateSources } from './types';

const DATA = [
  { secretKey: 'user', remoteRef: { key: 'DB_USER' } },
  { secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } },
];
const READS = new Map([
  ['data[0]', readOk('admin')],
  ['data[1]', readOk('s3cret')],
]);

const SOURCES: TemplateSources = {
  configMaps: new Map([
    [
      'tpl',
      {
        ok: true as const,
        data: {
          'config.yaml': 'db:\n  user: {{ .user }}\n',
          pairs: 'dsn: "{{ .user }}:{{ .password }}"\nport: "5432"',
          team: '{{ .user | upper }}',
        },
      },
    ],
  ]),
  secrets: new Map([
    [
      'tpl-secret',
      {
        ok: true as const,
        data: { 'note.txt': SecretValue.fromString('hi {{ .user }}') },
      },
    ],
  ]),
};

function reconcile(
  template: NonNullable<ExternalSecretFixture['target']>['template'],
  templateSources: TemplateSources | undefined = SOURCES,
) {
  const parsed = parsedExternalSecret({ target: { template }, data: DATA });
  return reconcileExternalSecret({
    parsed,
    reads: READS,
    now: NOW,
    templateSources,
  });
}

// ESO pkg/controllers/templating/parser.go: MergeConfigMap / MergeSecret
// render each item (templateAs Values: the item's key gets the rendered value;
// KeysAndValues: the rendered text is a YAML map of keys to values) into the
// entry's target (runtime/template/v2/template.go applyToTarget: Data,
// Labels or Annotations); MergeTemplateFrom runs before template.data, whose
// keys win; a missing item is "error in configmap NAME: missing key KEY".
describe('reconcileExternalSecret templateFrom configMap and secret', () => {
  it('should render ConfigMap and Secret items as Values and KeysAndValues', () => {
    const result = reconcile({
      templateFrom: [
        {
          configMap: {
            name: 'tpl',
            items: [
              { key: 'config.yaml', templateAs: 'Values' },
              { key: 'pairs', templateAs: 'KeysAndValues' },
            ],
          },
        },
        { secret: { name: 'tpl-secret', items: [{ key: 'note.txt' }] } },
      ],
      data: { port: '6543' },
    });
    expect(result.action).toBe('create');
    expect(texts(result.desired?.data)).toEqual({
      'config.yaml': 'db:\n  user: admin\n',
      dsn: 'admin:s3cret',
      port: '6543',
      'note.txt': 'hi admin',
    });
  });

  it('should render into labels and annotations, template.metadata winning', () => {
    const result = reconcile({
      templateFrom: [
        {
          configMap: { name: 'tpl', items: [{ key: 'team' }] },
          target: 'Labels',
        },
        {
          literal: 'owner: "{{ .user }}"\nshared: literal',
          target: 'Annotations',
        },
      ],
      metadata: { annotations: { shared: 'metadata' } },
      data: { x: '1' },
    });
    expect(result.desired?.metadata.labels).toMatchObject({ team: 'ADMIN' });
    expect(result.desired?.metadata.annotations).toMatchObject({
      owner: 'admin',
      shared: 'metadata',
    });
  });

  it.each([
    [
      'a ConfigMap that does not exist',
      {
        templateFrom: [{ configMap: { name: 'gone', items: [{ key: 'a' }] } }],
      },
      'template.templateFrom[0].configMap: ConfigMap "gone": not found in the namespace',
    ],
    [
      'a missing item',
      {
        templateFrom: [
          { configMap: { name: 'tpl', items: [{ key: 'nope' }] } },
        ],
      },
      'error in configmap tpl: missing key nope',
    ],
    [
      'a Secret that was not read',
      { templateFrom: [{ secret: { name: 'other', items: [{ key: 'a' }] } }] },
      'template.templateFrom[0].secret: Secret "other" was not read',
    ],
    [
      'an item that fails to render',
      {
        templateFrom: [
          {
            configMap: { name: 'tpl', items: [{ key: 'pairs' }] },
            target: 'Labels' as const,
          },
        ],
      },
      'the rendered label value is not a valid label value',
    ],
  ])('should write nothing and fail on %s', (_, template, message) => {
    const sources: TemplateSources = {
      ...SOURCES,
      configMaps: new Map([
        ...SOURCES.configMaps,
        [
          'gone',
          { ok: false, error: 'ConfigMap "gone": not found in the namespace' },
        ],
      ]),
    };
    const result = reconcile(template, sources);
    expect(result.action).toBe('none');
    expect(result.desired).toBeUndefined();
    expect(result.condition).toMatchObject({ status: 'False' });
    expect(result.condition.message).toContain(message);
  });

  it('should name the ConfigMaps and Secrets to read (the ExternalSecret namespace only)', () => {
    const parsed = parsedExternalSecret({
      target: {
        template: {
          templateFrom: [
            { configMap: { name: 'a', items: [{ key: 'k' }] } },
            { secret: { name: 'b', items: [{ key: 'k' }] } },
            { configMap: { name: 'a', items: [{ key: 'j' }] } },
            { literal: 'x: y' },
          ],
        },
      },
      data: DATA,
    });
    expect(templateSourceRefs(parsed)).toEqual({
      configMaps: ['a'],
      secrets: ['b'],
    });
  });
});
