/**
 * The simulated outside world, in its own process so that its CPU, memory and
 * JSON work do not count against the reconciler's event loop and RSS: the
 * Infisical simulator on a plain-HTTP local server and the Kubernetes
 * apiserver simulator, both adding the workload's latency to every request.
 * Driven over IPC by the runner (see SimulatorsHandle).
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  InfisicalSimulator,
  startInfisicalSimulatorServer,
  type InfisicalSimulatorServer,
  type SimulatorRoute,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  startKubernetesSimulator,
  type KubernetesSimulator,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-backend/testUtils';
import { ipcServe } from '../ipc';
import {
  dependents,
  entityName,
  externalSecret,
  namespaceOf,
  remoteKey,
  scopeOf,
  scopes,
  Workload,
} from '../workload';
import type {
  InfisicalCounts,
  KubernetesCounts,
  PropagationResult,
  SimulatorEndpoints,
} from './types';

const INFISICAL_ROUTES: SimulatorRoute[] = [
  'universalAuthLogin',
  'kubernetesAuthLogin',
  'renewToken',
  'revokeToken',
  'getProjectBySlug',
  'getWorkspaceBySlug',
  'listSecretsV4',
  'getSecretV4',
  'listSecretsV3',
  'getSecretV3',
  'listFolders',
];

let infisical: InfisicalSimulator | undefined;
let infisicalServer: InfisicalSimulatorServer | undefined;
let kubernetes: KubernetesSimulator | undefined;
let workload: Workload | undefined;

/** A value nobody prints: the benchmark only counts and times. */
function freshValue() {
  return randomBytes(24).toString('base64url');
}

async function setup(w: Workload): Promise<SimulatorEndpoints> {
  workload = w;
  infisical = new InfisicalSimulator();
  const projects = new Set(scopes(w).map(s => s.project));
  for (const slug of projects) {
    infisical.addProject({ slug, environments: ['prod', 'staging'] });
  }
  for (const scope of scopes(w)) {
    for (let k = 0; k < w.secretsPerScope; k++) {
      infisical.setSecret({
        project: scope.project,
        environment: scope.environment,
        path: scope.path,
        key: remoteKey(k),
        value: freshValue(),
      });
    }
    const identity = infisical.addUniversalAuthIdentity({
      clientId: scope.clientId,
      clientSecret: scope.clientSecret,
    });
    infisical.grant(identity, scope.project, {
      environments: [scope.environment],
    });
  }
  for (const route of INFISICAL_ROUTES) {
    infisical.injectFault({ route, latencyMs: w.latencyMs, times: Infinity });
  }
  infisicalServer = await startInfisicalSimulatorServer({
    simulator: infisical,
    port: 0,
  });

  kubernetes = await startKubernetesSimulator();
  for (let i = 0; i < w.entities; i++) kubernetes.seed(externalSecret(i, w));
  kubernetes.injectFault({ latencyMs: w.latencyMs });
  kubernetes.clearRequests();
  return {
    infisicalUrl: infisicalServer.url,
    kubernetesUrl: kubernetes.url,
    kubernetesToken: kubernetes.token,
  };
}

function infisicalCounts(): InfisicalCounts {
  const counts: InfisicalCounts = {
    total: 0,
    logins: 0,
    renewals: 0,
    revocations: 0,
    projectLookups: 0,
    lists: 0,
    notModified: 0,
    singleReads: 0,
    folderLists: 0,
    errors: 0,
  };
  for (const entry of infisical!.requests()) {
    counts.total++;
    if (typeof entry.status !== 'number' || entry.status >= 400)
      counts.errors++;
    switch (entry.route) {
      case 'universalAuthLogin':
      case 'kubernetesAuthLogin':
        counts.logins++;
        break;
      case 'renewToken':
        counts.renewals++;
        break;
      case 'revokeToken':
        counts.revocations++;
        break;
      case 'getProjectBySlug':
      case 'getWorkspaceBySlug':
        counts.projectLookups++;
        break;
      case 'listSecretsV4':
      case 'listSecretsV3':
        counts.lists++;
        if (entry.status === 304) counts.notModified++;
        break;
      case 'getSecretV4':
      case 'getSecretV3':
        counts.singleReads++;
        break;
      case 'listFolders':
        counts.folderLists++;
        break;
      default:
        break;
    }
  }
  infisical!.clearRequests();
  return counts;
}

const READ_VERBS = new Set(['get', 'list', 'watch']);

function kubernetesCounts(): KubernetesCounts {
  const counts: KubernetesCounts = {
    total: 0,
    reads: 0,
    writes: 0,
    errors: 0,
    byVerbAndResource: {},
  };
  for (const request of kubernetes!.requests) {
    counts.total++;
    if (request.status >= 400 || request.status === 0) counts.errors++;
    if (READ_VERBS.has(request.verb ?? '')) counts.reads++;
    else counts.writes++;
    const key = `${request.verb ?? request.method} ${
      request.resource ?? request.path
    }`;
    counts.byVerbAndResource[key] = (counts.byVerbAndResource[key] ?? 0) + 1;
  }
  kubernetes!.clearRequests();
  return counts;
}

type TrackedChange = {
  id: number;
  changedAt: number;
  waiting: Set<string>;
  before: Map<string, string | undefined>;
  firstUpdatedAt?: number;
  allUpdatedAt?: number;
  timeoutMs: number;
  webhook?: { status?: number; sentAt?: number; error?: string };
};

