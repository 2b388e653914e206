export { EntityStatusGate } from './EntityStatusGate';
export type { EntityStatusGateProps } from './EntityStatusGate';
export { PermissionDeniedMessage } from './PermissionDeniedMessage';
