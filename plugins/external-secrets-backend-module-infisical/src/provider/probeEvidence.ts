import type { ProbeResult } from './CycleReader';
import type { ErrorContext } from './toProviderError';

/**
 * What a probe's answer proves, for error messages and details: the call,
 * its HTTP status, request id and the server's message (redacted).
 */
export function evidenceOf(
  probe: Exclude<ProbeResult, { kind: 'found' }>,
  context: ErrorContext,
) {
  const { error } = probe;
  const reqId = error.requestId ? ` (request id ${error.requestId})` : '';
  return {
    text: `${error.call} answered HTTP ${
      error.status
    }${reqId}: ${context.redactor.apply(error.serverMessage)}`,
    details: {
      call: error.call,
      httpStatus: error.status,
      requestId: error.requestId,
    },
  };
}
