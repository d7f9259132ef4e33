/** Shapes of the map API (src/server/route-map.ts), as the dashboard reads them. */
export interface FacilityTypeInfo {
  id: string;
  nameZh: string;
  nameEn: string;
  tier: string;
  radiusM: number;
  radiusVerified: boolean;
  required: boolean;
  facilities: number;
}

export interface Summary {
  runId: number | null;
  inputsHash: string;
  bbox: [number, number, number, number];
  communities: number;
  facilities: number;
  types: FacilityTypeInfo[];
  tiers: { id: string; nameZh: string; nameEn: string; minutes: number }[];
  caveats: string[];
  attribution: string;
}

export interface CommunityDetail {
  code: string;
  name: string;
  district: string | null;
  population: number | null;
  populationEstimated: boolean;
  onNetwork: boolean;
  runId: number | null;
  types: {
    typeId: string;
    nearestM: number | null;
    radiusM: number;
    covered: boolean;
    countWithinRadius: number;
  }[];
  lacks: { tier: string; missing: string[] }[];
}

export interface CoverageRow {
  key: string;
  name: string;
  communities: number;
  population: number;
  populationEstimated: boolean;
  types: {
    typeId: string;
    coveredCommunities: number;
    communityShare: number | null;
    demandShare: number | null;
  }[];
  tiers: { tier: string; completeCommunities: number; communityShare: number | null }[];
}

export interface ImportAnswer {
  importId: number;
  reportXlsx: string;
  report: {
    rows: number;
    accepted: boolean;
    created: number;
    updated: number;
    unchanged: number;
    problems: { row: number; column: string; value: string; reason: string; message: string }[];
  };
}
