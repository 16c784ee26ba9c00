// A small XML reader for the JUnit tests: elements, attributes, text, the five entities and
// numeric references; throws on anything not well-formed that these files could get wrong.
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(text)) throw new Error(`a bare & in ${JSON.stringify(text)}`);
  if (text.includes('<')) throw new Error(`a bare < in ${JSON.stringify(text)}`);
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : entities[e]!,
  );
}

export function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const top: XmlElement = { name: '', attrs: {}, children: [], text: '' };
  const stack = [top];
  const tag = /<(\/?)([\w:-]+)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g;
  let at = 0;
  for (const m of body.matchAll(tag)) {
    const current = stack.at(-1)!;
    current.text += decode(body.slice(at, m.index));
    at = m.index + m[0].length;
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      if (stack.pop()!.name !== name) throw new Error(`</${name}> closes another element`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText!.matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]!] = decode(a[2]!);
    const element: XmlElement = { name: name!, attrs, children: [], text: '' };
    current.children.push(element);
    if (!selfClose) stack.push(element);
  }
  if (stack.length !== 1 || body.slice(at).trim() !== '' || top.children.length !== 1) throw new Error('not one well-formed root element');
  return top.children[0]!;
}
