// Change events for subscriptions. One process: Yoga's in-memory pub/sub. Several processes behind
// one database: Redis pub/sub (REDIS_URL), so a subscriber on any instance hears every mutation.
// While Redis is away, an event still reaches the subscribers of the instance that made it.
import { setMaxListeners } from "node:events";
import { createPubSub, type PubSub, type PubSubEventTarget } from "graphql-yoga";
import type { SharedRedis } from "../db/redis.js";
import type { Change } from "../generated/prisma/client.js";
import type { ChangeAction, EntityKind } from "../generated/prisma/enums.js";
import { throttledWarning } from "../log.js";

/** The recorded change as it travels: its row, with the time as ISO text (JSON has no dates). */
export type ChangeRecord = Omit<Change, "at"> & { at: string };

/**
 * What travels: enough to filter on, and the recorded change itself. A change is never rewritten
 * once committed, so every subscriber answers from the event instead of reading the row again:
 * one read per subscriber and event was what stopped fan-out at a few hundred subscriptions (the
 * pool ran dry; bench/live.ts). JSON, for Redis.
 */
export interface ChangeEvent {
  changeId: number;
  action: ChangeAction;
  targetType: string;
  targetKey: string;
  entityKeys: string[];
  kinds: EntityKind[];
  /** Absent from the events of an instance of an earlier version (during a rolling deploy). */
  change?: ChangeRecord;
}

export type GraphTopics = {
  "graph:changed": [event: ChangeEvent];
  "entity:changed": [entityKey: string, event: ChangeEvent];
  "relationships:changed": [entityKey: string, event: ChangeEvent];
};

export type GraphPubSub = PubSub<GraphTopics>;

/** The pub/sub of change events: in this process, or across instances through Redis. */
export function createGraphEvents(redis?: SharedRedis | null): GraphPubSub {
  return createPubSub<GraphTopics>({ eventTarget: redis ? redisEventTarget(redis) : localEventTarget() });
}

/**
 * Node's EventTarget, without its leak warning: a topic with more than 10 listeners is what a
 * popular entity or an unfiltered graphChanged has at fan-out, not a leak.
 */
function localEventTarget(): PubSubEventTarget<GraphTopics> {
  const target = new EventTarget();
  setMaxListeners(0, target);
  return target as unknown as PubSubEventTarget<GraphTopics>;
}

type Listener = (event: CustomEvent) => void;
const warn = throttledWarning();

/**
 * Events published to Redis channels (the prefix keeps deployments apart) and heard from them.
 * An event goes to Redis when the command connection is up; it is also handed to this instance's
 * own listeners directly when the subscriber connection is down (it would not hear itself) or the
 * publish fails, so local subscribers hear every local change, exactly once.
 */
function redisEventTarget(redis: SharedRedis): PubSubEventTarget<GraphTopics> {
  const listeners = new Map<string, Set<Listener>>();
  // One event object for all of a channel's listeners: they only read its detail, and thousands
  // of subscriptions on one channel would otherwise cost an allocation each per event.
  const deliver = (channel: string, detail: unknown) => {
    const set = listeners.get(channel);
    if (!set) return;
    const event = new CustomEvent(channel, { detail });
    for (const listener of set) listener(event);
  };
  redis.subscriber.on("message", (channel: string, message: string) => {
    if (!listeners.has(channel)) return;
    try {
      deliver(channel, message === "" ? null : JSON.parse(message));
    } catch {
      warn("events:parse", "A change event on Redis was not JSON; ignored", { channel });
    }
  });
  const channelOf = (type: string) => redis.prefix + type;
  const target = {
    addEventListener(type: string, callback: Listener | { handleEvent: Listener } | null) {
      if (!callback) return;
      const channel = channelOf(type);
      let set = listeners.get(channel);
      if (!set) {
        listeners.set(channel, (set = new Set()));
        // Waits for Redis if it is away; ioredis renews every subscription when it reconnects.
        redis.subscriber.subscribe(channel).catch(() => undefined);
      }
      set.add("handleEvent" in callback ? callback.handleEvent : callback);
    },
    removeEventListener(type: string, callback: Listener | { handleEvent: Listener } | null) {
      if (!callback) return;
      const channel = channelOf(type);
      const set = listeners.get(channel);
      if (!set) return;
      set.delete("handleEvent" in callback ? callback.handleEvent : callback);
      if (set.size) return;
      listeners.delete(channel);
      redis.subscriber.unsubscribe(channel).catch(() => undefined);
    },
    dispatchEvent(event: CustomEvent) {
      const channel = channelOf(event.type);
      const hearsItself = redis.subscriber.status === "ready";
      if (redis.commands.status !== "ready") {
        deliver(channel, event.detail);
        return true;
      }
      redis.commands.publish(channel, JSON.stringify(event.detail ?? null)).then(
        () => {
          if (!hearsItself) deliver(channel, event.detail);
        },
        () => deliver(channel, event.detail),
      );
      return true;
    },
  };
  return target as unknown as PubSubEventTarget<GraphTopics>;
}
