import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type {
  ExternalSecretState,
  KeyMappingState,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

type Tone = 'ok' | 'error' | 'pending' | 'warning' | 'neutral';

const STATUS_BY_TONE = {
  ok: StatusOK,
  error: StatusError,
  pending: StatusPending,
  warning: StatusWarning,
  neutral: StatusAborted,
};

const EXTERNAL_SECRET_STATES: Record<
  ExternalSecretState,
  { label: string; tone: Tone }
> = {
  Synced: { label: 'Synced', tone: 'ok' },
  Error: { label: 'Error', tone: 'error' },
  Pending: { label: 'Pending', tone: 'pending' },
  NotFound: { label: 'Not found', tone: 'warning' },
  Unsupported: { label: 'Unsupported', tone: 'warning' },
};

const KEY_STATES: Record<KeyMappingState, { label: string; tone: Tone }> = {
  synced: { label: 'Synced', tone: 'ok' },
  error: { label: 'Error', tone: 'error' },
  pending: { label: 'Pending', tone: 'pending' },
  unsupported: { label: 'Unsupported', tone: 'warning' },
  removed: { label: 'Removed', tone: 'neutral' },
};

/** The human label of an ExternalSecret state ("Not found" for `NotFound`). */
export function externalSecretStateLabel(state: ExternalSecretState): string {
  return EXTERNAL_SECRET_STATES[state]?.label ?? state;
}

/** The human label of a key mapping state. */
export function keyMappingStateLabel(state: KeyMappingState): string {
  return KEY_STATES[state]?.label ?? state;
}

/**
 * A coloured status icon followed by the state as text. Backstage's Status
 * components hide themselves from assistive technology by default; here the
 * text IS the information, so it stays readable (the icon stays hidden).
 */
function Badge(props: { label: string; tone: Tone }) {
  const Status = STATUS_BY_TONE[props.tone];
  return (
    <Status aria-hidden={false} aria-label={undefined}>
      {props.label}
    </Status>
  );
}

/**
 * Observe mode's readings of ESO's Ready=True (issue #17 item 21): the target
 * not visible yet is waiting, and a status ESO stopped refreshing is stale.
 */
const OBSERVED_REASONS: Record<string, { label: string; tone: Tone }> = {
  WaitingForTarget: { label: 'Waiting', tone: 'pending' },
  Stale: { label: 'Stale', tone: 'warning' },
};

/** The overall state of one ExternalSecret. */
export function ExternalSecretStateBadge(props: {
  state: ExternalSecretState;
  reason?: string;
}) {
  const known =
    (props.reason && OBSERVED_REASONS[props.reason]) ||
    EXTERNAL_SECRET_STATES[props.state];
  return (
    <Badge
      label={known?.label ?? props.state}
      tone={known?.tone ?? 'warning'}
    />
  );
}

/** The state of one key mapping. */
export function KeyMappingStateBadge(props: { state: KeyMappingState }) {
  const known = KEY_STATES[props.state];
  return (
    <Badge
      label={known?.label ?? props.state}
      tone={known?.tone ?? 'warning'}
    />
  );
}

/** Whether a store is Ready, as a badge. */
export function StoreReadyBadge(props: { ready: boolean }) {
  return props.ready ? (
    <Badge label="Ready" tone="ok" />
  ) : (
    <Badge label="Not ready" tone="error" />
  );
}
