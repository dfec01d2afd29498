/** Number formatting shared by the requirement texts, so every reason reads the same way. */

/** `412 ms`, `11.5 ms`, `0.3 ms`. */
export function formatMs(ms: number): string {
  return `${ms >= 100 ? Math.round(ms) : trim(ms, 1)} ms`;
}

/** `4.21%` */
export function formatRate(rate: number): string {
  return `${trim(rate * 100, 2)}%`;
}

/** `1,234` */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `sha256:1a2b3c4d5e6f…` */
export function shortDigest(digest: string): string {
  return digest.length > 19 ? `${digest.slice(0, 19)}…` : digest;
}

/** `1 failure`, `3 failures`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${formatCount(n)} ${n === 1 ? word : many}`;
}

function trim(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}
