/**
 * How the benchmark's child processes run TypeScript: Backstage's own node
 * transform (SWC, the one `backstage-cli package start` uses), no build step.
 */
export const TS_EXEC_ARGV = [
  '--require',
  require.resolve('@backstage/cli/config/nodeTransform.cjs'),
];
