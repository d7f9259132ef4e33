"""Workload W1 in a peer library (igraph or NetworkX), on the graph our bench exported with every community and
facility inserted as a node (bench/peer-export.ts). Writes <out>.nearest.f64 and <out>.count.u32 (type-major,
communities within) and prints one JSON line of timings. Run with Debian's /usr/bin/python3.

usage: w1_peer.py igraph|networkx <input prefix> <out prefix> <budget seconds>

Both parts stop starting new searches once they have run for the budget: distances of types not searched are
written as -1, counts not computed as 0xFFFFFFFF, and the report extrapolates the time.

Nearest: one multi-source search per type, capped at maxDistanceM (igraph has no cutoff in 0.10: a full
Dijkstra from a zero-weight super-node joined to the type's facilities, then capped).
Counts: one search per point on the smaller side (as our computeReach does). igraph 0.10 has no bounded
Dijkstra, so each is a full one; when the budget runs out the remaining sources are skipped, their counts are
written as 0xFFFFFFFF (not computed) and the time is extrapolated — the report marks it so."""
import array
import json
import resource
import sys
import time

UNKNOWN = 0xFFFFFFFF
ZERO_WEIGHT = 1e-9
NOT_COMPUTED_DISTANCE = -1.0


def read_input(prefix):
    meta = json.load(open(prefix + ".json"))
    m = meta["segmentCount"]
    raw = open(prefix + ".bin", "rb").read()
    u = array.array("i")
    u.frombytes(raw[0 : 4 * m])
    v = array.array("i")
    v.frombytes(raw[4 * m : 8 * m])
    length = array.array("d")
    length.frombytes(raw[8 * m : 16 * m])
    flags = raw[16 * m : 17 * m]
    assert sys.byteorder == "little"
    return meta, u, v, length, flags


def arcs(meta, u, v, length, flags):
    fwd, bwd = meta["forwardFlag"], meta["backwardFlag"]
    for i in range(len(u)):
        f = flags[i]
        if f & fwd:
            yield u[i], v[i], length[i]
        if f & bwd:
            yield v[i], u[i], length[i]


class IgraphEngine:
    def __init__(self, meta, u, v, length, flags):
        import igraph

        self.n = meta["nodeCount"]
        edges = []
        weights = []
        for a, b, w in arcs(meta, u, v, length, flags):
            edges.append((a, b))
            weights.append(w)
        # One sink per type: facility → sink at zero cost, so the distance to the sink is to the nearest facility.
        for t, ty in enumerate(meta["types"]):
            for f in ty["facilities"]:
                edges.append((f, self.n + t))
                weights.append(0.0)
        # python-igraph 0.10 runs Dijkstra only when every weight is > 0; a single zero weight (the sink links,
        # two points at the same place) switches it to Johnson's algorithm, ~10x slower. Zero becomes 1e-9 m:
        # at most a few nanometres over a path, far below the 0.01 m the bench checks.
        weights = [w if w > 0 else ZERO_WEIGHT for w in weights]
        self.g = igraph.Graph(n=self.n + len(meta["types"]), edges=edges, directed=True)
        self.g.es["w"] = weights

    def nearest(self, t, facilities, communities, cap):
        row = self.g.distances(source=[self.n + t], target=communities, weights="w", mode="in")[0]
        return [d if d <= cap else float("inf") for d in row]

    def from_sources(self, sources, targets, cutoff, mode):
        # Full searches (no cutoff in igraph 0.10); the caller applies the radius.
        return self.g.distances(source=sources, target=targets, weights="w", mode=mode)


