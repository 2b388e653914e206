import { toWorkloadObject } from './workloadMapping';

const CANARY = 'mapping-canary-7d21';

/** A Deployment as the API answers it, with everything a pod spec may carry. */
const deployment = {
  metadata: {
    name: 'web',
    namespace: 'payments',
    uid: 'u-1',
    labels: { app: 'web' },
    annotations: {
      // kubectl apply keeps the whole manifest here, literal env values included.
      'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
        spec: { env: [{ name: 'TOKEN', value: CANARY }] },
      }),
      'example.com/owner-note': CANARY,
      'reloader.stakater.com/auto': 'true',
      'secret.reloader.stakater.com/reload': 'db',
    },
    managedFields: [{ manager: 'kubectl', fieldsV1: { note: CANARY } }],
  },
  spec: {
    paused: false,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: {
        labels: { app: 'web' },
        annotations: {
          'reloader.stakater.com/last-reloaded-from': '{"name":"db"}',
          'example.com/build-info': CANARY,
        },
      },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'web:1',
            command: ['run', CANARY],
            env: [
              { name: 'LITERAL', value: CANARY },
              {
                name: 'FROM_MAP',
                valueFrom: { configMapKeyRef: { name: CANARY, key: 'k' } },
              },
              {
                name: 'DB_PASSWORD',
                valueFrom: { secretKeyRef: { name: 'db', key: 'password' } },
              },
            ],
            envFrom: [
              { configMapRef: { name: CANARY } },
              { secretRef: { name: 'db' } },
            ],
            volumeMounts: [{ name: 'creds', mountPath: '/etc/db' }],
          },
        ],
        volumes: [
          { name: 'creds', secret: { secretName: 'db' } },
          { name: 'cfg', configMap: { name: CANARY } },
        ],
      },
    },
  },
};

describe('toWorkloadObject: metadata and the pod template, nothing else', () => {
  it("keeps the Secret references and Reloader's annotations, and drops everything else on arrival", () => {
    const mapped = toWorkloadObject('Deployment', deployment as any);
    expect(JSON.stringify(mapped)).not.toContain(CANARY);
    expect(mapped.metadata.annotations).toEqual({
      'reloader.stakater.com/auto': 'true',
      'secret.reloader.stakater.com/reload': 'db',
    });
    expect(mapped.spec?.template?.metadata?.annotations).toEqual({
      'reloader.stakater.com/last-reloaded-from': '{"name":"db"}',
    });
    const container = mapped.spec?.template?.spec?.containers?.[0];
    expect(container?.env).toEqual([
      {
        name: 'DB_PASSWORD',
        valueFrom: { secretKeyRef: { name: 'db', key: 'password' } },
      },
    ]);
    expect(container?.envFrom).toEqual([{ secretRef: { name: 'db' } }]);
    expect(mapped.spec?.template?.spec?.volumes).toEqual([
      { name: 'creds', secret: { secretName: 'db' } },
      { name: 'cfg' },
    ]);
  });

  it('keeps the update strategy type of a StatefulSet or DaemonSet (OnDelete rolls nothing on a template change)', () => {
    const statefulSet = {
      metadata: { name: 'db' },
      spec: {
        updateStrategy: {
          type: 'OnDelete',
          rollingUpdate: { partition: 0 },
        },
        template: { spec: { containers: [] } },
      },
    };
    const mapped = toWorkloadObject('StatefulSet', statefulSet as any);
    expect(mapped.spec?.updateStrategy).toEqual({ type: 'OnDelete' });
  });
});
