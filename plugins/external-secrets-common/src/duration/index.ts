export { parseGoDuration } from './parseGoDuration';
export { formatGoDuration } from './formatGoDuration';
