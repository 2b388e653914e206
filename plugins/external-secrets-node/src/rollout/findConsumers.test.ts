import { findConsumer, findConsumers, findSecretUses } from './findConsumers';
import {
  ContainerLike,
  VolumeLike,
  WorkloadKind,
  WorkloadObject,
} from './types';

const SECRET = 'db-credentials';

function workload(
  containers: ContainerLike[],
  options: {
    kind?: WorkloadKind;
    volumes?: VolumeLike[];
    initContainers?: ContainerLike[];
    paused?: boolean;
    name?: string;
  } = {},
): WorkloadObject {
  const template = {
    metadata: { labels: { app: 'web' } },
    spec: {
      containers,
      initContainers: options.initContainers,
      volumes: options.volumes,
    },
  };
  const kind = options.kind ?? 'Deployment';
  return {
    kind,
    metadata: { name: options.name ?? 'web', namespace: 'team-a' },
    spec:
      kind === 'CronJob'
        ? { jobTemplate: { spec: { template } } }
        : { paused: options.paused, template },
  };
}

const envRef = (secret: string, env = 'DB_PASSWORD'): ContainerLike => ({
  name: 'app',
  env: [
    { name: 'PLAIN', value: 'x' } as never,
    { name: env, valueFrom: { secretKeyRef: { name: secret, key: 'pw' } } },
  ],
});
const envFromRef = (secret: string): ContainerLike => ({
  name: 'app',
  envFrom: [{ secretRef: { name: secret } }],
});
const mount = (volume: string, subPath?: string): ContainerLike => ({
  name: 'app',
  volumeMounts: [{ name: volume, mountPath: '/etc/creds', subPath }],
});
const secretVolume = (secret: string, name = 'creds'): VolumeLike => ({
  name,
  secret: { secretName: secret },
});
const projectedVolume = (secret: string, name = 'creds'): VolumeLike => ({
  name,
  projected: {
    sources: [
      { configMap: { name: 'other' } } as never,
      { secret: { name: secret } },
    ],
  },
});

