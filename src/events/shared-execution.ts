// One execution of an event per question, not per subscriber. A subscription runs its selection
// once per event it hears; at fan-out thousands of subscribers ask the same thing (a page's
// document, the same entity, no token), and executing it for each was half of what a delivery cost
// before its transport (docs/performance.md, "Live events at fan-out"). Subscribers of one instance that
// hear the same event object with the same document, operation, variables and Authorization share
// one execution of it: the first to get there runs it, with its own context; the others are handed
// its result.
//
// What an execution answers depends on the event (the root value), the document, the operation,
// the variables and the viewer (a field may be guarded by a token's scope), and on the database at
// that moment, which every subscriber of the event reads at about the same time anyway. Anything
// else differing between two subscribers keeps them apart: an answer is never shared across them.
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  createSourceEventStream,
  execute,
  print,
} from "graphql";
import type { Plugin } from "graphql-yoga";

type Answer = ExecutionResult | Promise<ExecutionResult>;

/** The text of each document, printed once: documents from the parser's cache are the same object. */
const printed = new WeakMap<DocumentNode, string>();

function documentText(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) printed.set(document, (text = print(document)));
  return text;
}

/** What makes two subscribers' answers to one event the same; null when it cannot be told. */
function questionOf(args: ExecutionArgs): string | null {
  let variables: string;
  try {
    variables = JSON.stringify(args.variableValues ?? {});
  } catch {
    return null;
  }
  // The request's Authorization header (src/context.ts), as sent.
  const viewer =
    (args.contextValue as { auth?: { authorization?: string | null } } | undefined)?.auth?.authorization ?? "";
  return JSON.stringify([documentText(args.document), args.operationName ?? null, variables, viewer]);
}

/**
 * The answers given to each event, by question. Keyed by the event object, which every listener of
 * a channel in this instance receives (src/events/pubsub.ts): once the event is delivered to all of
 * them and dropped, its answers go with it.
 */
const answers = new WeakMap<object, Map<string, Answer>>();

function answer(args: ExecutionArgs, question: string | null, payload: unknown): Answer {
  const run = () => execute({ ...args, rootValue: payload }) as Answer;
  if (question === null || typeof payload !== "object" || payload === null) return run();
  let byQuestion = answers.get(payload);
  if (!byQuestion) answers.set(payload, (byQuestion = new Map()));
  let shared = byQuestion.get(question);
  if (!shared) byQuestion.set(question, (shared = run()));
  return shared;
}

/** Each subscriber gets its own result object (plugins after this one may add to it); the data is shared. */
function own(result: ExecutionResult): ExecutionResult {
  return { ...result };
}

/**
 * `source` with `map` applied to each value. Unlike an async generator, `return()` reaches the
 * source at once, even while it waits for an event: a subscription closed while idle unsubscribes
 * now, not after its next event.
 */
function mapEvents<T, U>(source: AsyncIterable<T>, map: (value: T) => U | Promise<U>): AsyncGenerator<U, void, void> {
  const iterator = source[Symbol.asyncIterator]();
  const close = async () => {
    await iterator.return?.();
    return { value: undefined, done: true } as const;
  };
  const mapped = async (result: IteratorResult<T>): Promise<IteratorResult<U, void>> => {
    if (result.done) return { value: undefined, done: true };
    try {
      return { value: await map(result.value), done: false };
    } catch (error) {
      await iterator.return?.().catch(() => undefined);
      throw error;
    }
  };
  const generator: AsyncGenerator<U, void, void> = {
    next: () => iterator.next().then(mapped),
    return: close,
    throw: async (error: unknown) => {
      if (iterator.throw) return iterator.throw(error).then(mapped);
      await close();
      throw error;
    },
    [Symbol.asyncIterator]: () => generator,
  };
  return generator;
}

/** A subscription: its event stream as graphql-js sets it up, each event's answer shared. */
async function subscribeShared(args: ExecutionArgs) {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const question = questionOf(args);
  return mapEvents(stream, async (payload) => own(await answer(args, question, payload)));
}

/** Subscriptions answer each event once per question in this instance (see above). */
export function useSharedSubscriptionExecution(): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(subscribeShared as never);
    },
  };
}
