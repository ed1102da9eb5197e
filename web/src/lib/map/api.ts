import { api } from '../api';
import type { TownMap } from '@gridline/domain';

/** The map's call (functions/src/routes.ts, `book.map`): grids and courtyards with their boundaries and counts. */
export const mapApi = {
  town: () => api.get<TownMap>('/town/map'),
};
