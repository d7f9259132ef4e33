import type { WalkGraph } from './graph.js';

export interface GraphSummary {
  readonly nodes: number;
  readonly edges: number;
  readonly arcs: number;
  readonly oneWayEdges: number;
  readonly components: number;
  readonly largestComponent: {
    readonly nodes: number;
    readonly lengthKm: number;
    readonly shareOfLength: number;
  };
  readonly bbox: readonly [number, number, number, number];
  readonly totalLengthKm: number;
  readonly source: WalkGraph['meta']['source'];
  readonly profileVersion: number;
  readonly createdAt: string;
  readonly wayVerdicts: Readonly<Record<string, number>>;
  readonly missingNodeRefs: number;
  /** The first missing references: way and node ids. */
  readonly missingNodeRefExamples: readonly { readonly wayId: number; readonly nodeId: number }[];
  readonly synthetic: boolean;
}

export function describeGraph(graph: WalkGraph): GraphSummary {
  let oneWayEdges = 0;
  for (let e = 0; e < graph.edgeCount; e++) if (graph.edgeFlags[e] !== 3) oneWayEdges++;
  const total = graph.meta.totalLengthM;
  return {
    nodes: graph.nodeCount,
    edges: graph.edgeCount,
    arcs: graph.arcCount,
    oneWayEdges,
    components: graph.componentCount,
    largestComponent: {
      nodes: graph.componentNodeCount[0] ?? 0,
      lengthKm: (graph.componentLength[0] ?? 0) / 1000,
      shareOfLength: total > 0 ? (graph.componentLength[0] ?? 0) / total : 0,
    },
    bbox: graph.meta.bbox,
    totalLengthKm: total / 1000,
    source: graph.meta.source,
    profileVersion: graph.meta.profileVersion,
    createdAt: graph.meta.createdAt,
    wayVerdicts: graph.meta.wayVerdicts,
    missingNodeRefs: graph.meta.missingNodeRefs,
    missingNodeRefExamples: graph.meta.missingNodeRefExamples ?? [],
    synthetic: graph.meta.synthetic === true,
  };
}
