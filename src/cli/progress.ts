// Progress for long CLI work: a bar on a terminal, a line every few seconds when piped (CI logs).
import cliProgress from "cli-progress";

export interface Progress {
  tick(by?: number): void;
  setTotal(total: number): void;
  stop(): void;
}

export function startProgress(label: string, total: number): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label.padEnd(14)} [{bar}] {percentage}% {value}/{total} {eta_formatted} left`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { tick: (by = 1) => bar.increment(by), setTotal: (t) => bar.setTotal(t), stop: () => bar.stop() };
  }
  let done = 0;
  let last = Date.now();
  return {
    tick(by = 1) {
      done += by;
      if (Date.now() - last > 2000) {
        last = Date.now();
        console.error(`${label}: ${done}/${total}`);
      }
    },
    setTotal: (t) => void (total = t),
    stop: () => console.error(`${label}: ${done}/${total} done`),
  };
}

/** Several bars at once (steps running side by side), each added when its step starts. */
export function startProgresses(): { add(label: string, total: number): Progress; stop(): void } {
  if (process.stderr.isTTY) {
    const bars = new cliProgress.MultiBar(
      {
        format: "{label} [{bar}] {percentage}% {value}/{total} {eta_formatted} left",
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    return {
      add(label, total) {
        const bar = bars.create(total, 0, { label: label.padEnd(14) });
        return { tick: (by = 1) => bar.increment(by), setTotal: (t) => bar.setTotal(t), stop: () => bar.stop() };
      },
      stop: () => bars.stop(),
    };
  }
  // Piped: each step's lines carry its label, so steps side by side stay readable.
  return { add: startProgress, stop: () => undefined };
}
