/**
 * The walking network: OSM → walking graph (CSR in typed arrays, versioned binary file), snapping points to
 * edges, bounded shortest-path searches and isochrones. Nothing outside this folder reaches past this file.
 */
export type { WalkGraph, GraphMeta, ReverseArcs } from './graph.js';
export { EDGE_FORWARD, EDGE_BACKWARD, reverseArcs, canWalkForward, canWalkBackward } from './graph.js';
export { WALK_PROFILE, classifyWay } from './walk-profile.js';
export type { WalkProfile, WayClassification, WayVerdict } from './walk-profile.js';
export { importOsmNetwork } from './import-osm.js';
export type { ImportOptions, ImportProgress } from './import-osm.js';
export { buildGraph, NodeTable, WayTable, labelComponents } from './build-graph.js';
export {
  readGraphFile,
  writeGraphFile,
  encodeGraph,
  decodeGraph,
  GRAPH_FORMAT_VERSION,
  GRAPH_MAGIC,
} from './graph-file.js';
export { describeGraph } from './describe.js';
export type { GraphSummary } from './describe.js';
export { NetworkSearch, LocationsByEdge, TargetHits } from './search.js';
export type { NetworkLocation, SearchDirection } from './search.js';
export { EdgeIndex, isSnapped, DEFAULT_MAX_SNAP_DISTANCE_M, DEFAULT_MIN_COMPONENT_NODES } from './snap.js';
export type { SnapOptions, SnapResult, SnappedPoint, UnsnappedPoint } from './snap.js';
export { isochrone, sliceEdgeGeometry } from './isochrone.js';
export type { Isochrone, IsochroneLineProperties, Position } from './isochrone.js';
