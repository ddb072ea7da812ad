// Export of the whole graph, streamed a page at a time so a million relationships never sit in
// memory as one string: NDJSON (a bundle that imports back to the same graph), GraphML (Gephi,
// yEd, NetworkX) and Cytoscape.js elements JSON. One transaction (repeatable read on PostgreSQL)
// for a consistent snapshot.
import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";
import { cursorPages, dumpRecords, partial, tableCounts } from "./dump.js";
import type { TableName } from "./tables.js";

export const exportFormats = ["ndjson", "graphml", "cytoscape"] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Where the text goes; `write` resolves once the chunk may be followed by another (backpressure). */
export interface TextSink {
  write(chunk: string): Promise<void>;
}

export interface ExportProgress {
  table: TableName;
  done: number;
  total: number;
}

export interface ExportOptions {
  format: ExportFormat;
  onProgress?: (progress: ExportProgress) => void;
}

export type ExportCounts = Partial<Record<TableName, number>>;

/** A sink over a Node stream that waits for "drain" when the stream's buffer is full. */
export function streamSink(stream: NodeJS.WritableStream): TextSink {
  return {
    write(chunk) {
      return new Promise((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        stream.once("error", onError);
        const done = () => {
          stream.off("error", onError);
          resolve();
        };
        if (stream.write(chunk)) done();
        else stream.once("drain", done);
      });
    },
  };
}

export async function exportGraph(prisma: PrismaClient, sink: TextSink, options: ExportOptions): Promise<ExportCounts> {
  return prisma.$transaction(
    async (tx) => {
      const totals = await tableCounts(tx);
      const counts: ExportCounts = {};
      const onPage = (table: TableName, rows: number) => {
        counts[table] = (counts[table] ?? 0) + rows;
        options.onProgress?.({ table, done: counts[table]!, total: totals[table] });
      };
      if (options.format === "ndjson") await writeNdjson(tx, sink, onPage);
      else if (options.format === "graphml") await writeGraphml(tx, sink, onPage);
      else await writeCytoscape(tx, sink, onPage);
      return counts;
    },
    { timeout: 6 * 3600_000, maxWait: 60_000, isolationLevel: "RepeatableRead" },
  );
}

async function writeNdjson(
  tx: Prisma.TransactionClient,
  sink: TextSink,
  onPage: (table: TableName, rows: number) => void,
): Promise<void> {
  for await (const records of dumpRecords(tx, onPage)) {
    if (records.length) await sink.write(`${records.map((record) => JSON.stringify(record)).join("\n")}\n`);
  }
}

interface NodeRow {
  id: string;
  kind: string;
  name: string;
  nameZh: string | null;
  adminLevel: string | null;
  divisionCode: string | null;
  latitude: number | null;
  longitude: number | null;
  population: number | null;
  populationPeriod: string | null;
  populationPeriodBound: string | null;
}

/**
 * A place's position on a plane for layouts that read one (Cytoscape.js's preset layout, Gephi's
 * x and y): equirectangular, 10 units a degree, north up (screen y grows downwards).
 */
function planePosition(n: NodeRow): { x: number; y: number } | null {
  if (n.latitude === null || n.longitude === null) return null;
  return { x: Math.round(n.longitude * 10_000) / 1000, y: Math.round(-n.latitude * 10_000) / 1000 };
}

interface EdgeRow {
  id: string;
  source: string;
  target: string;
  type: string;
  label: string;
  validFrom: string | null;
  validFromPrecision: string | null;
  validFromBound: string;
  validTo: string | null;
  validToPrecision: string | null;
  certainty: string;
  quote: string;
  sourceKey: string;
  sourceTitle: string;
}

