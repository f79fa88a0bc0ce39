import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying `sha256=<hex HMAC-SHA256 of the raw body>` keyed by the subscription secret. */
export const SIGNATURE_HEADER = 'x-leadscore-signature';

/** Signs a webhook body: `sha256=` followed by the hex HMAC-SHA256 of the exact bytes sent. */
export function signPayload(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Checks a signature header against the body in constant time, as a receiver should. */
export function verifySignature(secret: string, body: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signPayload(secret, body));
  const received = Buffer.from(header);
  return expected.length === received.length && timingSafeEqual(expected, received);
}
