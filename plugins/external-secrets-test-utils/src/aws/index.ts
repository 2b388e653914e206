/**
 * An in-memory AWS Secrets Manager (JSON wire protocol) for demos and tests.
 */
export {
  AwsSecretsManagerSimulator,
  type AwsSimulatorResponse,
} from './AwsSecretsManagerSimulator';
export {
  startAwsSimulatorServer,
  type AwsSimulatorServer,
} from './startAwsSimulatorServer';
