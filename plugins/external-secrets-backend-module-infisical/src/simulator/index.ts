/**
 * An Infisical API simulator for tests and local development: msw handlers or
 * a local HTTP(S) server.
 *
 * @packageDocumentation
 */

export { InfisicalSimulator } from './InfisicalSimulator';
export {
  createInfisicalHandlers,
  SIMULATOR_BASE_URL,
} from './createInfisicalHandlers';
export {
  startInfisicalSimulatorServer,
  type InfisicalSimulatorServer,
} from './startInfisicalSimulatorServer';
export type {
  SimulatorFault,
  SimulatorLogEntry,
  SimulatorOptions,
  SimulatorProfile,
  SimulatorRequest,
  SimulatorResponse,
  SimulatorRoute,
  SimulatorTokenSettings,
} from './types';
