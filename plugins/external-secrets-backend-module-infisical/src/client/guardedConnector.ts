import {
  lookup as dnsLookup,
  type LookupAddress,
  type LookupAllOptions,
} from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import type { AddressGuard } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { buildConnector } from 'undici';

/** The `code` of a connection the address guard refused (see InfisicalTransportError). */
export const ADDRESS_REFUSED = 'ERR_EXTERNAL_SECRETS_ADDRESS_REFUSED';

/**
 * A connection refused by the backend's address guard before it was opened.
 * A plain Error with a `code`, like Node's socket errors: fetch keeps those
 * as the failure's `cause` (it re-wraps errors it does not recognise).
 */
function addressRefused(reason: string): Error {
  return Object.assign(new Error(reason), { code: ADDRESS_REFUSED });
}

/** `dns.lookup`'s shape with `all: true`, injectable for tests. */
export type ResolveAll = (
  hostname: string,
  options: LookupAllOptions & { all: true },
  callback: (error: Error | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolveAll: ResolveAll = (hostname, options, callback) =>
  dnsLookup(hostname, options, callback);

/**
 * A socket `lookup` that resolves the host and lets the connection proceed
 * only when `guard` accepts EVERY address it resolved to (one refused address
 * refuses the host: a name that mixes public and internal answers is an
 * attack, not a fallback). It runs for each new connection, so the address
 * checked is the address connected to: DNS rebinding has no window.
 */
export function guardedLookup(
  guard: AddressGuard,
  resolveAll: ResolveAll = systemResolveAll,
): LookupFunction {
  return (hostname, options, callback) => {
    resolveAll(
      hostname,
      { family: options.family, hints: options.hints, all: true },
      (error, addresses) => {
        if (error) {
          callback(error, '', 0);
          return;
        }
        for (const { address } of addresses) {
          const refused = guard.refusal(hostname, address);
          if (refused) {
            callback(addressRefused(refused), '', 0);
            return;
          }
        }
        if (options.all) {
          (callback as unknown as (e: null, a: LookupAddress[]) => void)(
            null,
            addresses,
          );
        } else {
          callback(null, addresses[0].address, addresses[0].family);
        }
      },
    );
  };
}

/**
 * An undici connector that applies `guard` to every connection: IP literals
 * (which sockets connect to without a lookup) are checked here, host names in
 * {@link guardedLookup}. `tls` carries the store's CA, when it has one.
 */
export function guardedConnector(
  guard: AddressGuard,
  tls: { ca?: string },
  resolveAll?: ResolveAll,
): buildConnector.connector {
  const connect = buildConnector({
    ...(tls.ca ? { ca: tls.ca, rejectUnauthorized: true } : {}),
    lookup: guardedLookup(guard, resolveAll),
  });
  return (options, callback) => {
    const literal = options.hostname.replace(/^\[(.*)\]$/, '$1');
    const refused = isIP(literal) ? guard.refusal(literal, literal) : undefined;
    if (refused) {
      callback(addressRefused(refused), null);
      return;
    }
    connect(options, callback);
  };
}
