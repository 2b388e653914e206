import infisicalModule from '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-infisical';
import request from 'supertest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  IntegrationBackend,
  startIntegrationBackend,
} from '../__testUtils__/startIntegrationBackend';
import {
  CHECKOUT,
  deleteRemote,
  endpointsOf,
  externalSecret,
  NS,
  pluginConfig,
  ReliabilityWorld,
  secretData,
  setRemote,
  startReliabilityWorld,
  STATUS_PATH,
} from './__testUtils__/reliabilityWorld';
import { useSteppableClock } from './__testUtils__/steppableClock';

jest.setTimeout(180_000);

const CYCLES = 300;
const WARM_UP = 50;
const KEYS = ['K0', 'K1', 'K2', 'K3', 'K4', 'K5'];
/** Heap growth allowed between the warmed-up state and the end (after GC). */
const HEAP_CEILING_BYTES = 24 * 1024 * 1024;
/** Handles/requests allowed above the warmed-up count (sockets in a keep-alive pool). */
const HANDLE_CEILING = 8;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Deterministic pseudo-random numbers, so a failing soak can be replayed. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
}

describe('soak: a few hundred cycles with churn', () => {
  let world: ReliabilityWorld;
  let backend: IntegrationBackend | undefined;
  const clock = useSteppableClock();

  beforeAll(async () => {
    world = await startReliabilityWorld();
  });
  afterAll(async () => {
    await backend?.stop();
    await world.stop();
  });

  it('should keep heap and handles under a ceiling and every live Secret complete', async () => {
    const next = random(42);
    const present = new Set(KEYS);
    KEYS.forEach(k => setRemote(world, k, `${k}-0`));
    const live = new Map<string, string[]>();
    const addExternalSecret = (i: number) => {
      const keys = [KEYS[i % KEYS.length], KEYS[(i + 1) % KEYS.length]];
      live.set(`soak-${i}`, keys);
      world.kubernetes.seed(externalSecret(`soak-${i}`, keys));
    };
    for (let i = 0; i < 6; i++) addExternalSecret(i);
    backend = await startIntegrationBackend({
      sim: world.kubernetes,
      entities: [CHECKOUT],
      config: pluginConfig(endpointsOf(world)),
      extraFeatures: [infisicalModule],
      validateResponses: false,
    });

    let baselineHeap = 0;
    let baselineHandles = 0;
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      churn(cycle);
      clock.advance(61_000);
      await backend.runCycle();
      world.infisical.clearFaults();
      world.kubernetes.clearFaults();
      world.infisical.clearRequests();
      world.kubernetes.clearRequests();
      if (cycle === WARM_UP) {
        baselineHeap = heapAfterGc();
        baselineHandles = process.getActiveResourcesInfo().length;
      }
    }

    // Every key back, one clean cycle: every live ExternalSecret has its full Secret.
    KEYS.forEach(k => setRemote(world, k, `${k}-final`));
    clock.advance(11 * 60_000);
    await backend.runCycle();
    for (const [name, keys] of live) {
      expect(secretData(world.kubernetes, name)).toEqual(
        Object.fromEntries(keys.map(k => [k.toLowerCase(), `${k}-final`])),
      );
    }
    const res = await request(backend.server).get(STATUS_PATH);
    expect((res.body.externalSecrets as any[]).map(r => r.name).sort()).toEqual(
      [...live.keys()].sort(),
    );

    const heapGrowth = heapAfterGc() - baselineHeap;
    const handles = process.getActiveResourcesInfo().length;
    expect(heapGrowth).toBeLessThan(HEAP_CEILING_BYTES);
    expect(handles).toBeLessThanOrEqual(baselineHandles + HANDLE_CEILING);

    function churn(cycle: number) {
      const key = KEYS[next(KEYS.length)];
      switch (next(8)) {
        case 0:
        case 1:
          setRemote(world, key, `${key}-${cycle}`);
          present.add(key);
          break;
        case 2:
          if (present.size > 3) {
            deleteRemote(world, key);
            present.delete(key);
          }
          break;
        case 3:
          addExternalSecret(6 + next(6));
          break;
        case 4: {
          const names = [...live.keys()];
          if (names.length > 3) {
            const name = names[next(names.length)];
            live.delete(name);
            world.kubernetes.remove({
              kind: 'ExternalSecret',
              namespace: NS,
              name,
            });
          }
          break;
        }
        case 5:
          world.infisical.injectFault({
            route: 'listSecretsV4',
            status: 503,
            times: 3,
          });
          break;
        case 6:
          world.kubernetes.injectFault({
            verb: 'update',
            resource: 'secrets',
            status: 409,
            times: 2,
          });
          break;
        default:
          break;
      }
    }
  });
});
