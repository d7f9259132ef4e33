/** Shapes of the map and registry API as the dashboard reads them: aliases of the generated API types. */
import type { Answer } from './api/index.js';

export type Summary = Answer<'/api/map/summary', 'get'>;
export type FacilityTypeInfo = Summary['types'][number];
export type CommunityDetail = Answer<'/api/map/communities/{code}', 'get'>;
export type CoverageRow = Answer<'/api/map/coverage', 'get'>[number];
export type ImportAnswer = Answer<'/api/facilities/import', 'post'>;
