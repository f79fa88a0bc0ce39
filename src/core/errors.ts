/** One problem found in input, in the shape Zod uses so that clients can branch on `code`. */
export interface InputIssue {
  path: (string | number)[];
  code: string;
  expected?: string;
  received?: string;
  message: string;
}

/** Summarizes a list of input problems for a response message. */
export function describeProblemCount(count: number): string {
  return `the request is invalid: ${count} ${count === 1 ? 'problem' : 'problems'}`;
}

/** Input that breaks a documented rule: a request field, a config setting or a CSV cell. */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';

  constructor(
    message: string,
    readonly issues: InputIssue[] = [],
  ) {
    super(message);
  }
}

/** A dataset config file that is missing, unreadable or fails its schema. */
export class DatasetConfigError extends Error {
  override name = 'DatasetConfigError';
}

/** A model used before `fit`, or loaded from an incomplete bundle. */
export class NotFittedError extends Error {
  override name = 'NotFittedError';
}

/** No trained model is available where one was expected. */
export class ModelNotFoundError extends Error {
  override name = 'ModelNotFoundError';
}

/** A model swap was requested on a server that serves one pinned model folder; HTTP 409. */
export class ModelPinnedError extends Error {
  override name = 'ModelPinnedError';
  readonly statusCode = 409;
}
