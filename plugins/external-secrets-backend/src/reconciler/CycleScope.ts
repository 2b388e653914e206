/**
 * What a cycle covers: every cluster (no scope), one cluster (its scheduled
 * task), or some of one cluster's ExternalSecrets (`only`, by
 * `namespace/name`: the ones watch events made due; nothing else is listed).
 */
export type CycleScope = { cluster: string; only?: Set<string> };
