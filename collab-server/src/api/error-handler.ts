import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AuthError } from '../auth/auth-error.js';
import { LimitExceeded, ServiceError, type ServiceErrorReason } from '../services/service-error.js';
import { StoreError } from '../store/store-errors.js';

const STATUS: Record<ServiceErrorReason, number> = {
  'not-found': 404,
  forbidden: 403,
  invalid: 400,
  conflict: 409,
  gone: 410,
  'not-ready': 422,
  'rate-limited': 429,
};

/** The one place errors become HTTP responses: `{ error, message, details? }`. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return reply.status(400).send({
      error: 'invalid-request',
      message: 'The request is not valid',
      details: error.validation.map((issue) => ({
        // `/body/email` → `body.email`: the field, as the client named it.
        field: `${error.validationContext ?? ''}${issue.instancePath.replace(/\//g, '.')}`,
        message: issue.message,
      })),
    });
  }
  if (error instanceof AuthError)
    return reply.status(401).send({ error: error.reason, message: error.message });
  if (error instanceof LimitExceeded) reply.header('retry-after', String(error.retryAfterSeconds));
  if (error instanceof ServiceError) {
    return reply.status(STATUS[error.reason]).send({
      error: error.reason,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    });
  }
  if (error.statusCode && error.statusCode < 500) {
    return reply
      .status(error.statusCode)
      .send({ error: error.code ?? 'bad-request', message: error.message });
  }
  if (error instanceof StoreError && error.reason === 'contention') {
    return reply.status(503).send({ error: 'busy', message: 'The release is busy; try again' });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({ error: 'internal', message: 'Something went wrong on our side' });
}
