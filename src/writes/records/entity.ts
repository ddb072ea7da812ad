// An entity with what it owns and what has no key of its own: its names (aliases), the sentences
// that mention it, and a policy's dates. Facts about it (relationships, observations, ...) are
// records of their own.
import { Prisma, type Change, type Entity } from "../../generated/prisma/client.js";
import { txQuery } from "../../db/transaction.js";
import { compactName, normalizeName } from "../../names.js";
import { ConflictError, NotFoundError, ValidationError } from "../../errors.js";
import { changeFromJson, defineRecordKind, partialDateSql, sameSnapshot, type Tx } from "../record.js";
import { dateOf, source } from "../references.js";
import {
  checkRow,
  entityRow,
  type EntityAlias,
  type EntityRow,
  type LocationRow,
  type MentionRow,
  type PolicyRow,
} from "../rows.js";

/** An entity's snapshot is its row (src/writes/rows.ts): what the history records of it. */
export type EntitySnapshot = EntityRow;

/**
 * Code point order, as PostgreSQL's `COLLATE "C"` orders UTF-8 text (JavaScript's `<` compares UTF-16
 * code units, which puts a character beyond U+FFFF before U+E000 to U+FFFF).
 */
function byCodePoint(a: string, b: string): number {
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(j)!;
    if (x !== y) return x < y ? -1 : 1;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** The aliases an entity must have for its names to resolve: name and nameZh as primary names. */
export function withPrimaryNames(snapshot: EntitySnapshot): EntityAlias[] {
  const primaries: EntityAlias[] = [
    { name: snapshot.name, lang: "en", primary: true },
    ...(snapshot.nameZh ? [{ name: snapshot.nameZh, lang: "zh" as const, primary: true }] : []),
  ];
  const taken = new Set(primaries.map((alias) => normalizeName(alias.name)));
  const others = snapshot.aliases.filter((alias) => !alias.primary && !taken.has(normalizeName(alias.name)));
  return sortAliases([...primaries, ...others]);
}

export function sortAliases(aliases: EntityAlias[]): EntityAlias[] {
  return [...aliases].sort((a, b) => byCodePoint(normalizeName(a.name), normalizeName(b.name)));
}

/**
 * Each entity row of `rows` (aliased `e`) as its snapshot, built in SQL: the one definition of an
 * entity's snapshot, which `readMany` parses and a bulk write's history inserts as it is. Its
 * aliases are in the order of their normalized names and its mentions in the order of source and
 * quote, both by code point (`COLLATE "C"`; `sortAliases` orders a snapshot's aliases the same way
 * in JavaScript, `Alias.normalized` being `normalizeName(name)` as every writer writes it).
 */
const snapshotsFrom = (rows: Prisma.Sql, where: Prisma.Sql = Prisma.sql`TRUE`) => Prisma.sql`
  SELECT e.key, jsonb_build_object('key', e.key, 'kind', e.kind, 'name', e.name, 'nameZh', e."nameZh",
      'description', e.description, 'adminLevel', e."adminLevel", 'divisionType', e."divisionType",
      'divisionCode', e."divisionCode",
      'properties', CASE WHEN jsonb_typeof(e.properties) = 'object' THEN e.properties ELSE '{}'::jsonb END,
      'aliases', COALESCE((SELECT jsonb_agg(jsonb_build_object('name', a.name, 'lang', a.lang, 'primary', a."primary")
          ORDER BY a.normalized COLLATE "C")
        FROM "Alias" a WHERE a."entityId" = e.id), '[]'::jsonb),
      'mentions', COALESCE((SELECT jsonb_agg(jsonb_build_object('source', s.key, 'quote', m.quote)
          ORDER BY (s.key || chr(10) || m.quote) COLLATE "C")
        FROM "Mention" m JOIN "Source" s ON s.id = m."sourceId" WHERE m."entityId" = e.id), '[]'::jsonb),
      'policy', (SELECT jsonb_build_object('policyType', p."policyType", 'officialTitle', p."officialTitle",
          'startsOn', ${partialDateSql("p", "startsOn", "startsPrecision")},
          'endsOn', ${partialDateSql("p", "endsOn", "endsPrecision")})
        FROM "PolicyDetail" p WHERE p."entityId" = e.id),
      'location', CASE WHEN e.latitude IS NOT NULL AND e.longitude IS NOT NULL AND ls.key IS NOT NULL
        THEN jsonb_build_object('lat', e.latitude, 'lon', e.longitude, 'source', ls.key,
          'quote', COALESCE(e."locationQuote", '')) END) AS snapshot,
    ARRAY[e.key] AS "entityKeys"
  FROM ${rows} LEFT JOIN "Source" ls ON ls.id = e."locationSourceId"
  WHERE ${where}`;

const snapshotsOf = (keys: Prisma.Sql | null) =>
  snapshotsFrom(Prisma.sql`"Entity" e`, keys ? Prisma.sql`e.key = ANY(${keys})` : Prisma.sql`TRUE`);

/** A snapshot's location as columns; an older snapshot without one leaves the stored location alone. */
async function locationColumns(tx: Tx, location: LocationRow | null | undefined) {
  if (location === undefined) return {};
  return {
    latitude: location?.lat ?? null,
    longitude: location?.lon ?? null,
    locationSourceId: location ? (await source(tx, location.source, "location.source")).id : null,
    locationQuote: location?.quote ?? null,
  };
}

/**
 * The location columns an update writes: as `locationColumns`, but a location the entity has already
 * keeps its source column (it points at the source of that key), so the source is not looked up again.
 */
async function changedLocationColumns(
  tx: Tx,
  current: LocationRow | null | undefined,
  next: LocationRow | null | undefined,
) {
  if (!next || !current || !sameSnapshot(current, next)) return locationColumns(tx, next);
  return { latitude: next.lat, longitude: next.lon, locationQuote: next.quote };
}

/** An entity column's parameter in hand-written SQL, where it needs a cast (enums, JSON sent as its text). */
const plainParameter = (value: unknown) => Prisma.sql`${value}`;
const columnParameters: Record<string, (value: unknown) => Prisma.Sql> = {
  kind: (value) => Prisma.sql`${value}::"EntityKind"`,
  adminLevel: (value) => Prisma.sql`${value}::"AdminLevel"`,
  divisionType: (value) => Prisma.sql`${value}::"DivisionType"`,
  properties: (value) => Prisma.sql`${JSON.stringify(value)}::jsonb`,
};

function columns(snapshot: EntitySnapshot) {
  return {
    kind: snapshot.kind,
    name: snapshot.name,
    nameZh: snapshot.nameZh,
    description: snapshot.description,
    adminLevel: snapshot.adminLevel,
    divisionType: snapshot.divisionType,
    divisionCode: snapshot.divisionCode,
    properties: snapshot.properties as Prisma.InputJsonObject,
  };
}

function policyColumns(policy: PolicyRow) {
  const starts = dateOf(policy.startsOn, "policy", "startsOn");
  const ends = dateOf(policy.endsOn, "policy", "endsOn");
  return {
    policyType: policy.policyType,
    officialTitle: policy.officialTitle,
    startsOn: starts?.date ?? null,
    startsPrecision: starts?.precision ?? null,
    endsOn: ends?.date ?? null,
    endsPrecision: ends?.precision ?? null,
  };
}

function aliasRow(entityId: number, alias: EntityAlias) {
  return {
    entityId,
    name: alias.name,
    normalized: normalizeName(alias.name),
    compact: compactName(alias.name),
    lang: alias.lang,
    primary: alias.primary,
  };
}

async function checkDivisionCode(tx: Tx, snapshot: EntitySnapshot, ownKey: string | null): Promise<void> {
  if (!snapshot.divisionCode) return;
  const holder = await tx.entity.findUnique({ where: { divisionCode: snapshot.divisionCode }, select: { key: true } });
  if (holder && holder.key !== ownKey)
    throw new ConflictError(`The division code ${snapshot.divisionCode} belongs to "${holder.key}" already.`);
}

async function mentionRows(tx: Tx, entityId: number, mentions: MentionRow[]) {
  const rows = [];
  for (const [index, mention] of mentions.entries()) {
    const cited = await source(tx, mention.source, `mentions.${index}.source`);
    if (cited.kind === "ARTICLE" && !cited.body.includes(mention.quote)) {
      throw ValidationError.at(
        ["mentions", index, "quote"],
        `The quote does not appear verbatim in the source "${cited.key}".`,
      );
    }
    rows.push({ entityId, sourceId: cited.id, quote: mention.quote });
  }
  return rows;
}

export const entityRecord = defineRecordKind<EntitySnapshot>({
  type: "Entity",
  keyOf: (snapshot) => snapshot.key,
  entityKeys: (snapshot) => [snapshot.key],
  snapshotsSql: snapshotsOf,

  async create(tx, snapshot) {
    checkRow(entityRow, snapshot);
    if (await tx.entity.findUnique({ where: { key: snapshot.key }, select: { id: true } })) {
      throw new ConflictError(`An entity with the key "${snapshot.key}" exists already.`);
    }
    const redirect = await tx.entityRedirect.findUnique({
      where: { key: snapshot.key },
      include: { target: { select: { key: true } } },
    });
    if (redirect)
      throw new ConflictError(
        `The key "${snapshot.key}" was merged into "${redirect.target.key}" and still leads there.`,
      );
    await checkDivisionCode(tx, snapshot, null);
    const { id } = await tx.entity.create({
      data: { key: snapshot.key, ...columns(snapshot), ...(await locationColumns(tx, snapshot.location)) },
      select: { id: true },
    });
    await tx.alias.createMany({ data: snapshot.aliases.map((alias) => aliasRow(id, alias)) });
    await tx.mention.createMany({ data: await mentionRows(tx, id, snapshot.mentions) });
    if (snapshot.policy) await tx.policyDetail.create({ data: { entityId: id, ...policyColumns(snapshot.policy) } });
  },

  async update(tx, key, current, next, recordChange) {
    checkRow(entityRow, next);
    // A code the entity holds already is its own (the column is unique): only a new one is checked.
    if (next.divisionCode !== current.divisionCode) await checkDivisionCode(tx, next, key);
    const data = { ...columns(next), ...(await changedLocationColumns(tx, current.location, next.location)) };
    // Hand-written: Prisma's update of this wide row cost about twice the CPU of the statement itself.
    const set = Object.entries(data).map(
      ([column, value]) =>
        Prisma.sql`${Prisma.raw(`"${column}"`)} = ${(columnParameters[column] ?? plainParameter)(value)}`,
    );
    const update = Prisma.sql`UPDATE "Entity" SET ${Prisma.join(set)}, "updatedAt" = ${new Date()} WHERE key = ${key}`;

    const wanted = new Map(next.aliases.map((alias) => [normalizeName(alias.name), alias]));
    const had = new Map(current.aliases.map((alias) => [normalizeName(alias.name), alias]));
    const gone = [...had.keys()].filter((normalized) => !wanted.has(normalized));
    const aliasChanged = (normalized: string, alias: EntityAlias) => {
      const before = had.get(normalized);
      return !before || before.name !== alias.name || before.lang !== alias.lang || before.primary !== alias.primary;
    };
    const mentionKey = (mention: MentionRow) => `${mention.source}\n${mention.quote}`;
    const keep = new Set(next.mentions.map(mentionKey));
    const present = new Set(current.mentions.map(mentionKey));
    const removed = current.mentions.filter((m) => !keep.has(mentionKey(m)));
    const added = next.mentions.filter((m) => !present.has(mentionKey(m)));
    const policyChanged = next.policy ? !sameSnapshot(current.policy, next.policy) : !!current.policy;

    const changedAliases = [...wanted].filter(([normalized, alias]) => aliasChanged(normalized, alias));

    if (!gone.length && !changedAliases.length && !removed.length && !added.length && !policyChanged) {
      // Only the row changes (a description, a name, properties): one statement updates it, reads
      // the snapshot after from the updated row, records the change with it and returns the row (the
      // mutation's answer). What the row owns is read as the statement starts, which is as this
      // transaction left it: nothing of it changes here.
      const [updated] = await txQuery<Entity & { change: Omit<Change, "at"> & { at: string } }>(
        tx,
        Prisma.sql`WITH updated AS (${update} RETURNING *),
          after AS (SELECT s.snapshot FROM (${snapshotsFrom(Prisma.sql`updated e`)}) s),
          change AS (${recordChange(Prisma.sql`after`, Prisma.sql`after.snapshot`)})
        SELECT u.*, to_jsonb(c) AS change FROM updated u CROSS JOIN change c`,
      );
      if (!updated) throw new NotFoundError(`No Entity has the key "${key}".`);
      const { change, ...row } = updated;
      return { after: change.after as EntitySnapshot, change: changeFromJson(change), row };
    }

    const [row] = await txQuery<{ id: number }>(tx, Prisma.sql`${update} RETURNING id`);
    if (!row) throw new NotFoundError(`No Entity has the key "${key}".`);
    const { id } = row;

    if (gone.length) await tx.alias.deleteMany({ where: { entityId: id, normalized: { in: gone } } });
    for (const [normalized, alias] of changedAliases) {
      if (!had.has(normalized)) await tx.alias.create({ data: aliasRow(id, alias) });
      else {
        await tx.alias.update({
          where: { entityId_normalized: { entityId: id, normalized } },
          data: aliasRow(id, alias),
        });
      }
    }

    for (const mention of removed) {
      await tx.mention.deleteMany({ where: { entityId: id, source: { key: mention.source }, quote: mention.quote } });
    }
    if (added.length) await tx.mention.createMany({ data: await mentionRows(tx, id, added) });

    // `current` was read under the entity's lock in this transaction: a policy it does not show is not there.
    if (!next.policy) {
      if (current.policy) await tx.policyDetail.deleteMany({ where: { entityId: id } });
    } else if (policyChanged) {
      const data = policyColumns(next.policy);
      await tx.policyDetail.upsert({ where: { entityId: id }, create: { entityId: id, ...data }, update: data });
    }
    return undefined;
  },

  async delete(tx, key) {
    const row = await tx.entity.findUnique({
      where: { key },
      select: {
        id: true,
        _count: {
          select: {
            outgoing: true,
            incoming: true,
            observations: true,
            rankingEntries: true,
            scopedRankings: true,
            policyFigures: true,
            redirects: true,
          },
        },
      },
    });
    if (!row) return;
    const left = Object.entries(row._count).filter(([, count]) => count > 0);
    if (left.length) {
      throw new ConflictError(
        `The entity "${key}" still has ${left.map(([what, count]) => `${count} ${what}`).join(", ")}; those go first.`,
      );
    }
    await tx.entity.delete({ where: { id: row.id } });
  },
});
