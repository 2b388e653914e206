import { RELOADER_ANNOTATIONS as R } from './reloaderAnnotations';
import { ANNOTATION_RESTART_ON_CHANGE, restartOptIn } from './restartOptIn';
import { SecretUse, WorkloadObject } from './types';

const SECRET = 'db-credentials';
const READS: SecretUse[] = [{ container: 'app', init: false, via: 'env' }];

function workload(
  annotations?: Record<string, string>,
  templateAnnotations?: Record<string, string>,
): WorkloadObject {
  return {
    kind: 'Deployment',
    metadata: { name: 'web', annotations },
    spec: { template: { metadata: { annotations: templateAnnotations } } },
  };
}

function optIn(
  w: WorkloadObject,
  extra: {
    secretAnnotations?: Record<string, string>;
    externalSecretAnnotations?: Record<string, string>;
    uses?: SecretUse[];
    secretName?: string;
  } = {},
) {
  return restartOptIn({
    workload: w,
    secretName: extra.secretName ?? SECRET,
    uses: extra.uses ?? READS,
    secretAnnotations: extra.secretAnnotations,
    externalSecretAnnotations: extra.externalSecretAnnotations,
  });
}

// Reloader: internal/pkg/handler/upgrade.go, PerformAction.
describe('restartOptIn (Reloader annotations)', () => {
  it('nothing without an annotation', () => {
    expect(optIn(workload())).toBeUndefined();
  });

  it.each(['true', 'True', 'TRUE', '1', 't'])(
    'reloader.stakater.com/auto: %s (Go ParseBool)',
    value => {
      expect(optIn(workload({ [R.auto]: value }))).toBe(R.auto);
    },
  );

  it.each(['false', 'yes', ''])(
    'reloader.stakater.com/auto: "%s" is off',
    v => {
      expect(optIn(workload({ [R.auto]: v }))).toBeUndefined();
    },
  );

  it('secret.reloader.stakater.com/auto', () => {
    expect(optIn(workload({ [R.secretAuto]: 'true' }))).toBe(R.secretAuto);
  });

  it('auto needs a container that reads the Secret', () => {
    expect(optIn(workload({ [R.auto]: 'true' }), { uses: [] })).toBeUndefined();
    expect(
      optIn(workload({ [R.secretAuto]: 'true' }), { uses: [] }),
    ).toBeUndefined();
  });

  it.each([
    ['the exact name', SECRET],
    ['one of a comma list', `other, ${SECRET} ,third`],
    ['a regular expression', 'db-.*'],
  ])('secret.reloader.stakater.com/reload naming it: %s', (_name, value) => {
    expect(optIn(workload({ [R.secretReload]: value }))).toBe(R.secretReload);
  });

  it('reload patterns are anchored: a prefix does not match', () => {
    expect(optIn(workload({ [R.secretReload]: 'db' }))).toBeUndefined();
    expect(
      optIn(workload({ [R.secretReload]: 'credentials' }), {
        secretName: 'db-credentials',
      }),
    ).toBeUndefined();
  });

  it('an invalid reload pattern is skipped, the others still apply', () => {
    expect(optIn(workload({ [R.secretReload]: '(' }))).toBeUndefined();
    expect(optIn(workload({ [R.secretReload]: `(,${SECRET}` }))).toBe(
      R.secretReload,
    );
  });

  it('reload by name restarts even a workload without a reading container (as Reloader)', () => {
    expect(optIn(workload({ [R.secretReload]: SECRET }), { uses: [] })).toBe(
      R.secretReload,
    );
  });

  it('search + match: the workload searches, the Secret matches', () => {
    expect(
      optIn(workload({ [R.search]: 'true' }), {
        secretAnnotations: { [R.match]: 'true' },
      }),
    ).toBe(R.search);
    expect(optIn(workload({ [R.search]: 'true' }))).toBeUndefined();
    expect(
      optIn(workload(), { secretAnnotations: { [R.match]: 'true' } }),
    ).toBeUndefined();
    expect(
      optIn(workload({ [R.search]: 'true' }), {
        secretAnnotations: { [R.match]: 'true' },
        uses: [],
      }),
    ).toBeUndefined();
  });

  it('the pod template annotations count only when the workload has none of the keys', () => {
    expect(optIn(workload(undefined, { [R.auto]: 'true' }))).toBe(R.auto);
    // The workload says reload=other: Reloader never looks at the template.
    expect(
      optIn(workload({ [R.secretReload]: 'other' }, { [R.auto]: 'true' })),
    ).toBeUndefined();
    // Unrelated workload annotations do not hide the template's.
    expect(optIn(workload({ team: 'a' }, { [R.secretReload]: SECRET }))).toBe(
      R.secretReload,
    );
  });

  it('a CronJob is read through its job template annotations', () => {
    const cron: WorkloadObject = {
      kind: 'CronJob',
      metadata: { name: 'nightly' },
      spec: {
        jobTemplate: {
          spec: {
            template: { metadata: { annotations: { [R.auto]: 'true' } } },
          },
        },
      },
    };
    expect(optIn(cron)).toBe(R.auto);
  });

  it('a Secret annotated reloader.stakater.com/ignore restarts nothing', () => {
    expect(
      optIn(workload({ [R.auto]: 'true' }), {
        secretAnnotations: { [R.ignore]: 'true' },
      }),
    ).toBeUndefined();
  });

  it('auto wins over the other annotations when several apply', () => {
    expect(
      optIn(workload({ [R.auto]: 'true', [R.secretReload]: SECRET })),
    ).toBe(R.auto);
  });
});

describe('restartOptIn (our ExternalSecret annotation)', () => {
  it('restart-on-change: "true" on the ExternalSecret opts in every reading workload', () => {
    expect(
      optIn(workload(), {
        externalSecretAnnotations: { [ANNOTATION_RESTART_ON_CHANGE]: 'true' },
      }),
    ).toBe(ANNOTATION_RESTART_ON_CHANGE);
  });

  it('not for a workload that does not read the Secret, nor for another value', () => {
    expect(
      optIn(workload(), {
        externalSecretAnnotations: { [ANNOTATION_RESTART_ON_CHANGE]: 'true' },
        uses: [],
      }),
    ).toBeUndefined();
    expect(
      optIn(workload(), {
        externalSecretAnnotations: { [ANNOTATION_RESTART_ON_CHANGE]: 'yes' },
      }),
    ).toBeUndefined();
  });

  it('the Secret ignore annotation applies to ours too', () => {
    expect(
      optIn(workload(), {
        secretAnnotations: { [R.ignore]: 'true' },
        externalSecretAnnotations: { [ANNOTATION_RESTART_ON_CHANGE]: 'true' },
      }),
    ).toBeUndefined();
  });
});
