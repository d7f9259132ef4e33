/** Life-circle accessibility: who reaches which services on foot, how far, and how many. */
export { computeReach } from './reach.js';
export type { FacilityTypeInput, ReachInput, TypeReach } from './reach.js';
