// Where places are: each place's position with the source that gives it, and the places near a
// place or a point, nearest first.
import { builder } from "./builder.js";
import type { Context } from "../context.js";
import type { Entity, Source } from "../generated/prisma/client.js";
import type { EntityKind } from "../generated/prisma/enums.js";
import { UserInputError } from "../errors.js";
import { loadNearby, pointOf, roundKm, type NearbyHit, type Point } from "../reads/nearby.js";
import { EntityKindEnum } from "./enums.js";
import { entityFromGlobalId } from "./exploration.js";
import { PlaceRef } from "./places.js";
import { readsParent } from "./read-ahead/row-selection.js";
import { SourceRef } from "./sources.js";

/** The largest radius `nearby` searches: the breadth of China's largest provinces. */
const maxRadiusKm = 2000;
const maxFirst = 100;
const placeKinds: EntityKind[] = ["COUNTRY", "PROVINCE", "CITY", "DISTRICT", "REGION"];

const LocationRef = builder.objectRef<Point & { sourceId: number; quote: string }>("Location").implement({
  description: "Where a place is, in WGS 84 degrees, with the source that gives the position.",
  fields: (t) => ({
    lat: t.exposeFloat("lat", { description: "Latitude, degrees north." }),
    lon: t.exposeFloat("lon", { description: "Longitude, degrees east." }),
    source: t.field({
      type: SourceRef,
      description: "The source that gives the position (the GeoNames gazetteer).",
      resolve: (location, _args, ctx) => ctx.loaders.pointedRow<Source>("Source", location.sourceId),
    }),
    quote: t.exposeString("quote", { description: "The source's words: the gazetteer row the position is read from." }),
  }),
});

builder.prismaInterfaceFields(PlaceRef, (t) => ({
  location: t.field({
    type: LocationRef,
    nullable: true,
    description: "Where the place is; null when no source gives its position.",
    ...readsParent("latitude", "longitude", "locationSourceId", "locationQuote"),
    resolve: (place) => {
      const point = pointOf(place);
      return point && place.locationSourceId !== null
        ? { ...point, sourceId: place.locationSourceId, quote: place.locationQuote ?? "" }
        : null;
    },
  }),
}));

const NearbyPlaceRef = builder.objectRef<NearbyHit>("NearbyPlace").implement({
  description: "A place near the point asked about, with its great-circle distance.",
  fields: (t) => ({
    place: t.field({ type: PlaceRef, description: "The place.", resolve: (hit) => hit.entity }),
    distanceKm: t.float({
      description: "Great-circle (haversine) distance in kilometres.",
      resolve: (hit) => roundKm(hit.distanceKm),
    }),
  }),
});

function checkNumber(name: string, value: number, min: number, max: number, exclusiveMin = false) {
  if (value > max || value < min || (exclusiveMin && value === min))
    throw new UserInputError(
      `Argument "${name}" must be ${exclusiveMin ? "more than" : "at least"} ${min} and at most ${max}, got ${value}.`,
      "BAD_USER_INPUT",
    );
}

/** The point a `nearby` request is centred on, and the entity it names, if any. */
async function centreOf(
  ctx: Context,
  args: { id?: { typename: string; id: string } | null; lat?: number | null; lon?: number | null },
): Promise<{ point: Point; entity: Entity | null }> {
  const byPoint = args.lat != null || args.lon != null;
  if (args.id ? byPoint : !byPoint)
    throw new UserInputError('Give either "id" or both "lat" and "lon".', "BAD_USER_INPUT");
  if (!args.id) {
    if (args.lat == null || args.lon == null) throw new UserInputError('Give both "lat" and "lon".', "BAD_USER_INPUT");
    checkNumber("lat", args.lat, -90, 90);
    checkNumber("lon", args.lon, -180, 180);
    return { point: { lat: args.lat, lon: args.lon }, entity: null };
  }
  const entity = await entityFromGlobalId(ctx, args.id, "id");
  if (!entity) throw new UserInputError('No entity has the id given as "id".', "NOT_FOUND");
  const point = pointOf(entity);
  if (!point)
    throw new UserInputError(`${entity.name} has no location to measure from.`, "BAD_USER_INPUT", {
      entity: entity.key,
    });
  return { point, entity };
}

builder.queryFields((t) => ({
  nearby: t.field({
    type: [NearbyPlaceRef],
    description: `Places within \`radiusKm\` of a place (\`id\`, itself left out) or of a point (\`lat\`, \`lon\`), nearest first, then by id; only places with a location. Great-circle distances computed in the database.`,
    args: {
      id: t.arg.globalID({ required: false, description: "The place to measure from." }),
      lat: t.arg.float({ required: false, description: "Latitude of the point to measure from, -90 to 90." }),
      lon: t.arg.float({ required: false, description: "Longitude of the point to measure from, -180 to 180." }),
      radiusKm: t.arg.float({ required: true, description: `More than 0, at most ${maxRadiusKm}.` }),
      kinds: t.arg({
        type: [EntityKindEnum],
        required: false,
        description: "Only entities of these kinds; by default every kind of place.",
      }),
      first: t.arg.int({ defaultValue: 20, description: `1 to ${maxFirst} places.` }),
    },
    resolve: async (_root, args, ctx) => {
      checkNumber("radiusKm", args.radiusKm, 0, maxRadiusKm, true);
      checkNumber("first", args.first ?? 20, 1, maxFirst);
      const { point, entity } = await centreOf(ctx, args);
      return loadNearby(ctx.sql, point, {
        radiusKm: args.radiusKm,
        limit: args.first ?? 20,
        kinds: args.kinds?.length ? args.kinds : placeKinds,
        excludeId: entity?.id,
      });
    },
  }),
}));
