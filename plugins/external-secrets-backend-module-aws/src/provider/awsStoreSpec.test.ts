import { awsStore, secretRefAuth } from '../__testUtils__/awsWorld';
import { parseAwsStoreSpec } from './awsStoreSpec';

const issuesOf = (aws: Record<string, unknown>, kind?: 'SecretStore') =>
  parseAwsStoreSpec(
    awsStore({ aws, ...(kind ? { kind, namespace: 'team-a' } : {}) }),
  ).issues.map(i => `${i.severity} ${i.message}`);

/** ESO v1's spec.provider.aws (apis/externalsecrets/v1/secretstore_aws_types.go), as this module reads it. */
describe('parseAwsStoreSpec', () => {
  it('reads the ESO shape with its defaults', () => {
    const { spec, issues } = parseAwsStoreSpec(
      awsStore({ aws: { role: 'arn:aws:iam::123456789012:role/r' } }),
    );

    expect(issues).toEqual([]);
    expect(spec).toMatchObject({
      service: 'SecretsManager',
      region: 'eu-west-1',
      role: 'arn:aws:iam::123456789012:role/r',
      additionalRoles: [],
      prefix: '',
      auth: { secretRef: secretRefAuth().secretRef },
    });
  });

  it('reports ParameterStore and jwt auth as unsupported, naming the field', () => {
    expect(issuesOf({ service: 'ParameterStore' })).toEqual([
      'unsupported spec.provider.aws.service "ParameterStore" is not supported by this module (only SecretsManager)',
    ]);
    expect(
      issuesOf({ auth: { jwt: { serviceAccountRef: { name: 'sa' } } } }),
    ).toEqual([
      expect.stringMatching(
        /^unsupported spec\.provider\.aws\.auth\.jwt is not supported/,
      ),
    ]);
  });

  it('refuses a region that is not one and a role that is not an IAM role ARN', () => {
    expect(issuesOf({ region: 'eu-west-1.evil.example' })).toEqual([
      expect.stringContaining('spec.provider.aws.region must be an AWS region'),
    ]);
    expect(issuesOf({ role: 'admin' })).toEqual([
      'error spec.provider.aws.role must be an IAM role ARN',
    ]);
  });

  it('needs a namespace on a ClusterSecretStore’s secretRef selectors, not on a SecretStore’s', () => {
    expect(issuesOf({ auth: secretRefAuth(null) })).toEqual([
      'error spec.provider.aws.auth.secretRef.accessKeyIDSecretRef.namespace is required for ClusterSecretStore',
      'error spec.provider.aws.auth.secretRef.secretAccessKeySecretRef.namespace is required for ClusterSecretStore',
    ]);
    expect(issuesOf({ auth: secretRefAuth(null) }, 'SecretStore')).toEqual([]);
  });

  it('accepts secretsManager.forceDeleteWithoutRecovery with a warning: it only matters to PushSecret', () => {
    const { spec, issues } = parseAwsStoreSpec(
      awsStore({
        aws: { secretsManager: { forceDeleteWithoutRecovery: true } },
      }),
    );

    expect(spec).toBeDefined();
    expect(issues.map(i => i.severity)).toEqual(['warning']);
    expect(issues[0].message).toContain('PushSecret');
  });
});
