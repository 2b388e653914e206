import type { BenchResults } from '../results';

/** Issue #22: the status API on PostgreSQL at 50 clients, what it cost before and what changed. */
export function statusApiFinding(results: BenchResults): string {
  const at1000 = results.sizes.find(s => s.entities === 1000);
  const pg = at1000?.api.postgres;
  const pgConditional = at1000?.api.postgresConditional;
  const now =
    pg && pgConditional
      ? `With both, this run at 1,000 ExternalSecrets: ${
          pg.backendCpuMsPerRequest ?? '?'
        } ms of backend CPU per request plain, ${
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

1. **Concurrent status requests share their queries** (\`QueryBatcher\`, \`router.ts\`, \`readEntityStatuses\`). The
   CPU profile of the PostgreSQL load at 1,000 ExternalSecrets (\`BENCH_PROFILE=api-postgres\`) put 35% of the
   backend's samples in \`writev\`, the socket writes of two queries per request (version for the ETag, then the rows):
   on this machine a loopback round trip to PostgreSQL costs about a millisecond of CPU. Each request is still
   authorized on its own (catalog lookup and permission check with the caller's credentials); the entities asked for in
   one turn of the event loop, or while the previous query runs, then go in one query. Measured with \`yarn bench
   --sizes 1000 --hour-at none --propagation-at none --aws-at none\` before and after (load average 9–13 before, 20–24
   after): backend CPU per request 1.52 → 0.44 ms plain, 0.74 → 0.29 ms conditional; p95 528 → 143 ms and 318 → 147
   ms; 169 → 750 req/s plain.
2. **A plain GET of an unchanged status answers from memory** (\`StatusAnswerCache\`): every request still reads the
   version (a query that started after it arrived, so what another replica records shows on the next request); an
   equal version, the same equality the 304 relies on, serves the answer kept for that entity (last 2,000 entities)
   instead of reading, parsing and mapping the rows again. Permissions stay per request: the kept answer is reached
   only after the caller's own catalog lookup and permission check (\`router.test.ts\`: a denied or hidden caller gets
   403/404 with no status while allowed callers are served from the same batch and cache).
3. **${now}.** With the backend idle for a third of the profile after (1), what is left of p95 is the machine: 50
   closed-loop clients, autocannon, PostgreSQL and the other work on its 2 cores. Not done: caching the catalog
   lookup or the permission decision per user and entity (the bench's catalog is in memory, so it would not show;
   in production each is a round trip, but a cached decision outlives a revoked permission).`;
}
