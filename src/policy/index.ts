/**
 * Who may do what, and which records a viewer covers: the one place that says so (docs/architecture.md, "The
 * write path"). Routes name an action of `PERMISSIONS`; commands check it with `requirePermission` and the record
 * scope with `requireCovers`; list queries filter with `scopeOf`.
 */
export {
  PERMISSIONS,
  PUBLIC_VIEWER,
  allowed,
  covers,
  jobOwnerOf,
  jobScopeProblem,
  registryScopeProblem,
  requireCovers,
  requirePermission,
  scopeOf,
  scopeProblem,
  seesPersonalData,
} from './permissions.js';
export type { Permission, ScopedRecord, Viewer, ViewerScope } from './permissions.js';
export { cliViewer, commandRegistry, defineCommand, systemViewer } from './command.js';
export type { Command, CommandDeps, CommandSpec } from './command.js';
