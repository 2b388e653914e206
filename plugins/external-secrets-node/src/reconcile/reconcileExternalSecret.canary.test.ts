import { inspect } from 'node:util';
import { parsedExternalSecret } from '../testUtils/parsedExternalSecret';
import { currentSecret, readFound, readOk } from '../testUtils/reads';
import { NOW } from '../testUtils/syncWithFake';
import { reconcileExternalSecret } from './reconcileExternalSecret';

const CANARY = 'canary-4d1f-do-not-leak';
const variants = [
  CANARY,
  Buffer.from(CANARY).toString('base64'),
  Buffer.from(CANARY).toString('hex'),
];

describe('reconcileExternalSecret canary', () => {
  it('should never put a value anywhere in the result except inside desired.data', () => {
    const parsed = parsedExternalSecret({
      data: [
        { secretKey: 'plain', remoteRef: { key: 'PLAIN' } },
        { secretKey: 'prop', remoteRef: { key: 'JSON', property: 'pw' } },
        {
          secretKey: 'missing-prop',
          remoteRef: { key: 'JSON', property: 'nope' },
        },
        { secretKey: 'not-json', remoteRef: { key: 'PLAIN', property: 'x' } },
        {
          secretKey: 'bad-b64',
          remoteRef: { key: 'PLAIN', decodingStrategy: 'Base64' },
        },
        { secretKey: 'dup', remoteRef: { key: 'PLAIN' } },
      ],
      dataFrom: [
        { extract: { key: 'JSON' } },
        { find: {}, rewrite: [{ regexp: { source: '^', target: 'bad/' } }] },
        { extract: { key: 'PLAIN' } },
      ],
      target: {
        template: {
          mergePolicy: 'Merge',
          data: {
            rendered: 'x{{ .plain }}',
            broken: '{{ .plain | b64dec }}',
            'bad-json': '{{ (fromJson .plain).x }}',
            'field-of-string': '{{ .plain.x }}',
          },
          metadata: { annotations: { note: 'static' } },
        },
      },
    });
    const reads = new Map([
      ['data[0]', readOk(CANARY)],
      ['data[1]', readOk(JSON.stringify({ pw: CANARY, dup: CANARY }))],
      ['data[2]', readOk(JSON.stringify({ pw: CANARY }))],
      ['data[3]', readOk(CANARY)],
      ['data[4]', readOk(CANARY)],
      ['data[5]', readOk(CANARY)],
      ['dataFrom[0]', readOk(JSON.stringify({ dup: CANARY, extra: CANARY }))],
      ['dataFrom[1]', readFound({ K: CANARY })],
      ['dataFrom[2]', readOk(CANARY)],
    ]);
    const current = currentSecret(
      { plain: CANARY, old: CANARY },
      {},
      { immutable: true },
    );

    const result = reconcileExternalSecret({
      parsed,
      reads,
      current,
      now: NOW,
    });

    const outputs = [
      JSON.stringify(result),
      inspect(result, { depth: 10 }),
      result.condition.message,
      ...result.keys.map(k => `${k.message}`),
    ];
    for (const output of outputs) {
      for (const variant of variants) expect(output).not.toContain(variant);
    }
    expect(result.keys.filter(k => k.state === 'error').length).toBeGreaterThan(
      6,
    );
  });

  it('should keep values only in desired.data, where the writer can read them', () => {
    const parsed = parsedExternalSecret({
      data: [{ secretKey: 'plain', remoteRef: { key: 'PLAIN' } }],
    });
    const result = reconcileExternalSecret({
      parsed,
      reads: new Map([['data[0]', readOk(CANARY)]]),
      now: NOW,
    });
    expect(result.desired?.data.plain.text()).toBe(CANARY);
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });
});
