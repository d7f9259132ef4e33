/** OSM entities as the readers hand them over; tags are plain string maps. */
export type OsmTags = Record<string, string>;

export interface OsmNode {
  readonly id: number;
  readonly lon: number;
  readonly lat: number;
  readonly tags?: OsmTags;
}

export interface OsmWay {
  readonly id: number;
  readonly refs: readonly number[];
  readonly tags: OsmTags;
}

export interface OsmMember {
  readonly type: 'node' | 'way' | 'relation';
  readonly ref: number;
  readonly role: string;
}

export interface OsmRelation {
  readonly id: number;
  readonly members: readonly OsmMember[];
  readonly tags: OsmTags;
}

export type OsmFormat = 'xml' | 'pbf';

export interface OsmHandlers {
  /** Every node's coordinates as plain numbers: the cheap path when tags are not needed (no object per node). */
  nodeCoordinates?(id: number, lon: number, lat: number): void;
  node?(node: OsmNode): void;
  way?(way: OsmWay): void;
  relation?(relation: OsmRelation): void;
}

export interface OsmReadOptions {
  /** Keep node tags (off by default: the walking network needs none, and they cost memory). */
  readonly nodeTags?: boolean;
  /** Called now and then with the bytes read so far and the file size. */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface OsmReadSummary {
  readonly format: OsmFormat;
  readonly nodes: number;
  readonly ways: number;
  readonly relations: number;
  readonly bytes: number;
}
