/**
 * The HTTP API: `buildApp()` builds a Fastify instance with every route, role check, audit and the OpenAPI
 * document, without listening; `lifecircle serve` (src/cli/serve-commands.ts) listens.
 */
export { buildApp, errorBody } from './app.js';
export { DEFAULT_RATE_LIMITS, trustProxyFromEnv } from './security.js';
export type { App, AppOptions, RoutePermission } from './app.js';
export type { AnalysisProvider } from './route-analysis.js';
export { login, DEFAULT_SESSION_TTL_MINUTES } from './auth.js';
export { hashPassword, verifyPassword, generatePassword } from '../accounts/index.js';
export { PERMISSIONS, allowed, registryScopeProblem } from '../policy/index.js';
export type { Permission, Viewer } from '../policy/index.js';
export type { MapSummary, CommunityDetail, CoverageRow, IsochroneResult } from './map-schemas.js';
export type { MapDataProvider } from './route-map.js';
export type {
  PlanningProvider,
  GapsAnswer,
  SitingAnswer,
  WhatIfAnswer,
  WhatIfRequest,
} from './route-planning.js';
export { measureCompletionByRegion, ownsAssignment } from '../plans/index.js';
