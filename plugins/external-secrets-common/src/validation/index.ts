export { parseExternalSecret } from './parseExternalSecret';
export { parseSecretStore } from './parseSecretStore';
export { parseManifests } from './parseManifests';
export type { ParsedManifest } from './parseManifests';
export { compileGoRegExp } from './compileGoRegExp';
export type {
  GoRegExp,
  GoRegExpMatch,
  GoRegExpResult,
} from './compileGoRegExp';
