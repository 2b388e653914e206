import { spec } from './openapi/generated/router';

type Operation = {
  operationId: string;
  responses: Record<string, { headers?: Record<string, unknown> }>;
};

function operation(operationId: string): Operation {
  for (const methods of Object.values(spec.paths)) {
    for (const candidate of Object.values(methods) as Operation[]) {
      if (candidate.operationId === operationId) return candidate;
    }
  }
  throw new Error(`openapi.yaml has no operation ${operationId}`);
}

describe('openapi.yaml', () => {
  // The router sets Retry-After on these 429s (SyncRateLimitedError,
  // KeyListingRateLimitedError, RestartRateLimitedError); clients generated
  // from the spec must see it.
  it.each(['SyncEntity', 'ListStoreKeys', 'RestartConsumer'])(
    'declares Retry-After on the 429 of %s',
    operationId => {
      expect(operation(operationId).responses['429'].headers).toHaveProperty(
        'Retry-After',
      );
    },
  );
});
