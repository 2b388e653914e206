import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type {
  AwsCredentialIdentity,
  DeserializeHandler,
  DeserializeHandlerArguments,
  HandlerExecutionContext,
} from '@smithy/types';
import type { AddressGuard } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import type { ApiCallMetrics } from './ApiCallMetrics';

/** Transport settings shared by every AWS client of the provider. */
export type AwsTransport = {
  /** Secrets Manager endpoint override (admin config); default: the region's. */
  secretsManagerEndpoint?: string;
  /** STS endpoint override (admin config); default: the region's. */
  stsEndpoint?: string;
  requestTimeoutMs: number;
  /** SDK attempts per call (1 + retries), with the SDK's standard backoff. */
  maxAttempts: number;
  metrics: ApiCallMetrics;
};

/** What one store's clients connect with. */
export type ClientIdentity = {
  region: string;
  /** Undefined: the SDK's default chain (admin stores only). */
  credentials?: AwsCredentialIdentity | (() => Promise<AwsCredentialIdentity>);
  addressGuard?: AddressGuard;
};

/**
 * A socket lookup that lets a connection proceed only when the guard accepts
 * every address the host resolved to; it runs for each new connection, so the
 * address checked is the address connected to.
 */
function guardedLookup(guard: AddressGuard): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(
      hostname,
      { family: options.family, hints: options.hints, all: true },
      (error, addresses: LookupAddress[]) => {
        if (error) return callback(error, '', 0);
        for (const { address } of addresses) {
          const refused = guard.refusal(hostname, address);
          if (refused) {
            return callback(
              Object.assign(new Error(refused), {
                code: 'ERR_EXTERNAL_SECRETS_ADDRESS_REFUSED',
              }),
              '',
              0,
            );
          }
        }
        if (options.all) {
          return (callback as unknown as (e: null, a: LookupAddress[]) => void)(
            null,
            addresses,
          );
        }
        return callback(null, addresses[0].address, addresses[0].family);
      },
    );
  };
}

function requestHandler(
  transport: AwsTransport,
  guard?: AddressGuard,
  endpoint?: string,
) {
  if (guard && endpoint) {
    // An IP-literal endpoint connects without a lookup: check it here.
    const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
    const refused = isIP(host) ? guard.refusal(host, host) : undefined;
    if (refused) throw new Error(refused);
  }
  const lookup = guard ? guardedLookup(guard) : undefined;
  return new NodeHttpHandler({
    requestTimeout: transport.requestTimeoutMs,
    connectionTimeout: transport.requestTimeoutMs,
    httpAgent: new HttpAgent({ keepAlive: true, lookup }),
    httpsAgent: new HttpsAgent({ keepAlive: true, lookup }),
  });
}

/** Counts each HTTP attempt (inside the SDK's retry loop) by operation and outcome. */
function countAttempts(
  stack: SecretsManagerClient['middlewareStack'] | STSClient['middlewareStack'],
  metrics: ApiCallMetrics,
) {
  (stack as SecretsManagerClient['middlewareStack']).add(
    (next: DeserializeHandler<any, any>, context: HandlerExecutionContext) =>
      async (args: DeserializeHandlerArguments<any>) => {
        const call = context.commandName?.replace(/Command$/, '') ?? 'unknown';
        try {
          const result = await next(args);
          metrics.record(call, 'success');
          return result;
        } catch (error) {
          metrics.record(call, 'error');
          throw error;
        }
      },
    { step: 'deserialize', priority: 'high', name: 'esbCountAttempts' },
  );
}

/**
 * Turns an XML error body on a JSON-protocol call (moto sends its IAM
 * refusals that way; AWS's query protocol errors look the same) into an
 * error with AWS's code, message, HTTP status and request id, instead of the
 * SDK's "not valid JSON". Runs before the SDK's deserializer sees the body.
 */
function readXmlErrors(
  stack: SecretsManagerClient['middlewareStack'] | STSClient['middlewareStack'],
) {
  (stack as SecretsManagerClient['middlewareStack']).add(
    (next: DeserializeHandler<any, any>) =>
      async (args: DeserializeHandlerArguments<any>) => {
        const result = await next(args);
        const response = result.response as {
          statusCode?: number;
          headers?: Record<string, string>;
          body?: AsyncIterable<Uint8Array>;
        };
        if ((response.statusCode ?? 200) < 400) return result;
        const chunks: Uint8Array[] = [];
        for await (const chunk of response.body ?? []) chunks.push(chunk);
        const raw = Buffer.concat(chunks);
        const body = raw.toString('utf8');
        if (!body.trimStart().startsWith('<')) {
          // Not XML: hand the same bytes to the SDK's deserializer.
          response.body = Readable.from([raw]);
          return result;
        }
        const code =
          body.match(/<Code>([^<]{1,100})<\/Code>/)?.[1] ?? 'Unknown';
        const message =
          body.match(/<Message>([^<]{0,1000})<\/Message>/)?.[1] ?? '';
        throw Object.assign(new Error(message), {
          name: code,
          $fault: response.statusCode! >= 500 ? 'server' : 'client',
          $metadata: {
            httpStatusCode: response.statusCode,
            requestId:
              response.headers?.['x-amzn-requestid'] ??
              response.headers?.['x-amz-request-id'],
          },
        });
      },
    { step: 'deserialize', priority: 'low', name: 'esbReadXmlErrors' },
  );
}

export function createSecretsManagerClient(
  transport: AwsTransport,
  identity: ClientIdentity,
): SecretsManagerClient {
  const endpoint = transport.secretsManagerEndpoint;
  const client = new SecretsManagerClient({
    region: identity.region,
    ...(endpoint ? { endpoint } : {}),
    ...(identity.credentials ? { credentials: identity.credentials } : {}),
    maxAttempts: transport.maxAttempts,
    requestHandler: requestHandler(transport, identity.addressGuard, endpoint),
  });
  countAttempts(client.middlewareStack, transport.metrics);
  readXmlErrors(client.middlewareStack);
  return client;
}

export function createStsClient(
  transport: AwsTransport,
  identity: ClientIdentity,
): STSClient {
  const endpoint = transport.stsEndpoint;
  const client = new STSClient({
    region: identity.region,
    ...(endpoint ? { endpoint } : {}),
    ...(identity.credentials ? { credentials: identity.credentials } : {}),
    maxAttempts: transport.maxAttempts,
    requestHandler: requestHandler(transport, identity.addressGuard, endpoint),
  });
  countAttempts(client.middlewareStack, transport.metrics);
  readXmlErrors(client.middlewareStack);
  return client;
}
