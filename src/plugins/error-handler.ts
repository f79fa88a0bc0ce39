import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

import { describeProblemCount, InvalidInputError, ModelNotFoundError, type InputIssue } from '../core/errors.ts';

/** The body of every error response. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  issues?: InputIssue[];
}

/**
 * Maps errors to responses: request validation and invalid input become 400 with every problem
 * listed; other client errors keep their status and message; anything else is a 500 with a
 * generic message while the log keeps the detail.
 */
async function errorHandler(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((entry) => zodEntryToIssue(entry, error.validationContext ?? 'body', request));
      return sendIssues(request, reply, issues);
    }
    if (error instanceof InvalidInputError) return sendIssues(request, reply, error.issues, error.message);
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
      return sendIssues(request, reply, [
        { path: ['body'], code: 'invalid_json', expected: 'a JSON document', received: 'malformed JSON', message: error.message },
      ]);
    }
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return sendIssues(request, reply, [
        { path: ['body'], code: 'invalid_json', expected: 'a JSON document', received: 'an empty body', message: error.message },
      ]);
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      request.log.warn({ code: error.code }, 'request body too large');
      const limit = `${Math.round((app.initialConfig.bodyLimit ?? 1_048_576) / 1024 / 1024)} MiB`;
      return reply.code(413).send(errorBody(413, 'Payload Too Large', `the request body is larger than ${limit}; send fewer leads per request`));
    }
    if (error instanceof ModelNotFoundError) {
      // A client fault, so the message suffices and the stack would only add noise at warn level.
      request.log.warn({ error: error.message }, 'model not found');
      return reply.code(404).send(errorBody(404, 'Not Found', error.message));
    }

    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status < 500) {
      request.log.warn({ code: error.code, statusCode: status }, 'client error');
      return reply.code(status).send(errorBody(status, httpReason(status), error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody(500, 'Internal Server Error', 'the server failed to handle the request; the log has the detail'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody(404, 'Not Found', `no route for ${request.method} ${request.url.split('?')[0]}`));
  });
}

/**
 * Builds Fastify's `frameworkErrors` handler, which responds to errors the router raises before any
 * route or error handler runs: a path parameter longer than `maxParamLength` characters (414) and
 * a path with invalid percent-encoding (400). Responses use the shape of every other error and
 * never echo the path, because it contains the CRM lead id.
 */
export function frameworkErrorHandler(maxParamLength: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    request.log.warn({ code: error.code }, 'request URL rejected by the router');
    if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
      const message = `a path parameter such as the lead id is longer than ${maxParamLength} characters; ids in the path may have at most ${maxParamLength}`;
      reply.code(414).send(errorBody(414, 'URI Too Long', message));
      return;
    }
    if (error.code === 'FST_ERR_BAD_URL') {
      reply.code(400).send(errorBody(400, 'Bad Request', 'the URL path has invalid percent-encoding; encode ids with encodeURIComponent'));
      return;
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
    reply.code(status).send(errorBody(status, httpReason(status), 'the request URL could not be routed'));
  };
}

const MAX_LOGGED_ISSUES = 20;

function sendIssues(request: FastifyRequest, reply: FastifyReply, issues: InputIssue[], message?: string): FastifyReply {
  // Only paths and codes are logged, because the values may be personal data; a huge invalid
  // batch logs its first problems and a count, not one entry per field.
  const logged = issues.slice(0, MAX_LOGGED_ISSUES).map((issue) => ({ path: issue.path.join('.'), code: issue.code }));
  request.log.warn({ issueCount: issues.length, issues: logged }, 'invalid request');
  const summary = message ?? describeProblemCount(issues.length);
  return reply.code(400).send({ ...errorBody(400, 'Bad Request', summary), issues });
}

function errorBody(statusCode: number, error: string, message: string): ErrorBody {
  return { statusCode, error, message };
}

interface ZodValidationEntry {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

function zodEntryToIssue(entry: ZodValidationEntry, context: string, request: FastifyRequest): InputIssue {
  const path: (string | number)[] = [
    context,
    ...entry.instancePath
      .split('/')
      .filter(Boolean)
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
  ];
  const source = { body: request.body, querystring: request.query, params: request.params, headers: request.headers }[context];
  const issue: InputIssue = { path, code: entry.keyword, message: entry.message ?? 'invalid value' };
  const expected = describeExpected(entry);
  if (expected) issue.expected = expected;
  issue.received = describeReceived(valueAt(source, path.slice(1)));
  return issue;
}

function describeExpected(entry: ZodValidationEntry): string | undefined {
  const { expected, minimum, maximum, values } = entry.params;
  if (typeof expected === 'string') return expected;
  if (Array.isArray(values)) return `one of ${values.map((value) => JSON.stringify(value)).join(', ')}`;
  if (minimum !== undefined) return `at least ${String(minimum)}`;
  if (maximum !== undefined) return `at most ${String(maximum)}`;
  return undefined;
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** Describes a received value by its type and, for scalars, a short rendering of it. */
function describeReceived(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (typeof value === 'object') return 'object';
  const text = typeof value === 'number' ? String(value) : JSON.stringify(value);
  return text.length > 40 ? `${typeof value} ${text.slice(0, 37)}...` : `${typeof value} ${text}`;
}

function httpReason(status: number): string {
  const reasons: Record<number, string> = {
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    413: 'Payload Too Large',
    414: 'URI Too Long',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
  };
  return reasons[status] ?? 'Bad Request';
}

export default fp(errorHandler, { name: 'error-handler' });
