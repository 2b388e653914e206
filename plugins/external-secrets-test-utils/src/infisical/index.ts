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
