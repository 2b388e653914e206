export { SyncEventsList } from './SyncEventsList';