class NetworkxEngine:
    def __init__(self, meta, u, v, length, flags):
        import networkx as nx

        self.nx = nx
        self.g = nx.DiGraph()
        self.g.add_nodes_from(range(meta["nodeCount"]))
        # A DiGraph holds one arc per node pair: keep the shortest of parallel arcs (two ways joining the same
        # junctions), or a later, longer one would replace it.
        best = {}
        for a, b, w in arcs(meta, u, v, length, flags):
            if w < best.get((a, b), float("inf")):
                best[(a, b)] = w
        self.g.add_weighted_edges_from(((a, b, w) for (a, b), w in best.items()), weight="w")
        self.rev = self.g.reverse(copy=False)

    def nearest(self, t, facilities, communities, cap):
        d = self.nx.multi_source_dijkstra_path_length(self.rev, facilities, cutoff=cap, weight="w")
        return [d.get(c, float("inf")) for c in communities]

    def from_sources(self, sources, targets, cutoff, mode):
        graph = self.g if mode == "out" else self.rev
        rows = []
        for s in sources:
            d = self.nx.single_source_dijkstra_path_length(graph, s, cutoff=cutoff, weight="w")
            rows.append([d.get(x, float("inf")) for x in targets])
        return rows


def main():
    engine_name, prefix, out, budget = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    t0 = time.perf_counter()
    meta, u, v, length, flags = read_input(prefix)
    engine = (IgraphEngine if engine_name == "igraph" else NetworkxEngine)(meta, u, v, length, flags)
    t_build = time.perf_counter() - t0

    communities = meta["communities"]
    types = meta["types"]
    cap = meta["maxDistanceM"]
    C, T = len(communities), len(types)
    nearest = array.array("d", [float("inf")]) * (C * T)
    counts = array.array("I", [UNKNOWN]) * (C * T)

    # Nearest: one search per type, until the budget is spent (then the rest is extrapolated, marked -1 here).
    t1 = time.perf_counter()
    nearest_done = 0
    for t, ty in enumerate(types):
        if time.perf_counter() - t1 > budget:
            for c in range(C):
                nearest[t * C + c] = NOT_COMPUTED_DISTANCE
            continue
        nearest_done += 1
        if ty["facilities"]:
            row = engine.nearest(t, ty["facilities"], communities, cap)
            for c in range(C):
                nearest[t * C + c] = row[c]
    t_nearest = time.perf_counter() - t1

    # Counts, from the smaller side; batches of sources until the budget is spent.
    t2 = time.perf_counter()
    batch = 25
    done = total = 0
    if meta["countSide"] == "from-communities":
        all_f = [f for ty in types for f in ty["facilities"]]
        type_of = [t for t, ty in enumerate(types) for _ in ty["facilities"]]
        radius = [ty["radiusM"] for ty in types]
        max_r = max(radius) if radius else 0
        total = C
        for start in range(0, C, batch):
            if time.perf_counter() - t2 > budget:
                break
            rows = engine.from_sources(communities[start : start + batch], all_f, max_r, "out")
            for k, row in enumerate(rows):
                c = start + k
                per_type = [0] * T
                for j, d in enumerate(row):
                    if d <= radius[type_of[j]]:
                        per_type[type_of[j]] += 1
                for t in range(T):
                    counts[t * C + c] = per_type[t]
                done += 1
    else:
        sources = [(t, f) for t, ty in enumerate(types) for f in ty["facilities"]]
        total = len(sources)
        for t in range(T):
            for c in range(C):
                counts[t * C + c] = 0
        for start in range(0, total, batch):
            if time.perf_counter() - t2 > budget:
                break
            chunk = sources[start : start + batch]
            # Facilities of a batch may mix types (different radii): group them.
            for t in sorted(set(t for t, _ in chunk)):
                r = types[t]["radiusM"]
                rows = engine.from_sources([f for tt, f in chunk if tt == t], communities, r, "in")
                for row in rows:
                    for c, d in enumerate(row):
                        if d <= r:
                            counts[t * C + c] += 1
                    done += 1
        if done < total:
            # Partial sums are meaningless: mark every count as not computed.
            counts = array.array("I", [UNKNOWN]) * (C * T)
    t_counts = time.perf_counter() - t2

    with open(out + ".nearest.f64", "wb") as fh:
        nearest.tofile(fh)
    with open(out + ".count.u32", "wb") as fh:
        counts.tofile(fh)
    print(
        json.dumps(
            {
                "engine": engine_name,
                "buildS": t_build,
                "nearestS": t_nearest,
                "nearestTypes": T,
                "nearestTypesDone": nearest_done,
                "countsS": t_counts,
                "countSources": total,
                "countSourcesDone": done,
                "peakRssKiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
        )
    )


if __name__ == "__main__":
    main()
