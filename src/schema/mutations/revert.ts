// Undoing a recorded change (with the rest of its batch).
import { z } from "zod";
import { NotFoundError } from "../../errors.js";
import { revertBatchOf } from "../../writes/revert.js";
import { ChangeRef } from "../history.js";
import { defineMutation } from "./define.js";
import { keyOf } from "./ids.js";

defineMutation({
  name: "revertChange",
  description:
    "Undoes a change and the other changes of its mutation: a create is deleted, an update restored, a delete re-created. A ConflictError when a record has changed since, or a change was reverted already. The revert is recorded too.",
  scope: "graph:admin",
  args: (arg) => ({
    id: arg.id({ required: true, description: "Global id of a change (from `history` or `changes`)." }),
  }),
  input: z.object({ id: z.string() }),
  data: {
    field: "change",
    type: ChangeRef,
    description: "The change reverted; `changes` lists what the revert wrote.",
  },
  async write(batch, { id }) {
    const changeId = Number(keyOf(id, ["Change"], ["id"]));
    if (!Number.isSafeInteger(changeId)) throw new NotFoundError(`No change has the id ${id}.`);
    return { id: await revertBatchOf(batch, changeId) };
  },
  async load(ctx, ref) {
    return ctx.prisma.change.findUniqueOrThrow({ where: { id: ref.id } });
  },
});
