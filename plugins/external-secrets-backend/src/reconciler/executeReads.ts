import {
  isProviderError,
  ProviderError,
  ReadOutcome,
  ReadRequest,
  SecretsClient,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import pLimit from 'p-limit';

/** Runs one ExternalSecret's planned reads; a failed read is a value, never a throw. */
export async function executeReads(options: {
  requests: ReadRequest[];
  /** The cycle's client for a request's store, or the reason there is none. */
  clientFor: (request: ReadRequest) => Promise<SecretsClient | ProviderError>;
  limit: ReturnType<typeof pLimit>;
}): Promise<Map<string, ReadOutcome>> {
  const outcomes = await Promise.all(
    options.requests.map(request =>
      options.limit(async (): Promise<[string, ReadOutcome]> => {
        const client = await options.clientFor(request);
        if (isProviderError(client)) {
          return [request.id, { ok: false, error: client }];
        }
        return [request.id, await read(client, request)];
      }),
    ),
  );
  return new Map(outcomes);
}

async function read(
  client: SecretsClient,
  request: ReadRequest,
): Promise<ReadOutcome> {
  try {
    if (request.operation.kind === 'get') {
      const { key, version } = request.operation;
      return { ok: true, secret: await client.getSecret({ key, version }) };
    }
    return {
      ok: true,
      secrets: await client.findSecrets(request.operation.find),
    };
  } catch (e) {
    return { ok: false, error: asProviderError(e, request) };
  }
}

/** A provider bug (a plain Error) still becomes a typed, key-scoped failure. */
function asProviderError(e: unknown, request: ReadRequest): ProviderError {
  if (isProviderError(e)) return e;
  const key =
    request.operation.kind === 'get' ? request.operation.key : undefined;
  return new ProviderError(
    'UNKNOWN',
    `reading ${key ? `key "${key}"` : 'find query'} from ${
      request.storeRef.kind
    } ${request.storeRef.name} failed: ${(e as Error)?.message ?? String(e)}`,
    {
      provider: 'unknown',
      store: `${request.storeRef.kind}/${request.storeRef.name}`,
      key,
    },
  );
}
