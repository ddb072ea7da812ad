// CPU accounting from Linux /proc, so that a result can be judged on a shared, noisy machine: CPU
// time the server under test spent per request (steady where throughput is not), CPU time of the
// PostgreSQL backends serving the benchmark database, CPU time of the load generator, and how much of
// the machine everything else used meanwhile.
import { readdirSync, readFileSync } from "node:fs";

const TICK_MS = 10; // USER_HZ is 100 on Linux

export interface CpuSnapshot {
  at: number;
  /** Busy ticks of the whole machine (user, nice, system, irq, softirq). */
  machineBusy: number;
  /** Ticks stolen by the hypervisor. */
  steal: number;
  server: number;
  /** Ticks per PostgreSQL backend, keyed by pid and start time (a pid can be reused meanwhile). */
  postgres: Map<string, number>;
  /** This process (the load generator), in ms. */
  selfMs: number;
}

export interface CpuUsage {
  serverMs: number;
  postgresMs: number;
  loadGeneratorMs: number;
  /** Cores' worth of CPU that other processes (and the kernel's network work) used during the interval (noise). */
  otherCores: number;
  /** Cores' worth of CPU stolen by the hypervisor during the interval. */
  stealCores: number;
}

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(rest[11]) + Number(rest[12]); // utime, stime
  } catch {
    return 0;
  }
}

/**
 * CPU ticks per PostgreSQL backend connected to `database` (the process title, which PostgreSQL sets
 * to "postgres: <cluster>: <user> <database> <client> <state>", names it). Other databases' backends,
 * other sessions' tests among them, are left out; so are background processes (autovacuum, WAL).
 */
function postgresTicks(database: string): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (comm !== "postgres" && !comm.startsWith("postgres:")) continue;
      const title = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ");
      if (!title.split(" ").includes(database)) continue;
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks.set(`${entry}:${rest[19]}`, Number(rest[11]) + Number(rest[12])); // rest[19]: starttime
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks;
}

function machine(): { busy: number; steal: number } {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = readFileSync("/proc/stat", "utf8")
      .split("\n")[0]!
      .trim()
      .split(/\s+/)
      .map(Number);
    return { busy: user! + nice! + system! + irq! + softirq!, steal: steal! };
  } catch {
    return { busy: 0, steal: 0 };
  }
}

export function cpuSnapshot(serverPid: number, database: string): CpuSnapshot {
  const m = machine();
  const self = process.cpuUsage();
  return {
    at: Date.now(),
    machineBusy: m.busy,
    steal: m.steal,
    server: processTicks(serverPid),
    postgres: postgresTicks(database),
    selfMs: (self.user + self.system) / 1000,
  };
}

export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuUsage {
  const seconds = Math.max(0.001, (b.at - a.at) / 1000);
  const serverMs = (b.server - a.server) * TICK_MS;
  // A backend that started during the interval counts whole; one that ended is lost (pools keep theirs).
  let postgresTicksUsed = 0;
  for (const [backend, ticks] of b.postgres) postgresTicksUsed += ticks - (a.postgres.get(backend) ?? 0);
  const postgresMs = postgresTicksUsed * TICK_MS;
  const loadGeneratorMs = b.selfMs - a.selfMs;
  const busyMs = (b.machineBusy - a.machineBusy) * TICK_MS;
  return {
    serverMs,
    postgresMs,
    loadGeneratorMs,
    otherCores: Math.max(0, busyMs - serverMs - postgresMs - loadGeneratorMs) / 1000 / seconds,
    stealCores: ((b.steal - a.steal) * TICK_MS) / 1000 / seconds,
  };
}
