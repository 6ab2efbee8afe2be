// The SLA clock as a technician reads it: how long until a due time, or how long past it; nothing
// while the clock stands still (waiting for the customer) or once the ticket is done.
import type { TicketStatus } from './api';

export type Countdown =
  { kind: 'none' } | { kind: 'paused' } | { kind: 'due' | 'overdue'; minutes: number; due: string };

export function countdown(
  due: string | null,
  options: { paused: boolean; status: TicketStatus; now: number },
): Countdown {
  if (options.status === 'resolved' || options.status === 'closed' || !due) return { kind: 'none' };
  if (options.paused) return { kind: 'paused' };
  const diff = new Date(due).getTime() - options.now;
  // Whole minutes, rounded towards "less time left": 59.5 s left is "due in 0 min", not 1.
  return diff >= 0
    ? { kind: 'due', minutes: Math.floor(diff / 60_000), due }
    : { kind: 'overdue', minutes: Math.ceil(-diff / 60_000), due };
}

// Days, hours and minutes of a span, for "2 h 15 min" and "3 d 4 h".
export function split(minutes: number) {
  return {
    days: Math.floor(minutes / 1440),
    hours: Math.floor((minutes % 1440) / 60),
    minutes: minutes % 60,
  };
}
