/**
 * Fixed one-hour UTC windows for the sign-up rate limits. A fixed window
 * (rather than a sliding one) lets a single DynamoDB item hold the count and
 * lets the refusal message name the exact time the next window opens.
 */

export interface HourWindow {
  /** `YYYY-MM-DDTHH` (UTC), part of the counter item's key. */
  readonly key: string;
  readonly start: Date;
  /** Start of the next window. */
  readonly end: Date;
}

const HOUR_MS = 3_600_000;

export function hourWindowOf(at: Date): HourWindow {
  const start = new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
  return { key: start.toISOString().slice(0, 13), start, end: new Date(start.getTime() + HOUR_MS) };
}

/** The window `n` hours after `window`. */
export function windowAfter(window: HourWindow, n = 1): HourWindow {
  return hourWindowOf(new Date(window.start.getTime() + n * HOUR_MS));
}

/** `14:00 UTC`: how refusal messages name the time a window opens. */
export function formatUtcHour(date: Date): string {
  return `${date.toISOString().slice(11, 16)} UTC`;
}

/**
 * Epoch seconds at which a counter item may be removed by DynamoDB TTL: one
 * hour after its window closed (TTL deletion lags, and a late read of an
 * expired window must never matter because the key names the window).
 */
export function counterExpiry(window: HourWindow): number {
  return Math.floor(window.end.getTime() / 1000) + 3600;
}
