// Entity rows read by hand-written SQL, typed as Prisma types them (src/db/sql-reader.ts), and when
// such a read can stand in for Prisma's.
import { Prisma, type Entity, type Relationship } from "../generated/prisma/client.js";
import type { Table } from "../db/sql-reader.js";

const entityColumns = Object.values(Prisma.EntityScalarFieldEnum);
const relationshipColumnNames = Object.values(Prisma.RelationshipScalarFieldEnum);
const scalars = new Set<string>(entityColumns);

/** The models whose rows are read narrow: the rows of edge pages. */
export type RowModel = "Entity" | "Relationship";

const columnsOf: Record<RowModel, readonly string[]> = { Entity: entityColumns, Relationship: relationshipColumnNames };
const scalarsOf: Record<RowModel, ReadonlySet<string>> = {
  Entity: scalars,
  Relationship: new Set(relationshipColumnNames),
};

/**
 * What every narrow row carries: the id (anchors, cursors, the next level's join) and an entity's
 * kind, which tells its GraphQL type.
 */
const requiredColumns: Record<RowModel, readonly string[]> = { Entity: ["id", "kind"], Relationship: ["id"] };

/**
 * Which columns a read returns: every one, or only those its selection reads (src/schema/read-ahead/row-selection.ts).
 * On the benchmark's traversal the columns nobody asked for (keys, codes, long text, JSON,
 * timestamps) were most of what PostgreSQL sent and the driver parsed.
 */
export type RowShape = "whole" | readonly string[];

/**
 * The narrow shape of rows of which `columns` are read: the required columns with them, sorted, so
 * that one selection always makes one shape (it is part of a loader's key); whole when a column is
 * not one of the model's own.
 */
export function narrowShape(model: RowModel, columns: Iterable<string>): RowShape {
  const set = new Set([...requiredColumns[model], ...columns]);
  for (const column of set) if (!scalarsOf[model].has(column)) return "whole";
  return [...set].sort();
}

/** The narrowest shape that holds rows of each of `shapes`. */
export function widestShape(model: RowModel, shapes: readonly RowShape[]): RowShape {
  const lists: (readonly string[])[] = [];
  for (const shape of shapes) {
    if (shape === "whole") return "whole";
    lists.push(shape);
  }
  return narrowShape(model, lists.flat());
}

/** The columns of a `model` row in `shape`, in the order every reader here lists them. */
export const columnNames = (model: RowModel, shape: RowShape): readonly string[] =>
  shape === "whole" ? columnsOf[model] : shape;

/**
 * `o."name" AS "other.name", …` for every column of the entity aliased `alias`: an entity read in the
 * same row as the relationship reaching it. Side by side rather than `to_jsonb(o)`, because building
 * and parsing a JSON document per row cost PostgreSQL and the server more than a traversal's index
 * lookups did.
 */
export function prefixedEntityColumns(alias: string, prefix: string, shape: RowShape = "whole"): Prisma.Sql {
  return Prisma.raw(
    columnNames("Entity", shape)
      .map((column) => `${alias}."${column}" AS "${prefix}${column}"`)
      .join(", "),
  );
}

/** The columns of the relationship aliased `alias`, in `shape`, under their own names. */
export function relationshipColumns(alias: string, shape: RowShape): Prisma.Sql {
  return Prisma.raw(
    columnNames("Relationship", shape)
      .map((column) => `${alias}."${column}"`)
      .join(", "),
  );
}

/** Reads one kind of object out of the rows of a table, once told where its columns are. */
export type Picker<T> = (table: Table) => (row: unknown[]) => T;

// Objects are built column by column in one fixed order, so that every row makes objects of one shape.
function picker<T>(columns: readonly string[], prefix: string): Picker<T> {
  return (table) => {
    const positions = columns.map((column) => {
      const position = table.columns.indexOf(prefix + column);
      if (position < 0) throw new Error(`The statement returns no column "${prefix}${column}".`);
      return position;
    });
    return (row) => {
      const picked: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) picked[columns[i]!] = row[positions[i]!];
      return picked as T;
    };
  };
}

/**
 * Reads the entity whose columns `prefixedEntityColumns(…, prefix, shape)` put in a table. A narrow
 * row is typed as a whole one: it only reaches resolvers of the fields its selection was checked for.
 */
export const entityPicker = (prefix: string, shape: RowShape = "whole"): Picker<Entity> =>
  picker<Entity>(columnNames("Entity", shape), prefix);

/** Reads the relationship of a table that holds `relationshipColumns(…, shape)` (or `r.*`) among other columns. */
export const relationshipPicker = (shape: RowShape = "whole"): Picker<Relationship> =>
  picker<Relationship>(columnNames("Relationship", shape), "");

/** Reads one column. */
export function columnPicker<T>(name: string): Picker<T> {
  return (table) => {
    const position = table.columns.indexOf(name);
    if (position < 0) throw new Error(`The statement returns no column "${name}".`);
    return (row) => row[position] as T;
  };
}
