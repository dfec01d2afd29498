/** Number formatting shared by the requirement texts, so every reason reads the same way. */

/** `10.6 s`, `4 min`, `80 h`, `3 d 4 h`. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(ms)} ms`;
  if (abs < 120_000) return `${trim(ms / 1000, 1)} s`;
  if (abs < 120 * 60_000) return `${Math.round(ms / 60_000)} min`;
  if (abs < 96 * 3_600_000) {
    const hours = Math.floor(ms / 3_600_000);
    const minutes = Math.round((ms - hours * 3_600_000) / 60_000);
    return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.round((ms - days * 86_400_000) / 3_600_000);
  return hours ? `${days} d ${hours} h` : `${days} d`;
}

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
