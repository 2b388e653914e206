export { KeyMappingTable } from './KeyMappingTable';
