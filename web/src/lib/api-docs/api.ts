import { api, loadConfig } from '../api';

/** One operation of the OpenAPI document, as far as the reference page reads it. */
export type Parameter = { name: string; in: 'path' | 'query'; required: boolean };
export type Operation = {
  operationId: string;
  summary: string;
  tags: string[];
  'x-gridline-roles'?: string[];
  'x-gridline-personal'?: boolean;
  parameters?: Parameter[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
};
export type OpenApiDocument = { info: { title: string; version: string }; paths: Record<string, Record<string, Operation>> };

/** The API's own description (`GET /openapi.json`, generated from the route table), and where it is served. */
export const openapi = {
  document: () => api.get<OpenApiDocument>('/openapi.json'),
  href: async () => `${(await loadConfig()).apiBase}/openapi.json`,
};
