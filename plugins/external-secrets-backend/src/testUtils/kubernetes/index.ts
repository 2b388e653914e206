/**
 * A simulated Kubernetes API server for tests and the demo backend.
 *
 * @packageDocumentation
 */

export { startKubernetesSimulator } from './startKubernetesSimulator';
export type {
  KubernetesSimulator,
  KubernetesSimulatorOptions,
  SimulatorObjectRef,
  SimulatorRequest,
} from './startKubernetesSimulator';
export type { SimulatorFault } from './FaultInjector';
export type { KubernetesVerb } from './parseRequestPath';
export type { SimulatedKind } from './resources';
export type { StoredMetadata, StoredObject } from './SimulatorStore';
export type { KubernetesStatus, StatusCause } from './apiStatus';
