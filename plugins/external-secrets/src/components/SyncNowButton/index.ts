export { SyncNowButton } from './SyncNowButton';
