/**
 * An in-memory AWS Secrets Manager (JSON wire protocol) for demos and tests.
 *
 * @packageDocumentation
 */
export {
  AwsSecretsManagerSimulator,
  type SimulatorResponse,
} from './AwsSecretsManagerSimulator';
export {
  startAwsSimulatorServer,
  type AwsSimulatorServer,
} from './startAwsSimulatorServer';
