/**
 * The simulated outside world, in its own process so that its CPU, memory and
 * JSON work do not count against the reconciler's event loop and RSS: the
 * Infisical simulator on a plain-HTTP local server and the Kubernetes
 * apiserver simulator, both adding the workload's latency to every request.
 * Driven over IPC by the runner (see SimulatorsHandle).
 */
import { randomBytes } from 'node:crypto';
import {
  InfisicalSimulator,
  startInfisicalSimulatorServer,
  type InfisicalSimulatorServer,
  type SimulatorRoute,
} from '@internal/backstage-plugin-external-secrets-backend-module-infisical/simulator';
import {
  startKubernetesSimulator,
  type KubernetesSimulator,
} from '@internal/backstage-plugin-external-secrets-backend/testUtils';
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
let pendingPropagation: Promise<PropagationResult> | undefined;

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

/**
 * Changes one remote value and watches, in this process (so the reconciler's
 * loop is not involved), until every Secret that maps it has been rewritten.
 */
function changeValue(payload: {
  scope: number;
  key: number;
  timeoutMs: number;
}): { changedAt: number; dependents: number } {
  const w = workload!;
  const scope = scopeOf(payload.scope);
  const targets = dependents(payload.scope, payload.key, w).map(i => ({
    namespace: namespaceOf(i, w),
    name: entityName(i),
  }));
  const before = new Map(
    targets.map(t => [
      `${t.namespace}/${t.name}`,
      kubernetes!.get({ kind: 'Secret', ...t })?.metadata.resourceVersion,
    ]),
  );
  const changedAt = Date.now();
  infisical!.setSecret({
    project: scope.project,
    environment: scope.environment,
    path: scope.path,
    key: remoteKey(payload.key),
    value: freshValue(),
  });
  pendingPropagation = new Promise(resolve => {
    const waiting = new Set(before.keys());
    let firstAt: number | undefined;
    const poll = setInterval(() => {
      for (const id of [...waiting]) {
        const [namespace, name] = id.split('/');
        const now = kubernetes!.get({ kind: 'Secret', namespace, name })
          ?.metadata.resourceVersion;
        if (now !== before.get(id)) {
          waiting.delete(id);
          firstAt ??= Date.now();
        }
      }
      const timedOut = Date.now() - changedAt > payload.timeoutMs;
      if (waiting.size === 0 || timedOut) {
        clearInterval(poll);
        resolve({
          changedAt,
          firstUpdatedAt: firstAt,
          allUpdatedAt: waiting.size === 0 ? Date.now() : undefined,
          dependents: before.size,
          updated: before.size - waiting.size,
        });
      }
    }, 2);
  });
  return { changedAt, dependents: before.size };
}

async function stop() {
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
  awaitPropagation: () => pendingPropagation,
  stop,
});
// The runner went away (crash, timeout): do not outlive it.
process.on('disconnect', () => {
  stop().catch(() => process.exit(1));
});
