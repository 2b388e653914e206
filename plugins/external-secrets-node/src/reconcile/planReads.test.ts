import { parsedExternalSecret } from '../testUtils/parsedExternalSecret';
import { planReads, storeRefKey } from './planReads';

describe('planReads', () => {
  const parsed = parsedExternalSecret({
    data: [
      { secretKey: 'a', remoteRef: { key: 'A', property: 'p', version: '3' } },
      {
        secretKey: 'b',
        remoteRef: { key: 'B' },
        sourceRef: { storeRef: { name: 'other', kind: 'SecretStore' } },
      },
      {
        secretKey: 'g',
        remoteRef: { key: 'G' },
        sourceRef: { generatorRef: { kind: 'Password', name: 'pw' } },
      },
    ],
    dataFrom: [
      { extract: { key: 'APP', version: '7' } },
      { find: { path: '/app', name: { regexp: '^DB_' } } },
    ],
    dataIndexes: [0, 2, 4],
    dataFromIndexes: [1, 3],
  });

  it('should plan one read per readable entry with manifest indexes as ids', () => {
    expect(planReads(parsed)).toEqual([
      {
        id: 'data[0]',
        storeRef: {
          name: 'infisical-archon-platform',
          kind: 'ClusterSecretStore',
        },
        operation: { kind: 'get', key: 'A', version: '3' },
      },
      {
        id: 'data[2]',
        storeRef: { name: 'other', kind: 'SecretStore' },
        operation: { kind: 'get', key: 'B' },
      },
      {
        id: 'dataFrom[1]',
        storeRef: {
          name: 'infisical-archon-platform',
          kind: 'ClusterSecretStore',
        },
        operation: { kind: 'get', key: 'APP', version: '7' },
      },
      {
        id: 'dataFrom[3]',
        storeRef: {
          name: 'infisical-archon-platform',
          kind: 'ClusterSecretStore',
        },
        operation: {
          kind: 'find',
          find: {
            path: '/app',
            name: { regexp: '^DB_' },
            decodingStrategy: 'None',
          },
        },
      },
    ]);
  });

  it('should key stores by Kind/name', () => {
    expect(storeRefKey({ name: 'x', kind: 'ClusterSecretStore' })).toBe(
      'ClusterSecretStore/x',
    );
  });
});
