// Change events for subscriptions. One process: Yoga's in-memory pub/sub. Several processes behind
// one database: Redis pub/sub (REDIS_URL), so a subscriber on any instance hears every mutation.
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { createPubSub, type PubSub, type PubSubEventTarget } from "graphql-yoga";
import { Redis } from "ioredis";
import type { ChangeAction, EntityKind } from "../generated/prisma/enums.js";

/** What travels: enough to filter on, and the id to read the change by. JSON, for Redis. */
export interface ChangeEvent {
  changeId: number;
  action: ChangeAction;
  targetType: string;
  targetKey: string;
  entityKeys: string[];
  kinds: EntityKind[];
}

export type GraphTopics = {
  "graph:changed": [event: ChangeEvent];
  "entity:changed": [entityKey: string, event: ChangeEvent];
  "relationships:changed": [entityKey: string, event: ChangeEvent];
};

export type GraphPubSub = PubSub<GraphTopics>;

export interface GraphEvents {
  pubSub: GraphPubSub;
  close(): Promise<void>;
}

export interface PubSubOptions {
  redisUrl?: string;
  /** Prepended to every Redis channel, so deployments (or test runs) sharing a Redis stay apart. */
  channelPrefix?: string;
}

export function createGraphEvents(options: PubSubOptions = {}): GraphEvents {
  if (!options.redisUrl) return { pubSub: createPubSub<GraphTopics>(), close: async () => {} };
  // A Redis connection in subscriber mode can do nothing else, hence two.
  const publishClient = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  // No ready check (INFO) and no CLIENT SETINFO on the subscriber: ioredis sends SUBSCRIBE as soon as
  // the socket connects, and a subscription made in that moment (a client arriving just after a
  // start) put the connection in subscriber mode, failed the INFO that followed, and the reconnect
  // forgot the channel: that subscriber then heard nothing, ever.
  const subscribeClient = new Redis(options.redisUrl, { lazyConnect: false, enableReadyCheck: false, disableClientInfo: true });
  const target = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient });
  const prefix = options.channelPrefix ?? "graph:";
  return {
    pubSub: createPubSub<GraphTopics>({ eventTarget: withChannelPrefix(target, prefix) }),
    async close() {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}

type AnyEventTarget = ReturnType<typeof createRedisEventTarget<CustomEvent>>;

function withChannelPrefix(target: AnyEventTarget, prefix: string): PubSubEventTarget<GraphTopics> {
  const prefixed: Pick<AnyEventTarget, "addEventListener" | "removeEventListener" | "dispatchEvent"> = {
    addEventListener: (type, callback) => target.addEventListener(prefix + type, callback),
    removeEventListener: (type, callback) => target.removeEventListener(prefix + type, callback),
    dispatchEvent: (event) => target.dispatchEvent(new CustomEvent(prefix + event.type, { detail: event.detail })),
  };
  return prefixed as unknown as PubSubEventTarget<GraphTopics>;
}
