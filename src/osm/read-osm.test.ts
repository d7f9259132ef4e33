import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readOsm, type OsmNode, type OsmRelation, type OsmWay } from './index.js';

async function collect(path: string) {
  const nodes: OsmNode[] = [];
  const ways: OsmWay[] = [];
  const relations: OsmRelation[] = [];
  const coordinates: [number, number, number][] = [];
  const summary = await readOsm(
    path,
    {
      node: (n) => void nodes.push(n),
      nodeCoordinates: (id, lon, lat) => void coordinates.push([id, lon, lat]),
      way: (w) => void ways.push({ id: w.id, refs: [...w.refs], tags: w.tags }),
      relation: (r) => void relations.push(r),
    },
    { nodeTags: true },
  );
  return { summary, nodes, ways, relations, coordinates };
}

test('the PBF and XML readers hand over the same nodes, tags, ways and relations', async () => {
  const xml = await collect('data/chengdu-central/chengdu-central-2018.osm');
  const pbf = await collect('src/network/fixtures/chengdu-central-2018.osm.pbf');
  assert.equal(xml.summary.format, 'xml');
  assert.equal(pbf.summary.format, 'pbf');
  assert.deepEqual(
    [pbf.summary.nodes, pbf.summary.ways, pbf.summary.relations],
    [xml.summary.nodes, xml.summary.ways, xml.summary.relations],
  );
  assert.equal(xml.summary.nodes, 24617, 'the count SOURCE.md gives');
  assert.equal(pbf.coordinates.length, pbf.nodes.length);
  const byId = new Map(xml.nodes.map((n) => [n.id, n]));
  for (const node of pbf.nodes) {
    const twin = byId.get(node.id);
    assert.ok(twin, `node ${node.id}`);
    assert.deepEqual([node.lon, node.lat], [twin.lon, twin.lat], 'exactly the decimal degrees of the XML');
    assert.deepEqual(node.tags ?? {}, twin.tags ?? {});
  }
  assert.ok(pbf.nodes.some((n) => n.tags?.amenity === 'kindergarten'));
  assert.deepEqual(pbf.ways, xml.ways);
  assert.deepEqual(pbf.relations, xml.relations);
});
