import { ExternalSecret, SecretStore } from './eso';

/**
 * `error`: the object (or entry) cannot be used. `unsupported`: a real ESO field we
 * do not implement; it fails the object or entry where it appears, with the message
 * `unsupported: <field path>` (never silently ignored). `warning`: an unknown field
 * or a questionable value; the object still syncs.
 * @public
 */
export type ValidationSeverity = 'error' | 'unsupported' | 'warning';

/**
 * One finding. `path` is the field path from the object root, e.g.
 * `spec.data[2].secretKey`; `message` is the full human text, e.g.
 * `spec.data[2].secretKey "a b": must match ^[-._a-zA-Z0-9]+$`.
 * @public
 */
export type ValidationIssue = {
  severity: ValidationSeverity;
  path: string;
  message: string;
};

/**
 * An entry of `spec.data` or `spec.dataFrom` that failed validation. It fails only
 * itself: the other entries of the ExternalSecret still sync.
 * @public
 */
export type InvalidEntry = {
  field: 'data' | 'dataFrom';
  index: number;
  /** For `data` entries, the target key when it could be read. */
  secretKey?: string;
  /** The remote key it names (`remoteRef.key`, `extract.key`) when readable, so it can be shown by name. */
  remoteKey?: string;
  issues: ValidationIssue[];
};

/**
 * An ExternalSecret read by the domain core: the object with ESO's defaults filled, plus its issues.
 *
 * @public
 */
export type ParsedExternalSecret = {
  /** Defaults filled in; `spec.data`/`spec.dataFrom` hold only the VALID entries, in order. */
  externalSecret: ExternalSecret;
  /** Index maps from the valid entries back to their index in the manifest. */
  dataIndexes: number[];
  dataFromIndexes: number[];
  invalidEntries: InvalidEntry[];
  /** Warnings (and entry-level issues, repeated from invalidEntries for a flat listing). */
  issues: ValidationIssue[];
};

/**
 * The result of parsing a manifest: the parsed value, or the issues that name each bad field.
 *
 * @public
 */
export type ParseResult<T> =
  | { ok: true; value: T; issues: ValidationIssue[] }
  | { ok: false; issues: ValidationIssue[] };

/**
 * A store read by the domain core.
 *
 * @public
 */
export type ParsedSecretStore = SecretStore;
