import type { SecretConsumerDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/** `14:02` today, `Dec 5, 14:02` before: when the Secret's data changed. */
export function formatChangeTime(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  const time = date.toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
  });
  if (date.toDateString() === now.toDateString()) return time;
  const day = date.toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
  });
  return `${day}, ${time}`;
}

const READS: Record<SecretConsumerDto['reads'][number], string> = {
  env: 'env var',
  envFrom: 'envFrom',
  volume: 'volume',
  projected: 'projected volume',
  subPath: 'subPath',
};

/** "env var, subPath": how the workload reads the Secret. */
export function describeReads(consumer: SecretConsumerDto): string {
  return consumer.reads.map(r => READS[r]).join(', ');
}

function pods(n: number): string {
  return `${n} pod${n === 1 ? '' : 's'}`;
}

/**
 * The verdict in words, e.g. "restart needed: 3 of 3 pods run the value from
 * before 14:02".
 */
export function describeVerdict(
  consumer: SecretConsumerDto,
  dataChangedAt: string | undefined,
  now: Date = new Date(),
): string {
  const before = dataChangedAt
    ? ` from before ${formatChangeTime(dataChangedAt, now)}`
    : '';
  const stale = `${consumer.stalePods} of ${pods(consumer.pods)}`;
  switch (consumer.verdict) {
    case 'restart-needed':
      return `restart needed: ${
        consumer.updateStrategy === 'OnDelete'
          ? 'delete the pods (OnDelete update strategy): '
          : ''
      }${stale} run the value${before}${
        consumer.paused ? ' (paused: never restarted automatically)' : ''
      }`;
    case 'restarting':
      return `restarting: ${stale} still run the value${before}`;
    case 'current':
      return `current: ${
        consumer.pods === 1 ? 'its pod runs' : `all ${pods(consumer.pods)} run`
      } the current value`;
    case 'updates-in-place':
      return 'updates in place: the kubelet refreshes the mounted files within about a minute';
    case 'next-run':
      return 'next run reads the new value';
    case 'no-pods':
      return 'no running pods';
    default:
      return 'unknown: its pods could not be listed';
  }
}
