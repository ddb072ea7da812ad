// Distances between places: great-circle (haversine) on a sphere of the Earth's mean radius, in
// plain SQL so that it runs the same on PGlite and on a PostgreSQL server (no PostGIS), and the same
// formula in TypeScript for what is already loaded (the steps of a path).
import { Prisma, type Entity } from "../generated/prisma/client.js";
import type { EntityKind } from "../generated/prisma/enums.js";
import type { SqlReader } from "../db/sql-reader.js";

/** The mean radius of the Earth (IUGG), in kilometres. */
const earthRadiusKm = 6371.0088;

/** Kilometres per degree of latitude: a band this many degrees wide holds every place within the radius. */
const kmPerDegree = (Math.PI * earthRadiusKm) / 180;

export interface Point {
  lat: number;
  lon: number;
}

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** The great-circle distance in kilometres. */
export function distanceKm(a: Point, b: Point): number {
  const h =
    Math.sin(radians(b.lat - a.lat) / 2) ** 2 +
    Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(radians(b.lon - a.lon) / 2) ** 2;
  return 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Kilometres to the metre: more digits would claim a precision that gazetteer points lack. */
export const roundKm = (km: number) => Math.round(km * 1000) / 1000;

/** An entity's position, when it has one. */
export function pointOf(entity: Pick<Entity, "latitude" | "longitude">): Point | null {
  return entity.latitude === null || entity.longitude === null ? null : { lat: entity.latitude, lon: entity.longitude };
}

export interface NearbyOptions {
  radiusKm: number;
  limit: number;
  kinds?: readonly EntityKind[] | null;
  /** Left out of the answer: the place the search starts from. */
  excludeId?: number | null;
}

export interface NearbyHit {
  entity: Entity;
  distanceKm: number;
}

type NearbyRow = Entity & { distanceKm: number };

/**
 * Entities with a position within `radiusKm` of `centre`, nearest first (then by id), at most
 * `limit`. The latitude band discards most rows before the trigonometry; LEAST keeps rounding
 * from taking asin past 1.
 */
export async function loadNearby(sql: SqlReader, centre: Point, options: NearbyOptions): Promise<NearbyHit[]> {
  const band = options.radiusKm / kmPerDegree;
  const kinds = options.kinds?.length
    ? Prisma.sql`AND e.kind::text = ANY(${[...options.kinds]}::text[])`
    : Prisma.empty;
  const exclude = options.excludeId != null ? Prisma.sql`AND e.id <> ${options.excludeId}::int` : Prisma.empty;
  const rows = await sql.query<NearbyRow>(Prisma.sql`
    SELECT * FROM (
      SELECT e.*, 2 * ${earthRadiusKm}::float8 * asin(LEAST(1, sqrt(
          power(sin(radians(e.latitude - ${centre.lat}::float8) / 2), 2)
          + cos(radians(${centre.lat}::float8)) * cos(radians(e.latitude))
            * power(sin(radians(e.longitude - ${centre.lon}::float8) / 2), 2)
        ))) AS "distanceKm"
      FROM "Entity" e
      WHERE e.latitude BETWEEN ${centre.lat - band}::float8 AND ${centre.lat + band}::float8 ${kinds} ${exclude}
    ) near
    WHERE "distanceKm" <= ${options.radiusKm}::float8
    ORDER BY "distanceKm", id
    LIMIT ${options.limit}::int`);
  return rows.map(({ distanceKm, ...entity }) => ({ entity, distanceKm }));
}
