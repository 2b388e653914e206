import {
  externalSecretFieldManager,
  managedKeysOf,
} from './externalSecretFieldManager';

/**
 * ESO writes each target Secret as the field manager of its ExternalSecret
 * (fqdnFor, pkg/controllers/externalsecret/util.go), so `managedFields` tells
 * which labels, annotations and data keys that ExternalSecret wrote
 * (getManagedFieldKeys, externalsecret_controller.go and
 * pkg/controllers/templating/parser.go).
 */
describe('externalSecretFieldManager', () => {
  it("should name the field manager as ESO's fqdnFor does", () => {
    expect(externalSecretFieldManager('db')).toBe(
      'externalsecrets.external-secrets.io/db',
    );
  });

  it('should use the SHA3-224 form when the name would pass 63 characters', () => {
    // 36 + 34 = 70 characters: ESO switches to sha3/<hex of sha3.Sum224(name)>.
    expect(
      externalSecretFieldManager('a-rather-long-external-secret-name'),
    ).toBe(
      'externalsecrets.external-secrets.io/sha3/924a5b0ea0441c671777b353036555d127bd4d4faef565e357731412',
    );
  });
});

describe('managedKeysOf', () => {
  const entry = (manager: string, fields: unknown) => ({
    manager,
    operation: 'Update',
    apiVersion: 'v1',
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
  });

  it('should read the label, annotation and data keys each ExternalSecret manager owns', () => {
    const keys = managedKeysOf([
      entry('externalsecrets.external-secrets.io/db', {
        'f:data': { '.': {}, 'f:password': {} },
        'f:metadata': {
          'f:labels': { '.': {}, 'f:tier': {} },
          'f:annotations': { 'f:docs/url': {} },
        },
      }),
      entry('kubectl-edit', {
        'f:metadata': { 'f:labels': { 'f:someone/else': {} } },
      }),
    ]);
    expect(keys).toEqual({
      'externalsecrets.external-secrets.io/db': {
        labels: ['tier'],
        annotations: ['docs/url'],
        data: ['password'],
      },
    });
  });

  it('should merge two entries of one manager (Update and Apply) and ignore malformed ones', () => {
    const keys = managedKeysOf([
      entry('externalsecrets.external-secrets.io/db', {
        'f:data': { 'f:a': {} },
      }),
      entry('externalsecrets.external-secrets.io/db', {
        'f:data': { 'f:b': {} },
      }),
      entry('externalsecrets.external-secrets.io/odd', 'not an object'),
    ]);
    expect(keys['externalsecrets.external-secrets.io/db'].data).toEqual([
      'a',
      'b',
    ]);
    expect(keys['externalsecrets.external-secrets.io/odd']).toEqual({
      labels: [],
      annotations: [],
      data: [],
    });
  });
});
