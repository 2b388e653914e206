import { readFileSync } from 'node:fs';

/** The control plane `scripts/kube-test-env.sh start` runs, as its `export` lines describe it. */
export type KubeTestEnv = {
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** Path of the PEM CA that signed the apiserver's certificate. */
  caFile: string;
  /** The same CA, base64 PEM, as a kubeconfig's `certificate-authority-data`. */
  caData: string;
  /** Static token of a `system:masters` user: the tests' kubectl. */
  adminToken: string;
  /** Token of the plugin's least-privilege service account. */
  pluginToken: string;
  /** The plugin's user name as the apiserver's audit log records it. */
  pluginUser: string;
  /** A kubeconfig for the plugin's service account. */
  kubeconfig: string;
  /** The apiserver's audit log (JSON lines, metadata level). */
  auditLog: string;
};

const VARIABLES = {
  url: 'KUBE_TEST_ENV_URL',
  caFile: 'KUBE_TEST_ENV_CA_FILE',
  adminToken: 'KUBE_TEST_ENV_ADMIN_TOKEN',
  pluginToken: 'KUBE_TEST_ENV_PLUGIN_TOKEN',
  pluginUser: 'KUBE_TEST_ENV_PLUGIN_USER',
  kubeconfig: 'KUBE_TEST_ENV_KUBECONFIG',
  auditLog: 'KUBE_TEST_ENV_AUDIT_LOG',
} as const;

/**
 * Reads the control plane's coordinates from the environment. These tests never
 * skip: without a control plane they fail, naming the command that starts one.
 */
export function kubeTestEnv(): KubeTestEnv {
  const missing = Object.values(VARIABLES).filter(name => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(
      `No Kubernetes control plane for the k8s integration tests (${missing.join(
        ', ',
      )} unset). Run them with \`bash scripts/kube-test-env.sh run-tests\`, or ` +
        '`eval "$(bash scripts/kube-test-env.sh start)"` before `yarn test:k8s`.',
    );
  }
  const value = (key: keyof typeof VARIABLES) =>
    process.env[VARIABLES[key]] as string;
  return {
    url: value('url'),
    caFile: value('caFile'),
    caData: readFileSync(value('caFile')).toString('base64'),
    adminToken: value('adminToken'),
    pluginToken: value('pluginToken'),
    pluginUser: value('pluginUser'),
    kubeconfig: value('kubeconfig'),
    auditLog: value('auditLog'),
  };
}
