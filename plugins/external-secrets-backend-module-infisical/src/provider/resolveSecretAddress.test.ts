import {
  isWithinFolder,
  normalizeFolderPath,
  resolveSecretAddress,
} from './resolveSecretAddress';

describe('resolveSecretAddress', () => {
  it.each([
    [
      'a bare key in the scope path',
      '/scope',
      'FOO',
      { folder: '/scope', name: 'FOO' },
    ],
    ['a bare key at the root', '/', 'FOO', { folder: '/', name: 'FOO' }],
    [
      'an absolute key, ignoring the scope path',
      '/scope',
      '/a/b/FOO',
      { folder: '/a/b', name: 'FOO' },
    ],
    [
      'an absolute key at the root',
      '/scope',
      '/FOO',
      { folder: '/', name: 'FOO' },
    ],
    [
      'a relative key joined to the scope path',
      '/scope',
      'sub/FOO',
      { folder: '/scope/sub', name: 'FOO' },
    ],
    [
      'a relative key below the root',
      '/',
      'a/b/FOO',
      { folder: '/a/b', name: 'FOO' },
    ],
    [
      'a relative key with a trailing-slash scope',
      '/scope/',
      'sub/FOO',
      { folder: '/scope/sub', name: 'FOO' },
    ],
    [
      'a relative key climbing out of the scope',
      '/scope/app',
      '../db/FOO',
      { folder: '/scope/db', name: 'FOO' },
    ],
    [
      'a key ending in a slash (no name)',
      '/scope',
      'sub/',
      { folder: '/scope/sub', name: '' },
    ],
  ])('should resolve %s', (_case, scope, key, expected) => {
    expect(resolveSecretAddress(scope, key)).toEqual(expected);
  });
});

describe('normalizeFolderPath', () => {
  it.each([
    ['', '/'],
    ['/', '/'],
    ['app', '/app'],
    ['/app/', '/app'],
    ['/a//b/../c/', '/a/c'],
  ])('should normalise %j to %j', (input, expected) => {
    expect(normalizeFolderPath(input)).toBe(expected);
  });
});

describe('isWithinFolder', () => {
  it.each([
    ['/app/db', '/app', true],
    ['/app', '/app', true],
    ['/application', '/app', false],
    ['/anything', '/', true],
    ['/', '/app', false],
  ])('should say whether %s is within %s', (folder, ancestor, expected) => {
    expect(isWithinFolder(folder, ancestor)).toBe(expected);
  });
});
