import { isIP } from 'node:net';
import { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  ProviderChange,
  ProviderError,
  SecretsProvider,
  StoreContext,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ProviderRegistry } from './ProviderRegistry';
import {
  NAMESPACED_STORE_PRIVATE_ADDRESSES_KEY,
  StoreAddressPolicy,
} from './storeAddressPolicy';

/** The config key holding the allow-list, named in every refusal. */
export const NAMESPACED_STORE_HOSTS_KEY =
  'externalSecrets.security.namespacedStoreHosts';

type HostPattern = {
  text: string;
  /** `*`: every host and port, and providers that do not declare their hosts. */
  any: boolean;
  /** Exact host, or the suffix after `*.` when `wildcard`. */
  host: string;
  wildcard: boolean;
  /** A port number, `*` for any port, or undefined for the scheme's default port. */
  port?: string;
};

const IPV6_PATTERN = /^(\[[0-9a-fA-F:.]+\])(?::(\d{1,5}|\*))?$/;
const HOST_PATTERN = /^([^:/?#@[\]\s]+)(?::(\d{1,5}|\*))?$/;

/** The host as a URL normalises it (lower case, punycode, no trailing dot). */
function urlHostname(host: string): string | undefined {
  try {
    return new URL(`https://${host}`).hostname.replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

const DEFAULT_PORTS: Record<string, string> = {
  'https:': '443',
  'http:': '80',
};

/**
 * Reads one allow-list entry: `*`, `host`, `host:port`, `host:*`, `*.domain`
 * (any subdomain, not the domain itself), IPv4, or `[IPv6]` with an optional
 * port. Hosts are compared as URLs normalise them (lower case, punycode).
 */
export function parseHostPattern(text: string): HostPattern {
  const trimmed = text.trim();
  if (trimmed === '*') return { text, any: true, host: '', wildcard: false };
  const wildcard = trimmed.startsWith('*.');
  const rest = wildcard ? trimmed.slice(2) : trimmed;
  const match = IPV6_PATTERN.exec(rest) ?? HOST_PATTERN.exec(rest);
  const host = match ? urlHostname(match[1]) : undefined;
  if (!match || !host) {
    throw new Error(
      `${NAMESPACED_STORE_HOSTS_KEY}: "${text}" is not a host pattern (use host, host:port, host:*, *.domain or *)`,
    );
  }
  const port = match[2];
  return { text, any: false, host, wildcard, port };
}

function matches(pattern: HostPattern, url: URL): boolean {
  if (pattern.any) return true;
  const host = url.hostname.replace(/\.$/, '');
  const hostOk = pattern.wildcard
    ? host.endsWith(`.${pattern.host}`)
    : host === pattern.host;
  if (!hostOk) return false;
  const port = url.port || DEFAULT_PORTS[url.protocol] || '';
  if (pattern.port === '*') return true;
  return port === (pattern.port ?? DEFAULT_PORTS[url.protocol]);
}

/** `https://host:port`, without user info, path or query: safe to print. */
function origin(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/** The IP of a URL hostname that is an IP literal (`[::1]` → `::1`). */
function ipLiteral(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(bare) ? bare : undefined;
}

/**
 * Which hosts stores declared by namespaced SecretStore CRs may reach (SSRF
 * guard): anyone who may create a SecretStore in some namespace must not be
 * able to point the backend at the cloud metadata service or an internal
 * admin API. ClusterSecretStores and stores from app-config are an admin's
 * own and are not restricted. An empty list refuses every namespaced
 * SecretStore whose provider contacts a host.
 *
 * Host names are checked here, before any I/O; the addresses they resolve to
 * are checked by `addresses` when the provider connects (see guardProvider),
 * and IP literals in both places.
 */
export class StoreHostPolicy {
  private readonly patterns: HostPattern[];

  constructor(
    patterns: string[],
    readonly addresses: StoreAddressPolicy = new StoreAddressPolicy([]),
  ) {
    this.patterns = patterns.map(parseHostPattern);
  }

  /** Why `provider` may not serve `store`, or undefined when it may. */
  refusal(store: SecretStore, provider: SecretsProvider): string | undefined {
    if (store.kind !== 'SecretStore') return undefined;
    const label = `SecretStore ${store.metadata.namespace ?? ''}/${
      store.metadata.name
    }`;
    const anyHost = this.patterns.some(p => p.any);
    if (!provider.endpoints) {
      if (anyHost) return undefined;
      return `${label} is refused: provider "${provider.name}" does not declare the hosts it contacts, so namespaced SecretStores may use it only when ${NAMESPACED_STORE_HOSTS_KEY} contains "*"`;
    }
    for (const endpoint of provider.endpoints(store)) {
      let url: URL;
      try {
        url = new URL(endpoint);
      } catch {
        return `${label} is refused: its provider endpoint is not a URL`;
      }
      if (!anyHost && !this.patterns.some(p => matches(p, url))) {
        const allowed = this.patterns.length
          ? `allowed: ${this.patterns.map(p => p.text).join(', ')}`
          : 'the list is empty';
        return `${label} may not contact ${origin(url)}: host "${
          url.host
        }" is not in ${NAMESPACED_STORE_HOSTS_KEY} (${allowed}); an admin adds the host there to allow namespaced SecretStores to reach it`;
      }
      const literal = ipLiteral(url.hostname);
      const refused = literal && this.addresses.refusal(literal, literal);
      if (refused) return `${label} may not contact ${origin(url)}: ${refused}`;
    }
    return undefined;
  }
}

/**
 * `provider`, refusing what `policy` refuses before any I/O: the spec check
 * reports it (so store validation records it and never connects), and
 * `validateStore`/`newClient` refuse too, whoever calls them. For the stores
 * it lets through, a namespaced SecretStore's context carries the address
 * guard, which the provider applies to every address it connects to. `trusted`
 * stores (declared in app-config) are exempt.
 */
export function guardProvider(
  provider: SecretsProvider,
  policy: StoreHostPolicy,
  trusted: (store: SecretStore) => boolean,
): SecretsProvider {
  const refusal = (store: SecretStore) =>
    trusted(store) ? undefined : policy.refusal(store, provider);
  const guardedContext = (
    store: SecretStore,
    context: StoreContext,
  ): StoreContext =>
    store.kind === 'SecretStore' && !trusted(store)
      ? { ...context, addressGuard: policy.addresses }
      : context;
  return {
    name: provider.name,
    capabilities: provider.capabilities,
    ...(provider.endpoints
      ? { endpoints: (store: SecretStore) => provider.endpoints!(store) }
      : {}),
    validateStoreSpec(store) {
      const issues = provider.validateStoreSpec(store);
      const refused = refusal(store);
      if (!refused) return issues;
      const path = `spec.provider.${provider.name}`;
      return [
        ...issues,
        { severity: 'error', path, message: `${path}: ${refused}` },
      ];
    },
    async validateStore(store, context) {
      const refused = refusal(store);
      if (refused) {
        return {
          ready: false,
          reason: 'InvalidProviderConfig',
          message: refused,
        };
      }
      return provider.validateStore(store, guardedContext(store, context));
    },
    async newClient(store, context) {
      const refused = refusal(store);
      if (refused) {
        throw new ProviderError('INVALID_CONFIG', refused, {
          provider: provider.name,
          store: `SecretStore/${store.metadata.namespace ?? ''}/${
            store.metadata.name
          }`,
          hint: `add the host to ${NAMESPACED_STORE_HOSTS_KEY} (and a private address to ${NAMESPACED_STORE_PRIVATE_ADDRESSES_KEY}), or use a ClusterSecretStore`,
        });
      }
      return provider.newClient(store, guardedContext(store, context));
    },
    ...(provider.changeAffectsStore
      ? {
          changeAffectsStore: (store: SecretStore, change: ProviderChange) =>
            provider.changeAffectsStore!(store, change),
        }
      : {}),
    ...(provider.shutdown ? { shutdown: () => provider.shutdown!() } : {}),
  };
}

/**
 * A registry whose providers all go through {@link guardProvider}. The
 * `configStores` (app-config) are trusted by identity: they are the objects the
 * cycle resolves, never copies.
 */
export function guardProviderRegistry(
  registry: ProviderRegistry,
  policy: StoreHostPolicy,
  configStores: SecretStore[],
): ProviderRegistry {
  const trusted = new Set(configStores);
  const guarded = new ProviderRegistry();
  for (const name of registry.names()) {
    guarded.add(
      guardProvider(registry.get(name)!, policy, store => trusted.has(store)),
    );
  }
  return guarded;
}
