// Progress per step (a table, reading the files) that only appears once the step has run for more
// than a second: small imports and exports stay quiet, large ones show a bar on stderr.
import { startProgress, type Progress } from "./progress.js";

export function tableProgress(delayMs = 1000) {
  let current: { step: string; started: number; bar: Progress | null; done: number } | null = null;
  const stop = () => {
    current?.bar?.stop();
    current = null;
  };
  return {
    update(step: string, done: number, total: number) {
      if (current?.step !== step) {
        stop();
        current = { step, started: Date.now(), bar: null, done: 0 };
      }
      if (!current.bar && total > 0 && done < total && Date.now() - current.started > delayMs) {
        current.bar = startProgress(step, total);
        current.done = 0;
      }
      if (current.bar) {
        current.bar.setTotal(total);
        current.bar.tick(done - current.done);
      }
      current.done = done;
    },
    stop,
  };
}
