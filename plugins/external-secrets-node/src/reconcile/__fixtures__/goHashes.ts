/**
 * Reference values computed with real Go (go1.26, crypto/sha3) using ESO's
 * `esutils.ObjectHash` (`fmt.Sprintf("%+v", x)` then hex SHA3-224) and
 * `ctrlutil.HashMeta`. Regenerate with the program in the README's "Verifying
 * ESO compatibility" section.
 */
export const DATA_HASHES: {
  name: string;
  data: Record<string, Uint8Array>;
  goText: string;
  hash: string;
}[] = [
  {
    name: 'an empty map',
    data: {},
    goText: 'map[]',
    hash: '74a974446e359fb3e6baff9bd0058950e6edd0f040888d9989b0a11b',
  },
  {
    name: 'one key',
    data: { 'api-key': new TextEncoder().encode('hello') },
    goText: 'map[api-key:[104 101 108 108 111]]',
    hash: 'b7eec4f91621ef872df019839b6e464f4f65ea6724ce54e26b2f6460',
  },
  {
    name: 'several keys that need sorting in byte order',
    data: Object.fromEntries(
      [
        ['b', '2'],
        ['a', '1'],
        ['B', '3'],
        ['a.b', ''],
        ['a-b', 'x'],
        ['_z', 'y'],
        ['0', 'z'],
      ].map(([k, v]) => [k, new TextEncoder().encode(v)]),
    ),
    goText: 'map[0:[122] B:[51] _z:[121] a:[49] a-b:[120] a.b:[] b:[50]]',
    hash: 'ab53955b1729ceaa913a1b3df4a5d31470b42a1ea535783523086de6',
  },
  {
    name: 'binary bytes',
    data: { bin: Uint8Array.from([0, 1, 2, 255, 254, 128, 10, 32]) },
    goText: 'map[bin:[0 1 2 255 254 128 10 32]]',
    hash: '7f49dcaadddb655e518f13590f99d7d76cacdfd82c62f004f243b1a2',
  },
  {
    name: 'unicode text',
    data: { greeting: new TextEncoder().encode('héllo wörld ☃ 🚀') },
    goText:
      'map[greeting:[104 195 169 108 108 111 32 119 195 182 114 108 100 32 226 152 131 32 240 159 154 128]]',
    hash: '4c2c371735a4df0109fcc6dd2a9db4ec9b2d9f8c6b92c7b7657fa911',
  },
  {
    name: 'empty values',
    data: { k: new Uint8Array(), n: new Uint8Array() },
    goText: 'map[k:[] n:[]]',
    hash: '75c4f37df318e8b8f212c1b7eb3a14c58f27e8c30ae604bd85a4544c',
  },
];

/** ObjectHash("my-namespace/my-secret"): the created-by label of the seed's Secret. */
export const SEED_CREATED_BY =
  'c67aec5bb19a697a60b724f63afa11a5906c9c34494f267930c6a619';

/** HashMeta(struct{annotations, labels}). */
export const META_HASHES: {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  hash: string;
}[] = [
  {
    name: 'no labels or annotations',
    hash: 'f47fe3c0b255b6dd8047cdffa772587bb829efe7a1cb70febeda2eb2',
  },
  {
    name: 'labels and a force-sync annotation',
    labels: { team: 'a', app: 'web' },
    annotations: { 'force-sync': '1700000000', b: 'x y' },
    hash: 'feab53cbff204930f6add2a83741d470171b981c651406375c2eb35b',
  },
  {
    name: 'labels only',
    labels: { app: 'web' },
    hash: '2e04591e40c776c3728c23f945498e9ede3af1fb42b72508007b73bb',
  },
];
