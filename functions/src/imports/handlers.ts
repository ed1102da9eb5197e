import { importsOf } from '@gridline/data/imports';
import { startInBackground } from '../jobs/dispatch';
import type { RouteRequest } from '../pipeline/route';
import type { imports } from './routes';

// Import and export (the CSV and XLSX readers and writers, the job dispatch): loaded on first use.
type R<K extends keyof typeof imports> = RouteRequest<(typeof imports)[K]>;

export const previewImport = async ({ principal, body, now }: R<'previewImport'>) => {
  const options = { ...(body.mapping ? { mapping: body.mapping } : {}), ...(body.createOrg ? { createOrg: true } : {}) };
  const imports = importsOf(principal);
  const record =
    'uploadId' in body
      ? await imports.previewUpload(body.uploadId, now, options)
      : await imports.preview(body.fileName, Buffer.from(body.contentBase64, 'base64'), now, options);
  return { status: 201, body: record };
};
export const importStatus = async ({ principal, params }: R<'importStatus'>) => ({
  body: await importsOf(principal).status(params.importId),
});
export const commitImport = async ({ principal, params, now }: R<'commitImport'>) => {
  const queued = await importsOf(principal).queue(params.importId, now);
  await startInBackground({ job: 'import', town: principal.townId, importId: params.importId });
  return { status: 202, body: queued };
};
export const importErrors = async ({ principal, params, query }: R<'importErrors'>) => ({
  body: await importsOf(principal).errorFile(params.importId, query.format),
});
export const listImports = async ({ principal, query }: R<'listImports'>) => ({
  body: await importsOf(principal).list(query.limit, query.cursor),
});
export const resumeImport = async ({ principal, params, now }: R<'resumeImport'>) => {
  const queued = await importsOf(principal).resume(params.importId, now);
  await startInBackground({ job: 'import', town: principal.townId, importId: params.importId });
  return { status: 202, body: queued };
};
export const abandonImport = async ({ principal, params, now }: R<'abandonImport'>) => ({
  body: await importsOf(principal).abandon(params.importId, now),
});
export const exportBook = async ({ principal, query, now }: R<'exportBook'>) => ({
  body: await importsOf(principal).exportBook(query.format, query.gridId, now),
});
