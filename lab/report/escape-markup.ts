const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for SVG or HTML, in content or in a quoted attribute alike: file names,
 * failure messages and log lines come from users and programs, not from us.
 * Control characters other than tab and newline are not allowed in XML 1.0 at all, so they become U+FFFD.
 */
export function escapeMarkup(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => ENTITIES[c])
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}
