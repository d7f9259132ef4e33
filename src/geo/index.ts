export {
  EARTH_RADIUS_M,
  haversineM,
  localProjection,
  projectX,
  projectY,
  unprojectLon,
  unprojectLat,
} from './distance.js';
export type { LocalProjection } from './distance.js';