describe('findConsumer: how a workload reads the Secret', () => {
  it.each([
    ['env secretKeyRef', workload([envRef(SECRET)]), 'env', 'restart'],
    ['envFrom secretRef', workload([envFromRef(SECRET)]), 'envFrom', 'restart'],
    [
      'a mounted secret volume',
      workload([mount('creds')], { volumes: [secretVolume(SECRET)] }),
      'volume',
      'in-place',
    ],
    [
      'a mounted projected volume',
      workload([mount('creds')], { volumes: [projectedVolume(SECRET)] }),
      'projected',
      'in-place',
    ],
    [
      'a secret volume mounted with subPath',
      workload([mount('creds', 'password')], {
        volumes: [secretVolume(SECRET)],
      }),
      'volume',
      'restart',
    ],
    [
      'a projected volume mounted with subPath',
      workload([mount('creds', 'password')], {
        volumes: [projectedVolume(SECRET)],
      }),
      'projected',
      'restart',
    ],
  ] as const)('%s', (_name, w, via, updates) => {
    const consumer = findConsumer(w, SECRET);
    expect(consumer).toMatchObject({
      kind: 'Deployment',
      name: 'web',
      updates,
    });
    expect(consumer?.uses.map(u => u.via)).toEqual([via]);
  });

  it('names the env var and the mount path of each read', () => {
    const uses = findSecretUses(
      workload([envRef(SECRET, 'TOKEN'), mount('creds', 'pw')], {
        volumes: [secretVolume(SECRET)],
      }).spec!.template,
      SECRET,
    );
    expect(uses).toEqual([
      { container: 'app', init: false, via: 'env', target: 'TOKEN' },
      {
        container: 'app',
        init: false,
        via: 'volume',
        target: '/etc/creds',
        subPath: true,
      },
    ]);
  });

  it('subPathExpr is fixed at start like subPath', () => {
    const w = workload(
      [
        {
          name: 'app',
          volumeMounts: [
            { name: 'creds', mountPath: '/x', subPathExpr: '$(POD)' },
          ],
        },
      ],
      { volumes: [secretVolume(SECRET)] },
    );
    expect(findConsumer(w, SECRET)?.updates).toBe('restart');
  });

  it.each([
    ['env', envRef('other-secret')],
    ['envFrom', envFromRef('other-secret')],
  ])('ignores %s of another Secret', (_name, container) => {
    expect(findConsumer(workload([container]), SECRET)).toBeUndefined();
  });

  it('ignores a volume of another Secret, and a projected one without it', () => {
    expect(
      findConsumer(
        workload([mount('creds'), mount('proj')], {
          volumes: [
            secretVolume('other-secret'),
            projectedVolume('other-secret', 'proj'),
          ],
        }),
        SECRET,
      ),
    ).toBeUndefined();
  });

  it('a secret volume no container mounts is not a read', () => {
    expect(
      findConsumer(
        workload([{ name: 'app' }], { volumes: [secretVolume(SECRET)] }),
        SECRET,
      ),
    ).toBeUndefined();
  });

  it('a workload without a pod template or spec reads nothing', () => {
    expect(
      findConsumer({ kind: 'Deployment', metadata: { name: 'x' } }, SECRET),
    ).toBeUndefined();
    expect(
      findConsumer(
        { kind: 'Deployment', metadata: { name: 'x' }, spec: { template: {} } },
        SECRET,
      ),
    ).toBeUndefined();
  });

  it('an init container read the value at pod start: a volume there needs a restart too', () => {
    const w = workload([{ name: 'app' }], {
      initContainers: [{ ...mount('creds'), name: 'migrate' }],
      volumes: [secretVolume(SECRET)],
    });
    const consumer = findConsumer(w, SECRET);
    expect(consumer?.updates).toBe('restart');
    expect(consumer?.uses).toEqual([
      expect.objectContaining({ container: 'migrate', init: true }),
    ]);
  });

  it('env and a volume together: the worst wins (restart)', () => {
    const w = workload([envRef(SECRET), { ...mount('creds'), name: 'side' }], {
      volumes: [secretVolume(SECRET)],
    });
    const consumer = findConsumer(w, SECRET);
    expect(consumer?.updates).toBe('restart');
    expect(consumer?.uses.map(u => u.via)).toEqual(['env', 'volume']);
  });

  it.each(['Deployment', 'StatefulSet', 'DaemonSet'] as const)(
    'a %s reads through spec.template',
    kind => {
      expect(
        findConsumer(workload([envRef(SECRET)], { kind }), SECRET),
      ).toMatchObject({ kind, updates: 'restart' });
    },
  );

  it('a CronJob reads through spec.jobTemplate; its next run gets the new value', () => {
    const consumer = findConsumer(
      workload([envRef(SECRET)], { kind: 'CronJob' }),
      SECRET,
    );
    expect(consumer).toMatchObject({ kind: 'CronJob', updates: 'next-run' });
  });

  it('marks a paused Deployment (only Deployments pause)', () => {
    expect(
      findConsumer(workload([envRef(SECRET)], { paused: true }), SECRET)
        ?.paused,
    ).toBe(true);
    expect(findConsumer(workload([envRef(SECRET)]), SECRET)?.paused).toBe(
      false,
    );
    expect(
      findConsumer(
        workload([envRef(SECRET)], { kind: 'StatefulSet', paused: true }),
        SECRET,
      )?.paused,
    ).toBe(false);
  });

  it('marks a StatefulSet or DaemonSet with the OnDelete update strategy: a template change does not roll its pods', () => {
    const withStrategy = (kind: WorkloadKind, type?: string) => {
      const w = workload([envRef(SECRET)], { kind });
      w.spec = { ...w.spec, ...(type && { updateStrategy: { type } }) };
      return findConsumer(w, SECRET)?.onDelete;
    };
    expect(withStrategy('StatefulSet', 'OnDelete')).toBe(true);
    expect(withStrategy('DaemonSet', 'OnDelete')).toBe(true);
    expect(withStrategy('StatefulSet', 'RollingUpdate')).toBe(false);
    expect(withStrategy('DaemonSet')).toBe(false);
    expect(withStrategy('Deployment')).toBe(false);
  });

  it('findConsumers keeps only the workloads that read the Secret, in order', () => {
    const consumers = findConsumers(
      [
        workload([envRef(SECRET)], { name: 'a' }),
        workload([envRef('other')], { name: 'b' }),
        workload([envFromRef(SECRET)], { name: 'c', kind: 'StatefulSet' }),
      ],
      SECRET,
    );
    expect(consumers.map(c => `${c.kind}/${c.name}`)).toEqual([
      'Deployment/a',
      'StatefulSet/c',
    ]);
  });

  // Reloader's PerformAction (internal/pkg/handler/upgrade.go) restarts a
  // workload whose `secret.reloader.stakater.com/reload` names the Secret
  // whether or not a container reads it, so that workload is a consumer too.
  it('a workload that only names the Secret in secret.reloader.stakater.com/reload is a consumer needing a restart', () => {
    const named = workload([envRef('other')], { name: 'reloads' });
    named.metadata.annotations = {
      'secret.reloader.stakater.com/reload': 'unrelated, db-credentials',
    };
    const unnamed = workload([envRef('other')], { name: 'ignores' });
    unnamed.metadata.annotations = {
      'secret.reloader.stakater.com/reload': 'db-credentials-old',
    };

    expect(findConsumer(named, SECRET)).toEqual({
      kind: 'Deployment',
      name: 'reloads',
      uses: [],
      updates: 'restart',
      paused: false,
      onDelete: false,
    });
    expect(findConsumer(unnamed, SECRET)).toBeUndefined();
  });
});
