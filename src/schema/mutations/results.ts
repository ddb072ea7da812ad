// What delete mutations return: the record is gone, so its id and key.
import { builder } from "../builder.js";

export interface DeletedRecord {
  type: string;
  id: string | null;
  key: string;
}

export const DeletedRecordRef = builder.objectRef<DeletedRecord>("DeletedRecord").implement({
  description: "A record a mutation deleted.",
  fields: (t) => ({
    type: t.exposeString("type", { description: "Entity, Alias, Relationship, Observation, RankingEntry or Source." }),
    id: t.exposeID("id", { nullable: true, description: "The global id it had (null for an alias, which has none)." }),
    key: t.exposeString("key", { description: "The key the record had." }),
  }),
});
