import { ClusterError } from './ClusterError';
import { ClusterRequest, toClusterError } from './toClusterError';

const request: ClusterRequest = {
  cluster: 'prod',
  verb: 'get',
  group: '',
  resource: 'secrets',
  namespace: 'team-a',
  name: 'db',
  path: '/api/v1/namespaces/team-a/secrets/db',
  timeoutMs: 5000,
};

function systemError(code: string, message: string) {
  return Object.assign(new Error(message), { name: 'FetchError', code });
}

describe('toClusterError', () => {
  it.each([
    [
      systemError(
        'ECONNREFUSED',
        'request to https://k8s failed, reason: connect ECONNREFUSED',
      ),
      'UNREACHABLE',
    ],
    [
      systemError(
        'ENOTFOUND',
        'request to https://k8s failed, reason: getaddrinfo ENOTFOUND k8s',
      ),
      'UNREACHABLE',
    ],
    [
      systemError(
        'ECONNRESET',
        'request to https://k8s failed, reason: socket hang up',
      ),
      'UNREACHABLE',
    ],
    [
      systemError(
        'ETIMEDOUT',
        'request to https://k8s failed, reason: connect ETIMEDOUT',
      ),
      'TIMEOUT',
    ],
    [
      systemError(
        'CERT_HAS_EXPIRED',
        'request to https://k8s failed, reason: certificate has expired',
      ),
      'TLS',
    ],
    [
      systemError(
        'ERR_TLS_CERT_ALTNAME_INVALID',
        "reason: Hostname/IP does not match certificate's altnames",
      ),
      'TLS',
    ],
    [
      Object.assign(new Error('The operation was aborted.'), {
        name: 'AbortError',
      }),
      'TIMEOUT',
    ],
    [new Error('error:0480006C:PEM routines::no start line'), 'TLS'],
    [
      Object.assign(
        new Error(
          "ENOENT: no such file or directory, open '/var/run/secrets/kubernetes.io/serviceaccount/token'",
        ),
        { code: 'ENOENT' },
      ),
      'UNREACHABLE',
    ],
  ])('should classify %s as %s', (error, errorType) => {
    expect(toClusterError(error, request).errorType).toBe(errorType);
  });

  it('should keep the network reason and code', () => {
    const error = toClusterError(
      systemError(
        'ECONNREFUSED',
        'request to https://k8s/api failed, reason: connect ECONNREFUSED 10.0.0.1:443',
      ),
      request,
    );
    expect(error.message).toBe(
      `Cluster 'prod': get secrets "db" in namespace "team-a" could not reach the apiserver: connect ECONNREFUSED 10.0.0.1:443. Retried on the next cycle.`,
    );
    expect(error.details.code).toBe('ECONNREFUSED');
  });

  it('should read the Status body of an HTTP failure given as text', () => {
    const error = toClusterError(
      {
        code: 422,
        body: JSON.stringify({
          kind: 'Status',
          reason: 'Invalid',
          message: 'Secret "db" is invalid: data[a b]: Invalid value: "a b"',
          details: {
            causes: [{ field: 'data[a b]', reason: 'FieldValueInvalid' }],
          },
        }),
        headers: {},
      },
      request,
    );
    expect(error.errorType).toBe('INVALID');
    expect(error.details.causes).toEqual([
      { field: 'data[a b]', reason: 'FieldValueInvalid' },
    ]);
  });

  it('should cope with an HTTP failure without a body', () => {
    const error = toClusterError(
      { code: 401, body: undefined, headers: {} },
      request,
    );
    expect(error.errorType).toBe('UNAUTHORIZED');
    expect(error.message).toContain('failed with HTTP 401.');
  });

  it('should read Retry-After from the headers', () => {
    const error = toClusterError(
      { code: 429, body: '', headers: { 'retry-after': '4' } },
      request,
    );
    expect(error.details.retryAfterSeconds).toBe(4);
  });

  it('should not quote a response the JSON parser rejected, since it may hold Secret data', () => {
    const canary = 'canary-in-json-77aa';
    const error = toClusterError(
      new SyntaxError(
        `Unexpected token '}', "{"data":{"password":"${canary}"}" is not valid JSON`,
      ),
      request,
    );
    expect(error.errorType).toBe('SERVER_ERROR');
    expect(error.message).not.toContain(canary);
    expect(JSON.stringify(error)).not.toContain(canary);
  });

  it('should pass a ClusterError through unchanged', () => {
    const original = new ClusterError('CONFLICT', 'x', { ...request });
    expect(toClusterError(original, request)).toBe(original);
  });
});
