export {
  ExternalSecretStateBadge,
  KeyMappingStateBadge,
  StoreReadyBadge,
  externalSecretStateLabel,
  keyMappingStateLabel,
} from './StateBadge';
