// Reads a text file line by line as a stream: a line longer than the cap is reported and skipped
// without ever being held in memory whole, and every line must be UTF-8 (decoded with a fatal
// TextDecoder, so a Latin-1 or GBK file is named as such instead of turning into U+FFFD).
import { createReadStream } from "node:fs";

export const defaultMaxLineBytes = 1024 * 1024;

export type Line =
  | { line: number; text: string }
  /** `fatal`: the rest of the file is not worth reading (it is UTF-16, not UTF-8). */
  | { line: number; problem: string; fatal?: boolean };

export interface LineOptions {
  maxLineBytes?: number;
  /** Called with the byte count of every chunk read, for progress. */
  onBytes?: (bytes: number) => void;
}

/** The offset of the first byte that breaks UTF-8, or -1. Only called once decoding has failed, to say where. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need =
      b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong forms, surrogates and code points past U+10FFFF.
    const c1 = bytes[i + 1] ?? 0;
    if (
      (b === 0xe0 && c1 < 0xa0) ||
      (b === 0xed && c1 > 0x9f) ||
      (b === 0xf0 && c1 < 0x90) ||
      (b === 0xf4 && c1 > 0x8f)
    )
      return i;
    i += need + 1;
  }
  return -1;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** The line as text, or why it is not UTF-8 text. */
export function decodeLine(bytes: Uint8Array): { text: string } | { problem: string } {
  try {
    const text = decoder.decode(bytes);
    if (text.includes("\u0000"))
      return { problem: "contains NUL bytes: not UTF-8 text (UTF-16?); save the file as UTF-8" };
    return { text };
  } catch {
    const at = firstInvalidUtf8(bytes);
    const byte = at >= 0 ? bytes[at]! : 0;
    return {
      problem: `not valid UTF-8 (byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")} at column ${at + 1}); save the file as UTF-8`,
    };
  }
}

function looksUtf16(first: Uint8Array): boolean {
  return (first[0] === 0xff && first[1] === 0xfe) || (first[0] === 0xfe && first[1] === 0xff);
}

export async function* readLines(path: string, options: LineOptions = {}): AsyncGenerator<Line> {
  const max = options.maxLineBytes ?? defaultMaxLineBytes;
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  let line = 1;
  let first = true;

  const finish = (): Line => {
    const at = line++;
    if (tooLong) {
      tooLong = false;
      const seen = length;
      parts = [];
      length = 0;
      return {
        line: at,
        problem: `line too long (${formatBytes(seen)}; at most ${formatBytes(max)} per line): skipped`,
      };
    }
    let bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
    parts = [];
    length = 0;
    if (bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    if (at === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    const decoded = decodeLine(bytes);
    return "text" in decoded ? { line: at, text: decoded.text } : { line: at, problem: decoded.problem };
  };

  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      options.onBytes?.(chunk.length);
      if (first) {
        first = false;
        if (looksUtf16(chunk)) {
          yield {
            line: 1,
            problem: "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8",
            fatal: true,
          };
          return;
        }
      }
      let start = 0;
      while (start < chunk.length) {
        const newline = chunk.indexOf(0x0a, start);
        const end = newline < 0 ? chunk.length : newline;
        if (tooLong) length += end - start;
        else {
          parts.push(chunk.subarray(start, end));
          length += end - start;
          // Past the cap the line is only counted, never kept: a 50 MB line costs 1 MB of memory.
          if (length > max) {
            tooLong = true;
            parts = [];
          }
        }
        if (newline < 0) break;
        yield finish();
        start = newline + 1;
      }
    }
    if (length > 0 || tooLong) yield finish();
  } finally {
    stream.destroy();
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(bytes >= 10 * 1024 * 1024 ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
