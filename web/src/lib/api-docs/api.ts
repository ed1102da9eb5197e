import { api, loadConfig } from '../api';

/** The API's own description (`GET /openapi.json`, generated from the route table), and where it is served. */
export const openapi = {
  document: <T>() => api.get<T>('/openapi.json'),
  href: async () => `${(await loadConfig()).apiBase}/openapi.json`,
};
