import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import express from 'express';

/**
 * Drops the stack trace from an error before Backstage's error handler
 * answers it: that handler adds the stack (absolute server paths) to the body
 * whenever NODE_ENV is development, which `yarn start` (the demo) sets. Our
 * messages carry the cause; the stack of an unexpected error stays in the log.
 */
export function withoutStackTraces(
  logger: LoggerService,
): express.ErrorRequestHandler {
  return (error, _req, _res, next) => {
    if (isError(error) && error.stack) {
      const { statusCode } = error as { statusCode?: unknown };
      const expected = typeof statusCode === 'number' && statusCode < 500;
      if (!expected) {
        logger.error(`Request failed: ${error.name}`, { stack: error.stack });
      }
      Object.defineProperty(error, 'stack', {
        value: undefined,
        configurable: true,
        writable: true,
      });
    }
    next(error);
  };
}
