import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
} from '@backstage/errors';
import express, { Request, Response } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { PropagationConfig } from '../config/readPropagationConfig';
import { StatusStore } from '../database/StatusStore';
import { verifyInfisicalSignature } from './verifyInfisicalSignature';

/** The route Infisical's project webhook points at, under `/api/external-secrets`. */
export const INFISICAL_WEBHOOK_PATH = '/webhooks/infisical';

const MAX_BODY = '64kb';
/**
 * Pending changes per provider before they merge into one "everything
 * changed" entry: the cost of a flood is then one read of every webhook store.
 */
export const MAX_QUEUED_CHANGES = 100;

const infisicalPayload = z.object({
  event: z.string(),
  project: z.object({
    workspaceId: z.string().optional(),
    projectId: z.string().optional(),
    environment: z.string().optional(),
    secretPath: z.string().optional(),
  }),
});

/** Infisical's docs spell the event both ways. */
const MODIFIED_EVENTS = new Set(['secrets.modified', 'secret.modified']);

/**
 * Receives Infisical `secrets.modified` webhooks: verifies the signature on
 * the raw body, queues the change for the next cycle (in the database, so any
 * replica acts on it) and asks the scheduler for that cycle now. The route is
 * unauthenticated for Backstage (Infisical has no Backstage token); the
 * signature is its authentication.
 */
export function createWebhookRouter(options: {
  propagation: PropagationConfig;
  statusStore: StatusStore;
  logger: LoggerService;
  auditor: AuditorService;
  triggerCycle: () => Promise<void>;
  now?: () => number;
}): express.Router {
  const router = Router();
  const infisical = options.propagation.webhooks.infisical;
  if (!infisical) return router;
  const now = options.now ?? Date.now;

  router.post(
    INFISICAL_WEBHOOK_PATH,
    express.raw({ type: () => true, limit: MAX_BODY }),
    async (req: Request, res: Response) => {
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const check = verifyInfisicalSignature({
        header: req.header('x-infisical-signature'),
        rawBody,
        secret: infisical.signingSecret,
        now: now(),
        maxAgeMs: infisical.maxAgeMs,
      });
      if (!check.ok) {
        options.logger.warn(`Infisical webhook refused: ${check.reason}`);
        throw new AuthenticationError(check.reason);
      }
      const { event, project } = parsePayload(rawBody);
      // Kept until the timestamp is out of the window on every replica (their
      // clocks may differ by up to maxAge as well).
      const firstDelivery = await options.statusStore.rememberWebhookDelivery(
        `infisical:${check.signature}`,
        new Date(check.timestamp + 2 * infisical.maxAgeMs),
        new Date(now()),
      );
      if (!firstDelivery) {
        options.logger.warn(
          `Infisical webhook refused: delivery signed at ${new Date(
            check.timestamp,
          ).toISOString()} was already received (a replay)`,
        );
        throw new ConflictError(
          'this delivery (same signature) was already received; a replayed webhook is ignored',
        );
      }
      if (!MODIFIED_EVENTS.has(event)) {
        res.status(202).json({ accepted: false, event });
        return;
      }
      const scope = {
        projectId: project.workspaceId ?? project.projectId ?? '',
        environment: project.environment ?? '',
        secretPath: project.secretPath ?? '',
      };
      const audit = await options.auditor.createEvent({
        eventId: 'provider-change-notification',
        severityLevel: 'low',
        meta: { provider: 'infisical', ...scope },
      });
      let queued;
      try {
        queued = await options.statusStore.addProviderChange(
          { provider: 'infisical', scope, receivedAt: new Date(now()) },
          MAX_QUEUED_CHANGES,
        );
      } catch (e) {
        await audit.fail({ error: e as Error });
        throw e;
      }
      await audit.success({ meta: { queued } });
      if (queued === 'merged') {
        options.logger.warn(
          `More than ${MAX_QUEUED_CHANGES} Infisical changes are waiting for the next cycle: merged them into one, so every store that opted into webhooks is read again`,
        );
      }
      options.logger.info(
        `Infisical reported a change in project ${scope.projectId} environment ${scope.environment} path ${scope.secretPath}: syncing its stores now`,
      );
      await options.triggerCycle();
      res.status(202).json({ accepted: true, event });
    },
  );
  return router;
}

function parsePayload(rawBody: Buffer): z.infer<typeof infisicalPayload> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new InputError('body is not JSON');
  }
  const parsed = infisicalPayload.safeParse(json);
  if (!parsed.success) {
    throw new InputError(
      `not an Infisical webhook payload: ${parsed.error.issues
        .map(i => `${i.path.join('.') || '(body)'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}
