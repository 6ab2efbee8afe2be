import { describe, expect, it } from 'vitest';
import { countdown, split } from './sla';

const now = new Date('2026-11-04T10:00:00Z').getTime();
const open = { paused: false, status: 'in_progress' as const, now };

describe('SLA countdown', () => {
  it('counts whole minutes down to a due time and up past it', () => {
    expect(countdown('2026-11-04T12:15:00Z', open)).toEqual({
      kind: 'due',
      minutes: 135,
      due: '2026-11-04T12:15:00Z',
    });
    // 59 s left is still "due", in 0 minutes; 1 s late is overdue by a minute.
    expect(countdown('2026-11-04T10:00:59Z', open)).toMatchObject({ kind: 'due', minutes: 0 });
    expect(countdown('2026-11-04T09:59:59Z', open)).toMatchObject({ kind: 'overdue', minutes: 1 });
    expect(countdown('2026-11-04T09:25:00Z', open)).toMatchObject({ kind: 'overdue', minutes: 35 });
  });

  it('stands still while paused and ends with the ticket', () => {
    expect(countdown('2026-11-04T09:25:00Z', { ...open, paused: true })).toEqual({
      kind: 'paused',
    });
    expect(countdown('2026-11-04T09:25:00Z', { ...open, status: 'resolved' })).toEqual({
      kind: 'none',
    });
    expect(countdown('2026-11-04T09:25:00Z', { ...open, status: 'closed' })).toEqual({
      kind: 'none',
    });
    expect(countdown(null, open)).toEqual({ kind: 'none' });
  });

  it('splits spans into days, hours and minutes', () => {
    expect(split(135)).toEqual({ days: 0, hours: 2, minutes: 15 });
    expect(split(3 * 1440 + 4 * 60 + 5)).toEqual({ days: 3, hours: 4, minutes: 5 });
  });
});
