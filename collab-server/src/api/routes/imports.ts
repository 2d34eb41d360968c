import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { ApiDeps } from '../../services/api-deps.js';
import {
  type ImportInput,
  importIntoNewRelease,
  importIntoRelease,
  previewImport,
} from '../../services/import-service.js';
import { callerOf } from '../authenticate.js';
import { IMPORT_BASE64_MAX, importBody, importPreviewBody, releaseIdParams } from '../schemas.js';

/** The JSON body carries the file as base64: room for the largest file plus the mapping. */
const bodyLimit = IMPORT_BASE64_MAX + 64 * 1024;

const inputOf = (body: z.infer<typeof importBody>): ImportInput => ({
  fileName: body.fileName,
  bytes: new Uint8Array(Buffer.from(body.contentBase64, 'base64')),
  ...(body.mapping ? { mapping: body.mapping } : {}),
});

/** Spreadsheet and DDEX import (docs/IMPORT.md): preview, then apply; the file is parsed each time. */
export const importRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/imports/preview',
      {
        bodyLimit,
        schema: {
          tags: ['import'],
          summary: 'What importing a file would change, with every problem per cell; writes nothing',
          body: importPreviewBody,
        },
      },
      async (request) =>
        previewImport(deps, callerOf(request), request.body.releaseId ?? null, inputOf(request.body)),
    );

    app.post(
      '/releases/import',
      {
        bodyLimit,
        schema: {
          tags: ['import'],
          summary: 'Create a release from a spreadsheet or a DDEX ERN 4.3 message (you become its owner)',
          body: importBody,
        },
      },
      async (request, reply) =>
        reply.status(201).send(await importIntoNewRelease(deps, callerOf(request), inputOf(request.body))),
    );

    app.post(
      '/releases/:releaseId/import',
      {
        bodyLimit,
        schema: {
          tags: ['import'],
          summary: 'Import a spreadsheet into this release, as one edit',
          params: releaseIdParams,
          body: importBody,
        },
      },
      async (request) =>
        importIntoRelease(deps, callerOf(request), request.params.releaseId, inputOf(request.body)),
    );
  };
