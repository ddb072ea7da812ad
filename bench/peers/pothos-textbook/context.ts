// A new context, and new loaders, for every request (a loader caches what it has loaded).
import DataLoader from "dataloader";
import type { PrismaClient } from "../../../src/generated/prisma/client.js";

/** A relationship's direction and the labels of its type, for a path step's label. */
export interface StepEdge {
  id: number;
  fromId: number;
  type: { label: string; inverseLabel: string };
}

export interface Context {
  prisma: PrismaClient;
  stepEdges: DataLoader<number, StepEdge>;
}

export function createContext(prisma: PrismaClient): Context {
  return {
    prisma,
    // A scalar computed from a relationship is not a relation plugin-prisma can select, so it is
    // batched the way the Pothos docs batch non-Prisma fields: one DataLoader per request.
    stepEdges: new DataLoader(async (ids) => {
      const rows = await prisma.relationship.findMany({
        where: { id: { in: [...ids] } },
        select: { id: true, fromId: true, type: { select: { label: true, inverseLabel: true } } },
      });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? new Error(`relationship ${id} not found`));
    }),
  };
}
