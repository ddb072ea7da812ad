// The process's Redis connections (REDIS_URL): one for commands (response cache, persisted-query
// registrations, rate limits, publishing change events) and one in subscriber mode (hearing them).
// Redis is an accelerator here, never a dependency: while it is away, commands fail at once instead
// of queueing (every caller has a local fallback), the connections keep retrying in the background,
// and listeners hear when it is back so they can resynchronise what they may have missed.
import { Redis } from "ioredis";
import { log, throttledWarning } from "../log.js";

export interface SharedRedis {
  /** Fails a command at once while Redis is away (no offline queue); at most one retry. */
  commands: Redis;
  /** Subscriber mode; its SUBSCRIBEs wait for Redis and are renewed on every reconnect. */
  subscriber: Redis;
  /** Prepended to every channel and key, so deployments sharing a Redis stay apart. */
  prefix: string;
  /** Both connections are ready now. */
  isUp(): boolean;
  /** `listener` is called each time Redis is back after an outage (not at the first connection). */
  onRestored(listener: () => void): () => void;
  /** Waits until both connections are ready, or `timeoutMs`; whether they are. */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

const warn = throttledWarning();
// Reconnect quickly, then every 2 s, forever: Redis coming back must be noticed without a restart.
const retryStrategy = (attempt: number) => Math.min(attempt * 200, 2_000);

/** QUIT when connected (it would wait in the subscriber's queue forever otherwise), then drop the socket. */
async function end(client: Redis): Promise<void> {
  if (client.status === "ready") {
    await Promise.race([client.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 500))]);
  }
  client.disconnect();
}

export function connectRedis(url: string, prefix = "graph:"): SharedRedis {
  const commands = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_000,
    retryStrategy,
  });
  // No ready check (INFO) and no CLIENT SETINFO on the subscriber: ioredis sends SUBSCRIBE as soon as
  // the socket connects, and a subscription made in that moment (a client arriving just after a
  // start) put the connection in subscriber mode, failed the INFO that followed, and the reconnect
  // forgot the channel: that subscriber then heard nothing, ever.
  const subscriber = new Redis(url, {
    enableReadyCheck: false,
    disableClientInfo: true,
    maxRetriesPerRequest: null,
    retryStrategy,
  });
  const listeners = new Set<() => void>();
  let closing = false;
  const wasDown = { commands: false, subscriber: false };
  for (const [role, client] of [
    ["commands", commands],
    ["subscriber", subscriber],
  ] as const) {
    client.on("error", (error: Error) => {
      if (!closing)
        warn(
          `redis:${role}`,
          "Redis is unreachable; serving without it (no shared cache, events in this process only) until it is back",
          { error: error.message },
        );
    });
    client.on("close", () => {
      if (!closing) wasDown[role] = true;
    });
    client.on("ready", () => {
      if (!wasDown[role]) return;
      wasDown[role] = false;
      if (isUp()) {
        log.info("Redis is back: shared cache and change events across instances resume");
        for (const listener of listeners) listener();
      }
    });
  }
  const isUp = () => commands.status === "ready" && subscriber.status === "ready";
  return {
    commands,
    subscriber,
    prefix,
    isUp,
    onRestored(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async ready(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!isUp() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      return isUp();
    },
    async close() {
      closing = true;
      await Promise.all([commands, subscriber].map(end));
    },
  };
}
