/** Dates as the reseller pages render them. */

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `yyyyMMddHHmmss` in UTC: the time part of a credit-log reference (`CT-20260115110440-...`). */
export function utcStamp(timeMs: number): string {
  const date = new Date(timeMs);
  return (
    `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`
  );
}

const OFFSET = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/;
const formats = new Map<string, Intl.DateTimeFormat>();

/** Minutes east of UTC of `timeZone` at `timeMs` (daylight saving included). */
function offsetMinutes(timeMs: number, timeZone: string): number {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    formats.set(timeZone, format);
  }
  const name = format.formatToParts(timeMs).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = OFFSET.exec(name);
  if (match?.[1] === undefined) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/**
 * The instant in `timeZone`'s local time with its offset and whole seconds, as the logs page shows
 * `transfer_date` (`2026-01-15T16:34:40+05:30` is 11:04:40 UTC).
 */
export function zonedIso(timeMs: number, timeZone: string): string {
  const offset = offsetMinutes(timeMs, timeZone);
  const local = new Date(Math.floor(timeMs / 1000) * 1000 + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
