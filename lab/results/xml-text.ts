// Terminal colour codes and other control characters are not allowed in XML 1.0 at all, not even escaped.
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Character data for XML: colour codes dropped, characters XML forbids replaced by U+FFFD, markup escaped. */
export function xmlText(s: string): string {
  return s
    .replace(ANSI, '')
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** An attribute value for a double- or single-quoted attribute; line breaks kept as references. */
export function xmlAttribute(s: string): string {
  // Newlines in attributes are normalised to spaces by XML parsers unless written as references.
  return xmlText(s)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
