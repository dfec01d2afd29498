/**
 * ISO 8601 timestamps exactly as `Date#toISOString` writes them (`2024-05-06T07:08:09.123Z`), made and read
 * with integer arithmetic and lookup tables: both Date methods were among the slowest per-value steps of
 * generation, and a row with a derived timestamp needs a parse and a format.
 */

const DAY_MS = 86_400_000;
const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
/** Date prefixes (`2024-05-06T`) by day number; bounded, cleared when full. */
const prefixes = new Map<number, string>();
const MAX_PREFIXES = 8192;

/** Days since 1970-01-01 -> [year, month (1-12), day] (H. Hinnant's civil_from_days). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** [year, month (1-12), day] -> days since 1970-01-01 (days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function prefixOf(days: number): string {
  let prefix = prefixes.get(days);
  if (prefix === undefined) {
    const [y, m, d] = civilFromDays(days);
    prefix = `${String(y).padStart(4, '0')}-${TWO[m]}-${TWO[d]}T`;
    if (prefixes.size >= MAX_PREFIXES) prefixes.clear();
    prefixes.set(days, prefix);
  }
  return prefix;
}

/** Epoch milliseconds -> the same text as `new Date(ms).toISOString()`. */
export function formatIso(ms: number): string {
  // Years 0000-9999 only, as toISOString writes them without a sign.
  if (!(ms >= -62_167_219_200_000 && ms < 253_402_300_800_000) || !Number.isInteger(ms))
    return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${prefixOf(days)}${TWO[hours]}:${TWO[minutes]}:${TWO[seconds]}.${THREE[rest - seconds * 1000]}Z`;
}

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;
const digits = (s: string, at: number, n: number): number => {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = digit(s, at + i);
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
};

/** ISO text -> epoch milliseconds; the canonical `…T…Z` form by arithmetic, anything else by Date.parse. */
export function parseIso(text: string): number {
  if (text.length !== 24 || text.charCodeAt(23) !== 90 /* Z */ || text.charCodeAt(10) !== 84 /* T */)
    return Date.parse(text);
  const ms =
    daysFromCivil(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2)) * DAY_MS +
    digits(text, 11, 2) * 3_600_000 +
    digits(text, 14, 2) * 60_000 +
    digits(text, 17, 2) * 1000 +
    digits(text, 20, 3);
  return Number.isNaN(ms) ? Date.parse(text) : ms;
}
