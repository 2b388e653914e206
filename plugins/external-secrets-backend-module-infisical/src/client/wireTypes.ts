/** The parts of Infisical's answers this provider reads. Everything else is ignored. */

export type LoginResult = {
  accessToken: string;
  /** Seconds until the token expires; 0 means it does not expire. */
  expiresInSeconds: number;
  /** Seconds from creation after which the token can no longer be renewed; 0 means no limit. */
  maxTtlSeconds: number;
};

export type WireSecret = {
  secretKey: string;
  secretValue: string;
  version?: number;
  /** Folder of the secret (v4 always, v3 on recursive reads). */
  secretPath?: string;
  /** Tag slugs; undefined when the instance does not return tags. */
  tagSlugs?: string[];
  /** True when the identity may see the name but not the value. */
  secretValueHidden: boolean;
};

export type WireImport = {
  environment: string;
  secretPath: string;
  secrets: WireSecret[];
};

export type WireSecretList = {
  secrets: WireSecret[];
  imports: WireImport[];
};

/** Which list/get routes an instance serves. */
export type ApiVersion = 'v4' | 'v3';
