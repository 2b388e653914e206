import type { SecretValue } from '../values/SecretValue';
import {
  renderTemplateData,
  renderTemplateMetadata,
  templateBlocker,
  type TemplateData,
} from './applyTemplate';
import { renderTemplateFrom } from './templateFrom';
import {
  failureMessage,
  isFailure,
  readyCondition,
  RECONCILE_MESSAGES,
} from './conditions';
import {
  buildDesiredSecret,
  dataSize,
  diffKeys,
  isUnchanged,
  MAX_SECRET_BYTES,
} from './desiredSecret';
import { collectProduced } from './collectProduced';
import { decideDelete } from './decideDelete';
import { foreignController } from './ownership';
import { unavailability } from './unavailability';
import { resolveEntries, type EntryResult } from './resolveEntries';
import { assembleData } from './assembleData';
import {
  brokenTemplateKeys,
  invalidEntryIds,
  refuseWrite,
} from './refuseWrite';
import type { KeyStatus, ReconcileInput, ReconcileResult } from './types';

type Outcome = Omit<ReconcileResult, 'keys' | 'changedKeys' | 'removedKeys'> &
  Partial<Pick<ReconcileResult, 'changedKeys' | 'removedKeys'>>;

function errorOutcome(
  input: ReconcileInput,
  prefix: string,
  failures: KeyStatus[],
  total: number,
  extra: string[] = [],
  action: ReconcileResult['action'] = 'none',
): Outcome {
  return {
    action,
    condition: readyCondition(
      'False',
      'SecretSyncedError',
      failureMessage(prefix, failures, total, extra),
      input.now,
    ),
  };
}

type Resolved = {
  entries: EntryResult[];
  produced: Map<string, SecretValue>;
  /** Entry statuses followed by template key statuses. */
  statuses: KeyStatus[];
  templateData?: TemplateData;
  blocker?: string;
  unavailable: (key: string) => string | undefined;
};

function decide(input: ReconcileInput, resolved: Resolved): Outcome {
  const { parsed, current, now } = input;
  const { entries, produced, statuses, templateData, blocker, unavailable } =
    resolved;
  const es = parsed.externalSecret;
  const { target } = es.spec;
  const failures = statuses.filter(isFailure);
  const total = statuses.filter(
    s => s.secretKey !== undefined || isFailure(s),
  ).length;
  const secretName = `Secret ${es.metadata.namespace}/${target.name}`;
  const fail = (prefix: string, extra: string[] = []) =>
    errorOutcome(input, prefix, failures, total, extra);

  const controller =
    current && target.creationPolicy !== 'None'
      ? foreignController(current.metadata.ownerReferences, es)
      : undefined;
  if (controller) {
    const cause = `${secretName} is controlled by ${controller.kind} ${controller.name}; it is never written by this ExternalSecret. Remove that ownerReference or set spec.target.name to another Secret`;
    return errorOutcome(
      input,
      RECONCILE_MESSAGES.errorIsOwned,
      [],
      total,
      [cause],
      'refuse',
    );
  }
  if (blocker) return fail(RECONCILE_MESSAGES.errorUpdate, [blocker]);
  if (target.creationPolicy === 'Owner' && !es.metadata.uid) {
    return fail(RECONCILE_MESSAGES.errorUpdate, [
      'the ExternalSecret has no metadata.uid, so creationPolicy Owner cannot set its ownerReference (read it from the cluster)',
    ]);
  }
  const entryFailures = entries.some(e =>
    e.outcomes.some(o => isFailure(o.status)),
  );
  const usable = produced.size > 0 || (templateData?.data.size ?? 0) > 0;
  if (!usable && entryFailures)
    return fail(RECONCILE_MESSAGES.errorGetSecretData);
  if (
    target.deletionPolicy === 'Delete' &&
    entries.length > 0 &&
    entries.every(e => e.gone)
  )
    return decideDelete(input);
  const synced = readyCondition(
    'True',
    'SecretSynced',
    RECONCILE_MESSAGES.synced,
    now,
  );
  const condition = failures.length
    ? fail(RECONCILE_MESSAGES.errorGetSecretData).condition
    : synced;
  if (target.creationPolicy === 'None') return { action: 'none', condition };
  if (target.creationPolicy === 'Merge' && !current) {
    return {
      action: 'wait',
      condition: failures.length
        ? condition
        : readyCondition(
            'True',
            'SecretMissing',
            RECONCILE_MESSAGES.missing,
            now,
          ),
    };
  }
  // Nothing fresh and nothing proven gone: never write (an empty answer is not evidence).
  const removes = statuses.some(s => s.state === 'removed');
  if (!usable && !removes) {
    return {
      action: 'none',
      condition: readyCondition(
        'True',
        'SecretSynced',
        RECONCILE_MESSAGES.syncedRetainEmpty,
        now,
      ),
    };
  }

  const metadata = target.template
    ? renderTemplateMetadata(target.template, produced, unavailable)
    : {
        labels: es.metadata.labels ?? {},
        annotations: es.metadata.annotations ?? {},
      };
  // ESO renders metadata in the same ApplyTemplate call as the data: its
  // failure is the template error, and nothing is written.
  if ('error' in metadata)
    return fail(RECONCILE_MESSAGES.errorTemplate, [metadata.error]);
  if (templateData?.metadataError)
    return fail(RECONCILE_MESSAGES.errorTemplate, [templateData.metadataError]);
  // templateFrom's labels/annotations first: template.metadata's win (MergeMap runs after MergeTemplateFrom).
  metadata.labels = { ...templateData?.metadata?.labels, ...metadata.labels };
  metadata.annotations = {
    ...templateData?.metadata?.annotations,
    ...metadata.annotations,
  };
  const data = assembleData(input, entries, produced, templateData, statuses);
  const size = dataSize(data);
  if (size > MAX_SECRET_BYTES) {
    return fail(RECONCILE_MESSAGES.errorUpdate, [
      `${secretName} would hold ${size} bytes of data, above Kubernetes' limit of ${MAX_SECRET_BYTES} (1 MiB)`,
    ]);
  }
  const { desired, dataHash } = buildDesiredSecret({
    externalSecret: es,
    current,
    data,
    metadata,
  });
  const { changedKeys, removedKeys } = diffKeys(
    current?.data ?? {},
    desired.data,
  );
  if (current?.immutable && (changedKeys.length || removedKeys.length)) {
    const keys = [...changedKeys, ...removedKeys].join(', ');
    const cause = `${secretName} is immutable and its data would change (keys: ${keys}); delete the Secret so it is recreated, or set spec.target.name to a new Secret`;
    return fail(RECONCILE_MESSAGES.errorImmutable, [cause]);
  }
  if (current && isUnchanged(current, desired))
    return {
      action: 'none',
      desired,
      dataHash,
      condition,
      changedKeys: [],
      removedKeys: [],
    };
  return {
    action: current ? 'update' : 'create',
    desired,
    dataHash,
    condition,
    changedKeys,
    removedKeys,
  };
}