const tracked: TrackedChange[] = [];
let watcher: NodeJS.Timeout | undefined;

/** Checks every 2 ms, in this process (so the reconciler's loop is not involved), which watched Secrets were rewritten. */
function watchSecrets() {
  watcher ??= setInterval(checkSecrets, 2);
}

function checkSecrets() {
  const now = Date.now();
  for (const change of tracked) {
    if (change.allUpdatedAt !== undefined) continue;
    if (now - change.changedAt > change.timeoutMs) continue;
    for (const id of [...change.waiting]) {
      const [namespace, name] = id.split('/');
      const version = kubernetes!.get({ kind: 'Secret', namespace, name })
        ?.metadata.resourceVersion;
      if (version !== change.before.get(id)) {
        change.waiting.delete(id);
        change.firstUpdatedAt ??= now;
      }
    }
    if (change.waiting.size === 0) change.allUpdatedAt = now;
  }
}

function resultOf(change: TrackedChange): PropagationResult {
  return {
    id: change.id,
    changedAt: change.changedAt,
    firstUpdatedAt: change.firstUpdatedAt,
    allUpdatedAt: change.allUpdatedAt,
    dependents: change.before.size,
    updated: change.before.size - change.waiting.size,
    webhook: change.webhook,
  };
}

/**
 * Infisical's project webhook: `secrets.modified` for the changed scope,
 * signed as Infisical signs (the body's `timestamp` repeated in
 * `x-infisical-signature: t=<ms>;<hex HMAC-SHA256 of the raw body>`),
 * delivered after the simulated latency.
 * `clockOffsetMs` is the runner's clock offset, so both sides agree on the
 * time as Infisical's and Backstage's clocks would.
 */
async function deliverWebhook(
  change: TrackedChange,
  scopeIndex: number,
  webhook: { url: string; signingSecret: string; clockOffsetMs: number },
) {
  const scope = scopeOf(scopeIndex);
  await new Promise(resolve => setTimeout(resolve, workload!.latencyMs));
  // Infisical stamps the payload and repeats that same time in the header.
  const at = Date.now() + webhook.clockOffsetMs;
  const body = JSON.stringify({
    event: 'secrets.modified',
    project: {
      workspaceId: infisical!.projectId(scope.project),
      environment: scope.environment,
      secretPath: scope.path,
    },
    timestamp: at,
  });
  const signature = createHmac('sha256', webhook.signingSecret)
    .update(body)
    .digest('hex');
  change.webhook = { sentAt: Date.now() };
  try {
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-infisical-signature': `t=${at};${signature}`,
      },
      body,
    });
    change.webhook.status = response.status;
    await response.arrayBuffer();
  } catch (e) {
    change.webhook.error = (e as Error).message;
  }
}

/**
 * Changes one remote value and starts watching every Secret that maps it;
 * with `webhook`, then delivers Infisical's webhook and answers after the
 * backend answered it.
 */
async function changeValue(payload: {
  scope: number;
  key: number;
  timeoutMs: number;
  webhook?: { url: string; signingSecret: string; clockOffsetMs: number };
}): Promise<PropagationResult> {
  const w = workload!;
  const scope = scopeOf(payload.scope);
  const before = new Map(
    dependents(payload.scope, payload.key, w).map(i => {
      const t = { namespace: namespaceOf(i, w), name: entityName(i) };
      return [
        `${t.namespace}/${t.name}`,
        kubernetes!.get({ kind: 'Secret', ...t })?.metadata.resourceVersion,
      ];
    }),
  );
  const change: TrackedChange = {
    id: tracked.length + 1,
    changedAt: Date.now(),
    waiting: new Set(before.keys()),
    before,
    timeoutMs: payload.timeoutMs,
  };
  tracked.push(change);
  infisical!.setSecret({
    project: scope.project,
    environment: scope.environment,
    path: scope.path,
    key: remoteKey(payload.key),
    value: freshValue(),
  });
  watchSecrets();
  if (payload.webhook) {
    await deliverWebhook(change, payload.scope, payload.webhook);
  }
  return resultOf(change);
}

/** Resolves when change `id` reached every dependent Secret, or its timeout passed. */
async function awaitPropagation(payload: {
  id: number;
}): Promise<PropagationResult> {
  const change = tracked.find(c => c.id === payload.id);
  if (!change) throw new Error(`no change ${payload.id}`);
  while (
    change.allUpdatedAt === undefined &&
    Date.now() - change.changedAt <= change.timeoutMs
  ) {
    await new Promise(resolve => setTimeout(resolve, 5));
  }
  return resultOf(change);
}

/** Every change so far, as it stands now. */
function propagationStatus(): PropagationResult[] {
  checkSecrets(); // a write at the very end of the cycle counts for that cycle
  return tracked.map(resultOf);
}

async function stop() {
  if (watcher) clearInterval(watcher);
  await infisicalServer?.close();
  await kubernetes?.stop();
  setImmediate(() => process.exit(0));
}

ipcServe(process, {
  setup,
  counts: () => ({
    infisical: infisicalCounts(),
    kubernetes: kubernetesCounts(),
  }),
  changeValue,
  awaitPropagation,
  propagationStatus,
  stop,
});
// The runner went away (crash, timeout): do not outlive it.
process.on('disconnect', () => {
  stop().catch(() => process.exit(1));
});
