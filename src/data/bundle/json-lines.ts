// JSON.parse says nothing about where a value stood. To report a bad row of a JSON bundle as
// file:line, this walks the (already valid) text once and notes the line on which each element of
// the top-level array starts, or each element of the arrays under the top-level object's keys.

export interface ElementLines {
  /** Lines of the top-level array's elements, when the document is an array. */
  top: number[];
  /** Lines of the elements of each array-valued key of the top-level object. */
  byKey: Map<string, number[]>;
}

export function elementLines(text: string): ElementLines {
  const top: number[] = [];
  const byKey = new Map<string, number[]>();
  const stack: number[] = []; // char codes of "[" and "{"
  let line = 1;
  let inString = false;
  let escaped = false;
  let keyStart = -1;
  let keyExpected = false;
  let currentKey = "";
  let elementPending = false;

  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) {
        inString = false;
        if (keyStart >= 0) {
          currentKey = JSON.parse(text.slice(keyStart, i + 1)) as string;
          keyStart = -1;
        }
      }
      continue;
    }
    if (c === 0x0a) {
      line++;
      continue;
    }
    if (c === 0x20 || c === 0x09 || c === 0x0d) continue;
    if (elementPending) {
      elementPending = false;
      if (c !== 0x5d) {
        if (stack.length === 1 && stack[0] === 0x5b) top.push(line);
        else if (stack.length === 2 && stack[0] === 0x7b) byKey.get(currentKey)?.push(line);
      }
    }
    switch (c) {
      case 0x22:
        inString = true;
        if (stack.length === 1 && stack[0] === 0x7b && keyExpected) keyStart = i;
        break;
      case 0x5b:
        stack.push(c);
        elementPending = true;
        if (stack.length === 2 && stack[0] === 0x7b) byKey.set(currentKey, []);
        break;
      case 0x7b:
        stack.push(c);
        if (stack.length === 1) keyExpected = true;
        break;
      case 0x5d:
      case 0x7d:
        stack.pop();
        break;
      case 0x2c:
        if (stack[stack.length - 1] === 0x5b) elementPending = true;
        else if (stack.length === 1) keyExpected = true;
        break;
      case 0x3a:
        if (stack.length === 1) keyExpected = false;
        break;
    }
  }
  return { top, byKey };
}

/** The line of a character offset (JSON.parse reports positions). */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
