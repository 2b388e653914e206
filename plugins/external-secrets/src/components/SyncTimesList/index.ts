export { SyncTimesList } from './SyncTimesList';