/**
 * The pure heart of the reconciler: from a parsed ExternalSecret, the outcomes
 * of its `planReads` requests, the stores' readiness and the current target
 * Secret, decide what to write and what status to report. No I/O.
 *
 * A failed read fails only its own keys (which keep their current values); a
 * provider error, timeout, rate limit or empty `find` never empties or deletes
 * anything; keys are removed only when the provider proved them gone and
 * deletionPolicy allows it. See the README for the full policy table.
 *
 * @public
 */
export function reconcileExternalSecret(
  input: ReconcileInput,
): ReconcileResult {
  const { parsed } = input;
  const entries = resolveEntries({
    parsed,
    reads: input.reads,
    storeStatus: input.storeStatus,
    deletionPolicy: parsed.externalSecret.spec.target.deletionPolicy,
    currentKeys: new Set(Object.keys(input.current?.data ?? {})),
  });
  const outcomes = entries.flatMap(e => e.outcomes);
  const produced = collectProduced(outcomes);
  const entryStatuses = outcomes.map(o => o.status);
  const { template } = parsed.externalSecret.spec.target;
  const blocker = templateBlocker(template);
  const unavailable = unavailability(entryStatuses);
  const hasTemplateData = Object.keys(template?.data ?? {}).length > 0;
  const templateData = blocker
    ? undefined
    : renderTemplateFrom(
        template,
        hasTemplateData
          ? renderTemplateData(template!, produced, unavailable)
          : undefined,
        produced,
        unavailable,
        input.templateSources,
      );
  const statuses = [
    ...entryStatuses,
    ...(templateData?.outcomes.map(o => o.status) ?? []),
  ];
  const invalid = invalidEntryIds(parsed);
  if (invalid.length > 0) {
    return refuseWrite(input, statuses, {
      failing: invalid,
      prefix: RECONCILE_MESSAGES.invalidSpec,
      why: 'invalid',
    });
  }
  const nullBytes = statuses
    .filter(s => s.reason === 'NullBytes')
    .map(s => s.source);
  if (nullBytes.length > 0) {
    return refuseWrite(input, statuses, {
      failing: nullBytes,
      prefix: RECONCILE_MESSAGES.errorGetSecretData,
      why: 'refused by nullBytePolicy Fail',
    });
  }
  const brokenTemplate = brokenTemplateKeys(templateData);
  if (brokenTemplate.length > 0) {
    return refuseWrite(input, statuses, {
      failing: brokenTemplate,
      prefix: RECONCILE_MESSAGES.errorTemplate,
      why: 'failing to render',
    });
  }
  const outcome = decide(input, {
    entries,
    produced,
    statuses,
    templateData,
    blocker,
    unavailable,
  });
  return {
    ...outcome,
    keys: statuses,
    changedKeys: outcome.changedKeys ?? [],
    removedKeys: outcome.removedKeys ?? [],
  };
}
