export { ExternalSecretSummary } from './ExternalSecretSummary';
export { KeyMappingList } from './KeyMappingList';
