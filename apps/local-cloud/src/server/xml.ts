/** Escapes text for an XML element body. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Serializes a plain value the way the AWS Query protocol shapes it: objects become elements,
 * arrays become `<member>` lists, dates ISO-8601, booleans `true`/`false`; undefined is left out.
 */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item) => `<member>${toXml(item)}</member>`).join('');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    let out = '';
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (child === undefined || child === null) continue;
      out += `<${key}>${toXml(child)}</${key}>`;
    }
    return out;
  }
  return escapeXml(String(value));
}
