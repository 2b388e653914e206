import { SetupDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { createHash } from 'crypto';

/**
 * The weak ETag of an entity status answer: a hash of the rows' version (see
 * `StatusStore.entityStatusVersion`) and of the setup sent along with them.
 * Weak, because equal ETags promise the same status, not the same bytes.
 */
export function statusETag(rowsVersion: string, setup: SetupDto): string {
  const hash = createHash('sha256')
    .update(rowsVersion)
    .update(JSON.stringify(setup))
    .digest('base64url')
    .slice(0, 32);
  return `W/"${hash}"`;
}
