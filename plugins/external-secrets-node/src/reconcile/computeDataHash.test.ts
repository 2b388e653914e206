import { SecretValue } from '../values/SecretValue';
import {
  DATA_HASHES,
  META_HASHES,
  SEED_CREATED_BY,
} from './__fixtures__/goHashes';
import { computeCreatedByLabel, computeDataHash } from './computeDataHash';
import { formatGoByteMap } from './goObjectHash';
import { syncedResourceVersion } from './syncedResourceVersion';
import { parsedExternalSecret } from '../testUtils/parsedExternalSecret';

const values = (data: Record<string, Uint8Array>) =>
  Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, SecretValue.fromBytes(v)]),
  );

describe('computeDataHash', () => {
  it.each(DATA_HASHES)(
    'should print $name exactly as Go does',
    ({ data, goText }) => {
      expect(formatGoByteMap(Object.entries(data))).toBe(goText);
    },
  );

  it.each(DATA_HASHES)(
    'should hash $name to the value Go computes',
    ({ data, hash }) => {
      expect(computeDataHash(values(data))).toBe(hash);
    },
  );

  it('should not depend on the order keys were inserted', () => {
    const a = {
      x: SecretValue.fromString('1'),
      y: SecretValue.fromString('2'),
    };
    const b = {
      y: SecretValue.fromString('2'),
      x: SecretValue.fromString('1'),
    };
    expect(computeDataHash(a)).toBe(computeDataHash(b));
  });
});

describe('computeCreatedByLabel', () => {
  it('should give the created-by label ESO sets on the seed Secret, short enough for a label value', () => {
    const label = computeCreatedByLabel('my-namespace', 'my-secret');
    expect(label).toBe(SEED_CREATED_BY);
    expect(label.length).toBeLessThanOrEqual(63);
  });
});

describe('syncedResourceVersion', () => {
  it.each(META_HASHES)(
    'should match ESO for $name',
    ({ labels, annotations, hash }) => {
      const { externalSecret } = parsedExternalSecret({
        generation: 3,
        labels,
        annotations,
      });
      expect(syncedResourceVersion(externalSecret)).toBe(`3-${hash}`);
    },
  );
});
