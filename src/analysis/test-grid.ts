/**
 * Synthetic OSM extracts for tests: **not real places**. A square grid of `highway=residential` streets at
 * whole-metre spacing around a chosen point, with residential areas and facilities placed by metre offsets from
 * its south-west corner (the same construction as fixtures/synthetic-grid.osm: north = metres / (R·π/180)
 * degrees, east = north / cos latitude). Names carry （虚构） so nothing generated can pass for a real place.
 */
export interface SyntheticGrid {
  /** South-west corner, WGS-84 degrees. */
  lon: number;
  lat: number;
  /** Junctions per row (and rows, unless `rows` says otherwise). */
  size: number;
  /** Rows of junctions: a strip of `rows` × `size` instead of a square. */
  rows?: number;
  spacingM?: number;
  /** Residential areas: a square `sideM` wide whose south-west corner is `east`/`north` metres from the grid's. */
  areas?: { name: string; east: number; north: number; sideM: number }[];
  /** Facilities as nodes with OSM tags (e.g. `{ amenity: 'kindergarten' }`). */
  facilities?: { name: string; east: number; north: number; tags: Record<string, string> }[];
  /**
   * Added to every node and way id. OSM ids are global: grids meant as different places in one store need
   * different ids, or the second import's 小区 (keyed `osm-way-<id>`) would replace the first's.
   */
  idBase?: number;
}

const EARTH_RADIUS_M = 6_371_008.8;
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export function syntheticGridOsm(grid: SyntheticGrid): string {
  const spacing = grid.spacingM ?? 100;
  const degNorth = (m: number) => m / ((EARTH_RADIUS_M * Math.PI) / 180);
  const degEast = (m: number) => degNorth(m) / Math.cos((grid.lat * Math.PI) / 180);
  const at = (east: number, north: number) =>
    `lat="${(grid.lat + degNorth(north)).toFixed(8)}" lon="${(grid.lon + degEast(east)).toFixed(8)}"`;
  const nodes: string[] = [];
  const ways: string[] = [];
  const base = grid.idBase ?? 0;
  const id = (row: number, col: number) => base + 1000 + row * grid.size + col;
  const rows = grid.rows ?? grid.size;
  for (let row = 0; row < rows; row++)
    for (let col = 0; col < grid.size; col++)
      nodes.push(`  <node id="${id(row, col)}" ${at(col * spacing, row * spacing)}/>`);
  const street = (wayId: number, refs: number[]) =>
    ways.push(
      `  <way id="${base + wayId}">\n${refs.map((r) => `    <nd ref="${r}"/>`).join('\n')}\n    <tag k="highway" v="residential"/>\n  </way>`,
    );
  const line = Array.from({ length: grid.size }, (_, i) => i);
  for (const row of line)
    street(
      1 + row,
      line.map((col) => id(row, col)),
    );
  for (const col of line)
    street(
      1 + grid.size + col,
      line.map((row) => id(row, col)),
    );
  let next = base + 100_000;
  for (const [i, a] of (grid.areas ?? []).entries()) {
    const corners = [
      [a.east, a.north],
      [a.east + a.sideM, a.north],
      [a.east + a.sideM, a.north + a.sideM],
      [a.east, a.north + a.sideM],
    ].map(([e, n]) => {
      nodes.push(`  <node id="${next}" ${at(e!, n!)}/>`);
      return next++;
    });
    ways.push(
      `  <way id="${base + 101 + i}">\n${[...corners, corners[0]!].map((r) => `    <nd ref="${r}"/>`).join('\n')}\n` +
        `    <tag k="landuse" v="residential"/>\n    <tag k="name" v="${xml(a.name)}"/>\n  </way>`,
    );
  }
  for (const f of grid.facilities ?? []) {
    const tags = { ...f.tags, name: f.name };
    nodes.push(
      `  <node id="${next++}" ${at(f.east, f.north)}>\n` +
        Object.entries(tags)
          .map(([k, v]) => `    <tag k="${xml(k)}" v="${xml(v)}"/>`)
          .join('\n') +
        '\n  </node>',
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<osm version="0.6" generator="LifeCircle synthetic test grid">',
    ...nodes,
    ...ways,
    '</osm>',
    '',
  ].join('\n');
}
