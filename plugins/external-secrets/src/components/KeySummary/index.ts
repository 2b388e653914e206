export { KeySummary } from './KeySummary';