// A place's latest population (indicator "population"), for layouts that size nodes by it, with its
// period and the period's bound: GeoNames's figures are NOT_AFTER a day, not of it (docs/data.md).
const nodeSql = `SELECT e.key AS id, e.kind, e.name, e."nameZh", e."adminLevel", e."divisionCode", e.latitude, e.longitude,
    p.value AS population, p.period AS "populationPeriod", p."periodBound"::text AS "populationPeriodBound"
  FROM "Entity" e
  LEFT JOIN LATERAL (
    SELECT o.value, o.period, o."periodBound" FROM "Observation" o JOIN "Indicator" i ON i.id = o."indicatorId"
    WHERE o."entityId" = e.id AND i.key = 'population' AND o.value IS NOT NULL
    ORDER BY o."periodEnd" DESC, o.id DESC LIMIT 1
  ) p ON true
  ORDER BY e.key COLLATE "C"`;
const edgeSql = `
  SELECT r.key AS id, f.key AS source, t.key AS target, r."typeKey" AS type, rt.label, r."validFrom", r."validFromPrecision",
    r."validFromBound"::text AS "validFromBound", r."validTo", r."validToPrecision", r.certainty, r.quote, s.key AS "sourceKey", s.title AS "sourceTitle"
  FROM "Relationship" r JOIN "Entity" f ON f.id = r."fromId" JOIN "Entity" t ON t.id = r."toId"
  JOIN "RelationType" rt ON rt.key = r."typeKey" JOIN "Source" s ON s.id = r."sourceId"
  ORDER BY r.key COLLATE "C"`;

// XML 1.0 allows no control characters but tab, newline and carriage return, and no lone surrogates.
const xmlInvalid =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const xmlEntities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

