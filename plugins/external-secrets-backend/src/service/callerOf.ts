import { BackstageCredentials } from '@backstage/backend-plugin-api';

/** Whom a per-caller budget is counted for: the user, or the calling service. */
export function callerOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    return principal.subject;
  }
  return principal.type ?? 'unknown';
}
