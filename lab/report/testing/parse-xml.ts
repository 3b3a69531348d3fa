import { execFileSync } from 'node:child_process';

export interface XmlElement {
  tag: string;
  attrs: Record<string, string>;
  /** All text inside, for <title> and <text> elements only. */
  text: string | null;
}

// A real XML parser, not a pattern: a chart that is not well-formed must fail here as it would in a browser.
const SCRIPT = `
import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
out = []
for el in root.iter():
    tag = el.tag.split('}')[-1]
    out.append({'tag': tag, 'attrs': el.attrib, 'text': ''.join(el.itertext()) if tag in ('title', 'text') else None})
print(json.dumps(out))
`;

/** Test support: parses XML with python3's xml.etree and returns every element in document order; throws when malformed. */
export function parseXml(text: string): XmlElement[] {
  return JSON.parse(
    execFileSync('python3', ['-c', SCRIPT], { input: text, maxBuffer: 256 * 1024 * 1024 }).toString(),
  ) as XmlElement[];
}

export function withClass(elements: XmlElement[], cls: string): XmlElement[] {
  return elements.filter((e) => (e.attrs.class ?? '').split(/\s+/).includes(cls));
}
