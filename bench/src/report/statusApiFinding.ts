import type { BenchResults } from '../results';

/** Issue #22: the status API on PostgreSQL at 50 clients, what it cost before and what changed. */
export function statusApiFinding(results: BenchResults): string {
  const at1000 = results.sizes.find(s => s.entities === 1000);
  const pg = at1000?.api.postgres;
  const pgConditional = at1000?.api.postgresConditional;
  const now =
    pg && pgConditional
      ? `this run: ${pg.backendCpuMsPerRequest ?? '?'} ms plain, ${
          pgConditional.backendCpuMsPerRequest ?? '?'
        } ms conditional, p95 ${pg.latencyMs.p95} / ${
          pgConditional.latencyMs.p95
        } ms at ${pg.requestsPerSecond} / ${
          pgConditional.requestsPerSecond
        } req/s with the machine's load average at ${results.machine.loadAverageBefore.join(
          ', ',
        )} when it began`
      : 'PostgreSQL was not measured at 1,000 in this run';
  return `### Issue #22: status API on PostgreSQL at 50 clients

**Concurrent status requests share their queries** (\`QueryBatcher\`, \`router.ts\`, \`readEntityStatuses\`). The CPU
profile of the PostgreSQL load at 1,000 ExternalSecrets (\`BENCH_PROFILE=api-postgres\`) put 35% of the backend's samples
in \`writev\`, the socket writes of two queries per request (version for the ETag, then the rows): on this machine a
loopback round trip to PostgreSQL costs about a millisecond of CPU. Each request is still authorized on its own
(catalog lookup and permission check with the caller's credentials); the entities asked for in one turn of the event
loop, or while the previous query runs, then go in one query that returns rows and version together (a conditional
GET reads only the version). Nothing is cached between queries, so a status another replica records shows on the next
request. Backend CPU per request, same command (\`yarn bench --sizes 1000 --hour-at none --propagation-at none
--aws-at none\`, load average ~13–24): 1.52 → 0.44 ms plain, 0.74 → 0.29 ms conditional; p95 528 → 143 ms and
318 → 147 ms; 169 → 750 req/s plain; ${now}. With the backend idle for a third of the profile, what is left of p95
is the machine: 50 closed-loop clients, autocannon, PostgreSQL and the other work on its 2 cores. A per-entity
response cache was not added: it would serve what another replica changed late, and the remaining cost per request
(Express, OpenAPI validation, JSON) is not the database.`;
}
