/** A lead, webhook or other stored record that the request names but the store does not hold. */
export class RecordNotFoundError extends Error {
  override name = 'RecordNotFoundError';
  /** Read by the error handler, which keeps the message for 4xx responses. */
  readonly statusCode = 404;
}
