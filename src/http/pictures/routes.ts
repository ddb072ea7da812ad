// Pictures over plain HTTP, for people who would rather look than read, and for <img src> in apps:
//   GET /pictures/neighborhood.svg?entity=Chongqing&depth=2&limit=80[&types=A,B][&asOf=2024-12-31[&possible=1]][&fold=12]
//   GET /pictures/series.svg?entity=Chongqing&indicator=auto-retail-sales-growth
// Entities by name, alias or key, as entity(name:) takes them. Bad parameters get a 400 that says why.
import type { Plugin } from "graphql-yoga";
import { loadNeighborhood } from "../../reads/subgraph.js";
import { anyEntity } from "../../reads/entity-variants.js";
import { findEntityNamed, indicatorNamed } from "../../reads/lookups.js";
import type { GraphDatabase } from "../../db/database.js";
import { parsePartialDate } from "../../partial-date.js";
import { neighborhoodSvg } from "./neighborhood.js";
import { seriesSvg } from "./series.js";

/** As in the explorer: a node's neighbours of one relation and direction beyond this are one node. */
const defaultFold = 12;

class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function intParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = params.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new BadRequest(`"${name}" must be an integer from ${min} to ${max}, got "${text}".`);
  return value;
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name)?.trim();
  if (!value) throw new BadRequest(`The parameter "${name}" is required.`);
  return value;
}

async function findEntity(db: GraphDatabase, name: string) {
  const entity = await findEntityNamed(db, name, anyEntity);
  if (!entity) throw new BadRequest(`No entity is called "${name}".`, 404);
  return entity;
}

async function neighborhoodPicture(db: GraphDatabase, params: URLSearchParams): Promise<string> {
  const { prisma, sql } = db;
  const entity = await findEntity(db, required(params, "entity"));
  const asOfText = params.get("asOf");
  const asOf = asOfText ? parsePartialDate(asOfText) : null;
  if (asOfText && !asOf)
    throw new BadRequest(`"asOf" must be a date as YYYY, YYYY-MM or YYYY-MM-DD, got "${asOfText}".`);
  const possibleText = params.get("possible");
  if (possibleText !== null && possibleText !== "0" && possibleText !== "1")
    throw new BadRequest(
      `"possible" must be 1 (with asOf, also what may have been valid) or 0, got "${possibleText}".`,
    );
  const types =
    params
      .get("types")
      ?.split(",")
      .map((type) => type.trim())
      .filter(Boolean) ?? null;
  const relationTypes = await prisma.relationType.findMany();
  const unknown = types?.filter((type) => !relationTypes.some((known) => known.key === type)) ?? [];
  if (unknown.length) throw new BadRequest(`Unknown relation type(s): ${unknown.join(", ")}.`);
  const depth = intParam(params, "depth", 1, 1, 3);
  const fold = params.get("fold");
  const foldAbove = fold === null ? defaultFold : /^\d+$/.test(fold) ? Number(fold) : Number.NaN;
  if (!Number.isInteger(foldAbove) || foldAbove < 0 || foldAbove > 500)
    throw new BadRequest(
      `"fold" must be 0 (no folding) or from 1 to 500 (a node's neighbours of one relation beyond that many are drawn as one), got "${fold}".`,
    );
  const graph = await loadNeighborhood(sql, entity, {
    depth,
    direction: "BOTH",
    limit: intParam(params, "limit", 80, 1, 500),
    types,
    asOf: asOf?.date,
    asOfPossible: possibleText === "1",
    foldAbove: foldAbove || null,
  });
  const asOfTitle = asOfText ? ` as of ${asOfText}${possibleText === "1" ? ", possibly" : ""}` : "";
  const title = `${entity.name}: ${depth === 1 ? "direct neighbours" : `${depth} hops`}${asOfTitle}`;
  return neighborhoodSvg(graph, new Map(relationTypes.map((type) => [type.key, type])), title);
}

async function seriesPicture(db: GraphDatabase, params: URLSearchParams): Promise<string> {
  const { prisma } = db;
  const entity = await findEntity(db, required(params, "entity"));
  const indicatorName = required(params, "indicator");
  const indicator = await prisma.indicator.findFirst({ where: indicatorNamed(indicatorName) });
  if (!indicator) throw new BadRequest(`No indicator is called "${indicatorName}".`, 404);
  const points = await prisma.observation.findMany({
    where: { entityId: entity.id, indicatorId: indicator.id },
    orderBy: [{ periodStart: "asc" }, { id: "asc" }],
  });
  return seriesSvg(points, `${entity.name}: ${indicator.name}`, points[0]?.unit ?? indicator.unit);
}

const pictures: Record<string, (db: GraphDatabase, params: URLSearchParams) => Promise<string>> = {
  "/pictures/neighborhood.svg": neighborhoodPicture,
  "/pictures/series.svg": seriesPicture,
};

export function usePictures(db: GraphDatabase): Plugin {
  return {
    async onRequest({ url, request, endResponse }) {
      const draw = pictures[url.pathname];
      if (!draw) return;
      if (request.method !== "GET")
        return endResponse(new Response("Pictures answer GET only.", { status: 405, headers: { allow: "GET" } }));
      try {
        const svg = await draw(db, url.searchParams);
        endResponse(
          new Response(svg, {
            headers: { "content-type": "image/svg+xml; charset=utf-8", "cache-control": "no-cache" },
          }),
        );
      } catch (error) {
        if (!(error instanceof BadRequest)) throw error;
        endResponse(
          new Response(`${error.message}\n`, {
            status: error.status,
            headers: { "content-type": "text/plain; charset=utf-8" },
          }),
        );
      }
    },
  };
}
