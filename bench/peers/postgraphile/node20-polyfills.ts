// PostGraphile 5.1 (grafast, @dataplan/pg) declares Node.js >= 22 and uses one API that Node 20 lacks:
// Promise.withResolvers (Node 22). This is its spec behaviour; imported before PostGraphile.
interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}
const PromiseWith = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };
PromiseWith.withResolvers ??= function withResolvers<T>(): Resolvers<T> {
  let resolve!: Resolvers<T>["resolve"];
  let reject!: Resolvers<T>["reject"];
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
};
export {};