export function xmlText(text: string): string {
  return text.replace(xmlInvalid, "").replace(/[&<>"']/g, (c) => xmlEntities[c]!);
}

// Gephi maps a key whose id or name is "label" to the node's label and "edgelabel" to the edge's;
// the other keys get ids of their own so no attribute name collides with Gephi's built-in columns.
const nodeKeys = [
  ["label", "label"],
  ["n_kind", "kind"],
  ["n_name", "name"],
  ["n_nameZh", "nameZh"],
  ["n_adminLevel", "adminLevel"],
  ["n_divisionCode", "divisionCode"],
  ["n_populationPeriod", "populationPeriod"],
  ["n_populationPeriodBound", "populationPeriodBound"],
] as const;
// Numbers: the position (degrees) and its projection, which Gephi's importer takes as x and y.
const nodeNumberKeys = [
  ["n_latitude", "latitude"],
  ["n_longitude", "longitude"],
  ["n_population", "population"],
  ["x", "x"],
  ["y", "y"],
] as const;
const edgeKeys = [
  ["edgelabel", "label"],
  ["e_type", "type"],
  ["e_validFrom", "validFrom"],
  ["e_validFromBound", "validFromBound"],
  ["e_validTo", "validTo"],
  ["e_certainty", "certainty"],
  ["e_quote", "quote"],
  ["e_source", "source"],
  ["e_sourceTitle", "sourceTitle"],
] as const;

/** A population period's bound, written only where it is one, as a start's is. */
const populationBound = (node: NodeRow): string | null =>
  node.populationPeriodBound === "EXACT" ? null : node.populationPeriodBound;

/** A start's bound, written only where it is one: an EXACT date is the date, as before bounds existed. */
const bound = (edge: EdgeRow): string | null => (edge.validFromBound === "EXACT" ? null : edge.validFromBound);

function data(key: string, value: string | number | null | undefined): string {
  return value === null || value === undefined || value === ""
    ? ""
    : `<data key="${key}">${xmlText(String(value))}</data>`;
}

async function writeGraphml(
  tx: Prisma.TransactionClient,
  sink: TextSink,
  onPage: (table: TableName, rows: number) => void,
): Promise<void> {
  const keys = [
    ...nodeKeys.map(([id, name]) => `  <key id="${id}" for="node" attr.name="${name}" attr.type="string"/>`),
    ...nodeNumberKeys.map(([id, name]) => `  <key id="${id}" for="node" attr.name="${name}" attr.type="double"/>`),
    ...edgeKeys.map(([id, name]) => `  <key id="${id}" for="edge" attr.name="${name}" attr.type="string"/>`),
  ];
  await sink.write(
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
      `<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
      `xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n` +
      `${keys.join("\n")}\n  <graph id="G" edgedefault="directed">\n`,
  );
  for await (const rows of cursorPages<NodeRow>(tx, nodeSql)) {
    onPage("entities", rows.length);
    const lines = rows.map((n) => {
      const position = planePosition(n);
      return (
        `    <node id="${xmlText(n.id)}">${data("label", n.name)}${data("n_kind", n.kind)}${data("n_name", n.name)}${data("n_nameZh", n.nameZh)}` +
        `${data("n_adminLevel", n.adminLevel)}${data("n_divisionCode", n.divisionCode)}` +
        `${data("n_latitude", n.latitude)}${data("n_longitude", n.longitude)}${data("x", position?.x)}${data("y", position?.y)}` +
        `${data("n_population", n.population)}${data("n_populationPeriod", n.populationPeriod)}${data("n_populationPeriodBound", populationBound(n))}</node>\n`
      );
    });
    await sink.write(lines.join(""));
  }
  for await (const rows of cursorPages<EdgeRow>(tx, edgeSql)) {
    onPage("relationships", rows.length);
    const lines = rows.map(
      (e) =>
        `    <edge id="${xmlText(e.id)}" source="${xmlText(e.source)}" target="${xmlText(e.target)}">${data("edgelabel", e.label)}${data("e_type", e.type)}` +
        `${data("e_validFrom", partial(e.validFrom, e.validFromPrecision))}${data("e_validFromBound", bound(e))}${data("e_validTo", partial(e.validTo, e.validToPrecision))}` +
        `${data("e_certainty", e.certainty)}${data("e_quote", e.quote)}${data("e_source", e.sourceKey)}${data("e_sourceTitle", e.sourceTitle)}</edge>\n`,
    );
    await sink.write(lines.join(""));
  }
  await sink.write(`  </graph>\n</graphml>\n`);
}

/** Fields with a value only: Cytoscape.js reads a missing field as undefined anyway. */
function present(fields: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== null && entry[1] !== ""),
  );
}

async function writeCytoscape(
  tx: Prisma.TransactionClient,
  sink: TextSink,
  onPage: (table: TableName, rows: number) => void,
): Promise<void> {
  await sink.write(`{"elements":{"nodes":[`);
  let first = true;
  for await (const rows of cursorPages<NodeRow>(tx, nodeSql)) {
    onPage("entities", rows.length);
    const items = rows.map((n) => {
      const position = planePosition(n);
      return JSON.stringify({
        data: {
          ...present({
            id: n.id,
            label: n.name,
            kind: n.kind,
            name: n.name,
            nameZh: n.nameZh,
            adminLevel: n.adminLevel,
            divisionCode: n.divisionCode,
            populationPeriod: n.populationPeriod,
            populationPeriodBound: populationBound(n),
          }),
          ...(position ? { latitude: n.latitude, longitude: n.longitude } : {}),
          ...(n.population !== null ? { population: n.population } : {}),
        },
        ...(position ? { position } : {}),
      });
    });
    await sink.write(`${first ? "\n" : ",\n"}${items.join(",\n")}`);
    first = false;
  }
  await sink.write(`\n],"edges":[`);
  first = true;
  for await (const rows of cursorPages<EdgeRow>(tx, edgeSql)) {
    onPage("relationships", rows.length);
    const items = rows.map((e) =>
      JSON.stringify({
        data: present({
          id: e.id,
          source: e.source,
          target: e.target,
          type: e.type,
          label: e.label,
          validFrom: partial(e.validFrom, e.validFromPrecision),
          validFromBound: bound(e),
          validTo: partial(e.validTo, e.validToPrecision),
          certainty: e.certainty,
          quote: e.quote,
          sourceKey: e.sourceKey,
          sourceTitle: e.sourceTitle,
        }),
      }),
    );
    await sink.write(`${first ? "\n" : ",\n"}${items.join(",\n")}`);
    first = false;
  }
  await sink.write(`\n]}}\n`);
}
