// One way to write a mutation: scope check (scope-auth), input validation (zod), one transaction
// with its history and idempotency (runWrite), events after commit, and a typed result union
// (plugin-errors). A mutation module only says what to check, what to write and what to return.
import type { ArgBuilder, InputFieldMap, OutputRef, SchemaTypes } from "@pothos/core";
import type { z } from "zod";
import type { TokenScope } from "../../auth/tokens.js";
import { builder } from "../builder.js";
import type { Context } from "../../context.js";
import type { WriteBatch } from "../../writes/batch.js";
import { ValidationError } from "../../errors.js";
import type { Json } from "../../writes/record.js";
import { runWrite, type WriteOutcome } from "../../writes/run.js";
import { ChangeRef } from "../history.js";
import { writeErrorTypes } from "../write-errors.js";
import { parseArgs } from "./inputs.js";

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T extends SchemaTypes> ? T : never;

export interface MutationSpec<Input, Ref extends Json, Output extends object> {
  name: string;
  description: string;
  scope: TokenScope;
  args: (arg: ArgBuilder<Types>) => InputFieldMap;
  /** Checks and types the arguments (all but idempotencyKey). */
  input: z.ZodType<Input>;
  /** The field of the success type that carries the result, e.g. `entity`. */
  data: { field: string; type: OutputRef<Output>; description?: string };
  /** The writes, inside the transaction. Returns a JSON reference to the result (kept for replays). */
  write(batch: WriteBatch, input: Input): Promise<Ref>;
  /**
   * The result the client sees, after commit and on an idempotent replay alike; `rowLeft` gives the
   * rows the write returned as it left them (`WriteOutcome.rowLeft`), which need not be read again.
   */
  load(ctx: Context, ref: Ref, rowLeft: WriteOutcome<Ref>["rowLeft"]): Promise<Output>;
}

// Which batch of changes produced a result object, for the success type's `changes` field.
const batchOfResult = new WeakMap<object, string>();

const capitalized = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

export function defineMutation<Input, Ref extends Json, Output extends object>(
  spec: MutationSpec<Input, Ref, Output>,
): void {
  builder.mutationField(spec.name, (t) =>
    t.field({
      type: spec.data.type as OutputRef<object>,
      description: `${spec.description}\n\nNeeds a token with the scope \`${spec.scope}\`.`,
      authScopes: { token: spec.scope },
      errors: {
        types: writeErrorTypes,
        union: {
          name: `${capitalized(spec.name)}Result`,
          description: `What \`${spec.name}\` answers: its Success type, or the Error that says why nothing was written.`,
        },
        result: {
          name: `${capitalized(spec.name)}Success`,
          description: `\`${spec.name}\` was done: what it wrote, and the changes recorded.`,
          fields: (r) => ({
            changes: r.field({
              type: [ChangeRef],
              description: "The changes the mutation recorded (on an idempotent replay, those of the first call).",
              resolve: (output, _args, ctx) => {
                const batch = batchOfResult.get(output);
                return batch ? ctx.prisma.change.findMany({ where: { batch }, orderBy: { id: "asc" } }) : [];
              },
            }),
          }),
        },
        dataField: {
          name: spec.data.field,
          description: spec.data.description ?? `The ${spec.data.field} as it stands after the write.`,
        },
      },
      args: {
        ...spec.args(t.arg),
        idempotencyKey: t.arg.string({
          required: false,
          description:
            "Send the same key again (with the same token and input) to get the first result back instead of writing twice.",
        }),
      },
      resolve: async (_root, args, ctx) => {
        const { idempotencyKey, ...rest } = args as Record<string, unknown>;
        if (
          idempotencyKey != null &&
          (typeof idempotencyKey !== "string" || !idempotencyKey.trim() || idempotencyKey.length > 200)
        ) {
          throw ValidationError.at(["idempotencyKey"], "must be 1 to 200 characters");
        }
        const input = parseArgs(spec.input, rest);
        const viewer = await ctx.auth.viewer();
        if (viewer.status !== "token") throw ctx.auth.refusal(spec.scope, spec.name);
        const outcome = await runWrite({
          prisma: ctx.prisma,
          pubSub: ctx.pubSub,
          actor: { tokenId: viewer.token.id, name: viewer.token.name },
          operation: spec.name,
          idempotency: typeof idempotencyKey === "string" ? { key: idempotencyKey, input: rest } : null,
          write: (batch) => spec.write(batch, input),
        });
        const output = await spec.load(ctx, outcome.result, outcome.rowLeft);
        if (outcome.batch) batchOfResult.set(output, outcome.batch);
        return output;
      },
    }),
  );
}
