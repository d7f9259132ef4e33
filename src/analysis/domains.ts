import type { ServiceDomain } from '../store/index.js';

/**
 * The service domain (生活性服务业 branch) of each life-circle facility type of src/standards, so the types can be
 * stored beside the registry's own and department staff see them under their domain. A LifeCircle grouping,
 * not a published table: 街道/社区 service centres and stations are filed under housekeeping (社区服务) because
 * the store's domain list has no general community-service entry.
 */
export const STANDARD_TYPE_DOMAINS: Readonly<Record<string, ServiceDomain>> = {
  'middle-school': 'education',
  'primary-school': 'education',
  kindergarten: 'education',
  nursery: 'childcare',
  'community-hospital': 'health',
  'health-station': 'health',
  'elderly-daycare': 'elderly_care',
  'community-canteen': 'retail_food',
  'fresh-market': 'retail_food',
  'convenience-outlets': 'retail_food',
  'culture-centre': 'culture',
  'culture-station': 'culture',
  'large-sports-ground': 'sport',
  'medium-sports-ground': 'sport',
  'small-sports-ground': 'sport',
  'subdistrict-service-centre': 'housekeeping',
  'community-service-station': 'housekeeping',
};

export const STANDARD_TYPE_SOURCE =
  'GB 50180-2018《城市居住区规划设计标准》附录B/C life-circle facility type (src/standards/facility-types.ts)';
