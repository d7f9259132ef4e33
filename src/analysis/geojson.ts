import type { Evaluation } from '../access/index.js';
import type { WalkGraph } from '../network/index.js';
import type { StoreInputs } from './store-inputs.js';

/** ~1 m at Chengdu's latitude: enough for a city map, and it halves the size of the JSON. */
const round5 = (v: number) => Math.round(v * 1e5) / 1e5;

/** Every edge of the walking graph as a LineString (only the geometry: the map draws, it does not query). */
export function streetsCollection(graph: WalkGraph): GeoJSON.FeatureCollection<GeoJSON.LineString> {
  const features: GeoJSON.Feature<GeoJSON.LineString>[] = [];
  for (let e = 0; e < graph.edgeCount; e++) {
    const coordinates: GeoJSON.Position[] = [];
    for (let p = graph.edgeGeometryStart[e]; p < graph.edgeGeometryStart[e + 1]; p++)
      coordinates.push([round5(graph.geometryLon[p]), round5(graph.geometryLat[p])]);
    features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates } });
  }
  return { type: 'FeatureCollection', features };
}

/**
 * Communities with their coverage per type, flat so MapLibre expressions can read them: `d:<type>` nearest
 * walking metres (null = none within reach), `c:<type>` 1/0 covered, `n:<type>` count within the radius, and
 * `lacks15` the required types the 15-minute circle lacks. Polygons where a boundary is known, else points.
 */
export function communitiesCollection(
  evaluation: Evaluation,
  inputs: StoreInputs,
): GeoJSON.FeatureCollection {
  const byCode = new Map(inputs.communities.map((c) => [c.code, c]));
  const top = evaluation.completeness.at(-1);
  const features = evaluation.communities.map((c, i): GeoJSON.Feature => {
    const properties: Record<string, unknown> = {
      code: c.id,
      name: c.name,
      district: c.district ?? null,
      // The 行政区划 code the community is filed under (社区 or 街道), so a map can find a 街道's communities.
      region: byCode.get(c.id)?.regionCode ?? null,
      population: c.demand ? Math.round(c.demand.all) : null,
      estimated: c.populationEstimated,
      lacks15: top ? top.missing[i].length : 0,
    };
    for (const t of evaluation.types) {
      const d = t.nearestM[i];
      properties[`d:${t.type.id}`] = Number.isFinite(d) ? Math.round(d) : null;
      properties[`c:${t.type.id}`] = t.covered[i];
      properties[`n:${t.type.id}`] = t.countWithinRadius[i];
    }
    const boundary = byCode.get(c.id)?.boundary;
    const geometry: GeoJSON.Geometry = boundary
      ? ({
          type: boundary.type,
          coordinates: boundary.coordinates,
        } as GeoJSON.Polygon | GeoJSON.MultiPolygon)
      : { type: 'Point', coordinates: [c.lon, c.lat] };
    return { type: 'Feature', id: i, properties, geometry };
  });
  return { type: 'FeatureCollection', features };
}

/** Facilities as points: public fields only (no contact phone, no provider contact). */
/** The facilities layer (public fields only), in the order of `inputs.facilities`. */
export function facilitiesCollection(inputs: StoreInputs, typeId?: string): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: inputs.facilities
      .filter((f) => typeId === undefined || f.typeCode === typeId)
      .map((f) => ({
        type: 'Feature',
        properties: {
          code: f.code,
          name: f.name,
          type: f.typeCode,
          status: f.status,
          affordable: f.affordable,
          capacity: f.capacity,
        },
        geometry: { type: 'Point', coordinates: [f.location.lon, f.location.lat] },
      })),
  };
}
