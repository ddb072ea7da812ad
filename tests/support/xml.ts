// A small XML well-formedness check (no XML parser among the dependencies): one root, tags that
// nest and close, quoted attributes, no raw "<" or stray "&" in text, only XML 1.0 characters.
export interface XmlSummary {
  root: string;
  elements: Map<string, number>;
  /** Attributes of every element named in `collect`, in document order. */
  attributes: Map<string, Record<string, string>[]>;
}

const entity = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
const name = "[A-Za-z_:][-A-Za-z0-9_.:]*";
const attributePattern = new RegExp(`\\s+(${name})\\s*=\\s*("([^"<]*)"|'([^'<]*)')`, "y");

function checkText(text: string, at: number): void {
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text))
    throw new Error(`control character in text near offset ${at}`);
  for (let i = text.indexOf("&"); i >= 0; i = text.indexOf("&", i + 1)) {
    if (!entity.test(text.slice(i, i + 12))) throw new Error(`stray "&" near offset ${at + i}`);
  }
}

const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

export function checkWellFormed(xml: string, collect: string[] = []): XmlSummary {
  const elements = new Map<string, number>();
  const attributes = new Map<string, Record<string, string>[]>(collect.map((c) => [c, []]));
  const stack: string[] = [];
  let root = "";
  let i = 0;
  if (xml.startsWith("<?xml")) i = xml.indexOf("?>") + 2;
  while (i < xml.length) {
    const open = xml.indexOf("<", i);
    const text = xml.slice(i, open < 0 ? xml.length : open);
    if (text.includes(">")) throw new Error(`raw ">" outside a tag near offset ${i}`);
    checkText(text, i);
    if (!stack.length && text.trim()) throw new Error(`text outside the root element near offset ${i}`);
    if (open < 0) break;
    const close = xml.indexOf(">", open);
    if (close < 0) throw new Error(`unclosed tag at offset ${open}`);
    const tag = xml.slice(open + 1, close);
    if (tag.startsWith("/")) {
      const tagName = tag.slice(1).trim();
      if (stack.pop() !== tagName) throw new Error(`</${tagName}> does not close the open element at offset ${open}`);
    } else {
      const selfClosing = tag.endsWith("/");
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const match = new RegExp(`^(${name})`).exec(body);
      if (!match) throw new Error(`bad tag name at offset ${open}`);
      const tagName = match[1]!;
      const attrs: Record<string, string> = {};
      let at = tagName.length;
      for (;;) {
        if (!body.slice(at).trim()) break;
        attributePattern.lastIndex = at;
        const m = attributePattern.exec(body);
        if (!m) throw new Error(`malformed attributes in <${tagName}> at offset ${open}`);
        const value = m[3] ?? m[4] ?? "";
        checkText(value, open);
        if (m[1]! in attrs) throw new Error(`attribute ${m[1]} twice at offset ${open}`);
        attrs[m[1]!] = unescapeXml(value);
        at = attributePattern.lastIndex;
      }
      if (!stack.length) {
        if (root) throw new Error(`second root element <${tagName}>`);
        root = tagName;
      }
      elements.set(tagName, (elements.get(tagName) ?? 0) + 1);
      attributes.get(tagName)?.push(attrs);
      if (!selfClosing) stack.push(tagName);
    }
    i = close + 1;
  }
  if (stack.length) throw new Error(`unclosed elements: ${stack.join(" > ")}`);
  if (!root) throw new Error("no root element");
  return { root, elements, attributes };
}
