// One status line while the benchmark runs: which step, which system and query, time left. Rewritten
// in place on a terminal; on a pipe (CI logs) a line every few seconds.
export interface Progress {
  /** A step that is not timed load (starting servers, verifying). */
  step(text: string): void;
  /** Timed load: cell `index` of `count`, `elapsed` of `planned` seconds into it, `left` seconds in all. */
  load(label: string, index: number, count: number, elapsed: number, planned: number, left: number): void;
  /** A line that stays (results, warnings). */
  log(text: string): void;
  done(): void;
}

const clock = (seconds: number) => {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
};

export function startProgress(): Progress {
  const tty = Boolean(process.stderr.isTTY);
  const started = Date.now();
  let current = "";
  let lastPrinted = 0;
  const write = (line: string, force = false) => {
    current = line;
    if (tty) {
      process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns ?? 120) - 1)}`);
    } else if (force || Date.now() - lastPrinted > 5000) {
      lastPrinted = Date.now();
      process.stderr.write(`${line}\n`);
    }
  };
  const since = () => clock((Date.now() - started) / 1000);
  return {
    step: (text) => write(`[${since()}] ${text}`, true),
    load(label, index, count, elapsed, planned, left) {
      const phase = elapsed < 0 ? "" : ` ${Math.min(elapsed, planned).toFixed(0)}/${planned}s`;
      write(`[${since()}] timing ${index}/${count} ${label}${phase} · about ${clock(left)} left`, elapsed < 0.3);
    },
    log(text) {
      if (tty) process.stderr.write(`\r\x1b[2K${text}\n${current}`);
      else process.stderr.write(`${text}\n`);
    },
    done() {
      if (tty) process.stderr.write("\r\x1b[2K");
    },
  };
}
