// The PGlite folder lock: one process at a time, a clear refusal naming the owner, and a lock left by
// a process that died taken over.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lockDataDir } from "../../src/db/data-dir-lock.js";
import { DataDirLockedError } from "../../src/errors.js";

const freshDir = () => mkdtempSync(join(tmpdir(), "graph-lock-"));

describe("lockDataDir", () => {
  it("takes the lock, refuses a second taker while held, and releases it", () => {
    const dir = freshDir();
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, "graph.lock"), "utf8")).toBe(String(process.pid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(`is in use by process ${process.pid}`);
    release();
    expect(existsSync(join(dir, "graph.lock"))).toBe(false);
    lockDataDir(dir)();
  });

  it("refuses a folder held by another live process", async () => {
    const dir = freshDir();
    const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      writeFileSync(join(dir, "graph.lock"), String(other.pid));
      expect(() => lockDataDir(dir)).toThrow(`in use by process ${other.pid}`);
    } finally {
      other.kill();
    }
  });

  it("takes over a lock whose process is gone", async () => {
    const dir = freshDir();
    const gone = spawn(process.execPath, ["-e", ""]);
    await new Promise((resolve) => gone.once("exit", resolve));
    writeFileSync(join(dir, "graph.lock"), String(gone.pid));
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, "graph.lock"), "utf8")).toBe(String(process.pid));
    release();
  });
});
