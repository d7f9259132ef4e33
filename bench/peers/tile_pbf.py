"""Writes a SYNTHETIC enlargement of a real OSM extract as a .osm.pbf: `copies` tiled copies, shifted on a grid,
with fresh ids per copy, stitched at tile borders by footways listed in the plan. Run with Debian's
/usr/bin/python3 (python3-pyosmium).

usage: tile_pbf.py plan.json
plan: {source, output, copies, columns, dLon, dLat, nodeStride, wayStride, stitches: [[nodeIdA, nodeIdB], ...]}
(stitch node ids are already offset into their copies)."""
import json
import sys

import osmium


class Collect(osmium.SimpleHandler):
    def __init__(self):
        super().__init__()
        self.nodes = []
        self.ways = []

    def node(self, n):
        self.nodes.append((n.id, n.location.lon, n.location.lat, [(t.k, t.v) for t in n.tags]))

    def way(self, w):
        self.ways.append((w.id, [r.ref for r in w.nodes], [(t.k, t.v) for t in w.tags]))


def main():
    plan = json.load(open(sys.argv[1]))
    source = Collect()
    source.apply_file(plan["source"])
    copies, columns = plan["copies"], plan["columns"]
    node_stride, way_stride = plan["nodeStride"], plan["wayStride"]
    writer = osmium.SimpleWriter(plan["output"])
    try:
        # All nodes first, copy by copy (ids ascend), then all ways: the order tools expect of a PBF.
        for k in range(copies):
            dlon = (k % columns) * plan["dLon"]
            dlat = (k // columns) * plan["dLat"]
            base = k * node_stride
            for nid, lon, lat, tags in source.nodes:
                writer.add_node(
                    osmium.osm.mutable.Node(id=nid + base, location=(lon + dlon, lat + dlat), tags=tags)
                )
        for k in range(copies):
            base_node = k * node_stride
            base_way = k * way_stride
            for wid, refs, tags in source.ways:
                writer.add_way(
                    osmium.osm.mutable.Way(id=wid + base_way, nodes=[r + base_node for r in refs], tags=tags)
                )
        first = copies * way_stride
        for i, (a, b) in enumerate(plan["stitches"]):
            writer.add_way(
                osmium.osm.mutable.Way(
                    id=first + i, nodes=[a, b], tags=[("highway", "footway"), ("note", "synthetic tile stitch")]
                )
            )
    finally:
        writer.close()


if __name__ == "__main__":
    main()
