import { DEFAULT_HOST_API, normalizeHostApi } from './normalizeHostApi';

describe('normalizeHostApi', () => {
  it.each([
    [undefined, DEFAULT_HOST_API],
    ['', DEFAULT_HOST_API],
    ['https://infisical.example.com', 'https://infisical.example.com/api'],
    ['https://infisical.example.com/', 'https://infisical.example.com/api'],
    ['https://infisical.example.com/api', 'https://infisical.example.com/api'],
    ['https://infisical.example.com/api/', 'https://infisical.example.com/api'],
    ['https://10.0.0.5:8443', 'https://10.0.0.5:8443/api'],
  ])('should turn hostAPI %j into %j', (hostApi, expected) => {
    expect(normalizeHostApi(hostApi)).toBe(expected);
  });
});
