import type { FastifyBaseLogger } from 'fastify';

import type { Prisma } from '../generated/sqlite/client.ts';
import type { DatabaseClient } from '../db/database.ts';
import { SIGNATURE_HEADER, signPayload } from './signature.ts';

export interface WebhookDispatcherOptions {
  /** Attempts per delivery, the first one included. */
  maxAttempts: number;
  /** Wait before the first retry; each further retry waits twice as long, up to `maxDelayMs`. */
  retryBaseMs: number;
  maxDelayMs?: number;
  /** Time a receiver has to answer one attempt. */
  timeoutMs?: number;
}

/** The event sent when a lead's latest score puts it in a tier it was not in before. */
export interface TierEnteredEvent {
  event: 'lead.tier_entered';
  externalId: string;
  tier: string;
  previousTier: string | null;
  probability: number;
  modelVersion: string;
  scoredAt: string;
}

/** The rows one delivery belongs to, logged with each attempt. */
interface DeliveryIds {
  deliveryId: number;
  subscriptionId: number;
}

/**
 * Sends webhook events to the subscriptions listening for them and logs each delivery. Delivery
 * runs after the request that caused it has answered; failed attempts are retried with exponential
 * backoff until `maxAttempts`, and every attempt updates the delivery row. Deliveries still
 * 'pending' when the server stops are resumed by `resumePending` at the next start.
 *
 * NOTE: two servers sharing one database both resume the same pending deliveries when they start,
 * and a receiver can then get one delivery twice. Receivers deduplicate by the
 * `x-leadscore-delivery` header, which carries the delivery id.
 */
export class WebhookDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private closing = false;
  // Wakes deliveries waiting for a retry when the server closes, so that shutdown does not wait.
  private readonly stopped = new AbortController();

  constructor(
    private readonly db: DatabaseClient,
    private readonly log: FastifyBaseLogger,
    private readonly options: WebhookDispatcherOptions,
  ) {}

  /** Records one pending delivery per subscription listening for the tier and starts sending them. */
  async notifyTierEntered(event: TierEnteredEvent): Promise<number[]> {
    const subscriptions = await this.db.webhookSubscription.findMany({ orderBy: { id: 'asc' } });
    const listening = subscriptions.filter((subscription) => (subscription.tiers as string[]).includes(event.tier));

    const ids: number[] = [];
    for (const subscription of listening) {
      const delivery = await this.db.webhookDelivery.create({
        data: { subscriptionId: subscription.id, event: event.event, payload: event as unknown as Prisma.InputJsonObject, status: 'pending' },
      });
      ids.push(delivery.id);
      this.track(this.deliver({ deliveryId: delivery.id, subscriptionId: subscription.id }, subscription.url, subscription.secret, JSON.stringify(event)));
    }
    return ids;
  }

  /**
   * Resumes the deliveries left 'pending' by an earlier run, oldest first, and returns how many. A
   * delivery that had failed attempts waits the retry delay of its last attempt, counted from now.
   */
  async resumePending(): Promise<number> {
    const pending = await this.db.webhookDelivery.findMany({
      where: { status: 'pending' },
      include: { subscription: true },
      orderBy: { id: 'asc' },
    });
    for (const delivery of pending) {
      const ids = { deliveryId: delivery.id, subscriptionId: delivery.subscriptionId };
      const body = JSON.stringify(delivery.payload);
      const { url, secret } = delivery.subscription;
      this.track(this.deliver(ids, url, secret, body, delivery.attempts + 1));
    }
    if (pending.length > 0) this.log.info({ deliveries: pending.length }, 'resuming pending webhook deliveries');
    return pending.length;
  }

  /**
   * Waits until every delivery has finished its current attempt. Retries not yet due stay
   * 'pending' in the log, and the next start resumes them.
   */
  async close(): Promise<void> {
    this.closing = true;
    this.stopped.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Resolves once no delivery is in flight; for tests and graceful shutdown. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(task: Promise<void>): void {
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  private async deliver(ids: DeliveryIds, url: string, secret: string, body: string, firstAttempt = 1): Promise<void> {
    const { deliveryId } = ids;
    if (firstAttempt > 1) {
      await sleep(this.retryDelay(firstAttempt - 1), this.stopped.signal);
      if (this.closing) return;
    }
    // A delivery resumed after maxAttempts was lowered still gets one attempt, then is marked failed.
    const lastAttempt = Math.max(this.options.maxAttempts, firstAttempt);
    for (let attempt = firstAttempt; attempt <= lastAttempt; attempt += 1) {
      const result = await this.attempt(url, secret, body, deliveryId);
      const finished = result.ok || attempt === lastAttempt;
      let status = 'pending';
      if (result.ok) status = 'delivered';
      else if (finished) status = 'failed';
      await this.db.webhookDelivery.update({
        where: { id: deliveryId },
        data: {
          attempts: attempt,
          responseStatus: result.status,
          lastError: result.error,
          status,
          deliveredAt: result.ok ? new Date() : null,
        },
      });
      // The ids and status only: the URL may carry a token and the body names the lead.
      if (result.ok) {
        this.log.info({ ...ids, attempt, status: result.status }, 'webhook attempt delivered');
        return;
      }

      this.log.warn({ ...ids, attempt, status: result.status, error: result.error }, 'webhook attempt failed');
      if (finished || this.closing) return;
      await sleep(this.retryDelay(attempt), this.stopped.signal);
      if (this.closing) return;
    }
  }

  /** Wait after failed attempt `attempt` (1-based): base, 2 x base, 4 x base, ... up to the cap. */
  private retryDelay(attempt: number): number {
    return Math.min(this.options.retryBaseMs * 2 ** (attempt - 1), this.options.maxDelayMs ?? 60_000);
  }

  private async attempt(url: string, secret: string, body: string, deliveryId: number) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signPayload(secret, body),
          'x-leadscore-delivery': String(deliveryId),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      await response.body?.cancel();
      const ok = response.status >= 200 && response.status < 300;
      return { ok, status: response.status, error: ok ? null : `receiver answered ${response.status}` };
    } catch (error) {
      return { ok: false, status: null, error: (error as Error).message };
    }
  }
}

/** Waits `ms` milliseconds, or less when `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
