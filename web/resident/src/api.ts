import type { paths } from '@lc/api';
import type { Answer } from '@lc/app/api';

/**
 * The dashboard's typed API client and session store (web/app/src/api.ts), shared: one login per browser tab for
 * every page of the platform, and one way to read the server's error body.
 */
export { api, unwrap, ApiError, currentSession, setSession, type Session } from '@lc/app/api';

export type OutletsNear = Answer<'/api/ratings/outlets', 'get'>;
export type RatedOutlet = OutletsNear['items'][number];
export type CaseRow = Answer<'/api/cases', 'get'>['items'][number];
export type CaseState = CaseRow['state'];
export type Community = Answer<'/api/communities', 'get'>['items'][number];

type JsonBody<P extends keyof paths> = paths[P] extends {
  post: { requestBody: { content: { 'application/json': infer B } } };
}
  ? B
  : never;
export type RatingLevel = JsonBody<'/api/ratings'>['level'];
export type ComplaintCategory = JsonBody<'/api/complaints'>['category'];
