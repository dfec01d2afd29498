import { normaliseLocal } from '@shipgate/model';
import type { FreezeWindow, Weekday } from '@shipgate/model';

/** A moment as a wall clock in some time zone shows it. */
export interface LocalWallTime {
  /** `YYYY-MM-DD` */
  date: string;
  /** `HH:MM:SS`, 00..23 hours */
  time: string;
  weekday: Weekday;
  timeZone: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** What a wall clock in `timeZone` reads at `at` (via Intl, so DST and historical offsets are exact). */
export function localWallTime(at: Date, timeZone: string): LocalWallTime {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(at)) parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
    weekday: (parts.weekday ?? '').toLowerCase().slice(0, 3) as Weekday,
    timeZone,
  };
}

const order: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** True when `at` falls inside the window, read in the window's own time zone. */
export function isInsideFreezeWindow(window: FreezeWindow, at: Date): boolean {
  const local = localWallTime(at, window.timeZone);
  if (window.start !== undefined && window.end !== undefined) {
    const now = `${local.date}T${local.time}`;
    return normaliseLocal(window.start) <= now && now < normaliseLocal(window.end);
  }
  const days = window.days ?? [];
  const from = `${window.from ?? '00:00'}:00`;
  const to = `${window.to ?? '24:00'}:00`;
  if (from < to) return days.includes(local.weekday) && from <= local.time && local.time < to;
  // A window such as fri 22:00 → 06:00 runs past midnight into the next day.
  const yesterday = order[(order.indexOf(local.weekday) + 6) % 7]!;
  return (days.includes(local.weekday) && local.time >= from) || (days.includes(yesterday) && local.time < to);
}

/** `year-end (2026-12-20 00:00 → 2027-01-02 00:00 Europe/Berlin)`, `weekends (sat, sun 00:00 → 24:00 UTC)`. */
export function describeFreezeWindow(window: FreezeWindow): string {
  if (window.start !== undefined && window.end !== undefined) {
    return `${window.name} (${window.start.replace('T', ' ')} → ${window.end.replace('T', ' ')} ${window.timeZone})`;
  }
  return `${window.name} (${(window.days ?? []).join(', ')} ${window.from ?? '00:00'} → ${window.to ?? '24:00'} ${window.timeZone})`;
}
