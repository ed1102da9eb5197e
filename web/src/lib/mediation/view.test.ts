import { describe, expect, it } from 'vitest';
import { eventFacts } from './view';

describe('a timeline entry’s facts', () => {
  it('come in a fixed order, texts, numbers and yes/no as strings, lists of days joined', () => {
    expect(
      eventFacts({
        kind: 'agreed',
        details: { followUpDue: ['2026-04-04', '2026-06-03'], terms: 2, signedOn: '2026-03-05', ignored: { a: 1 } },
      }),
    ).toEqual([
      ['signedOn', '2026-03-05'],
      ['terms', '2'],
      ['followUpDue', '2026-04-04、2026-06-03'],
    ]);
    expect(eventFacts({ kind: 'follow_up', details: { holds: false, due: '2026-04-04', note: '未履行' } })).toEqual([
      ['holds', 'false'],
      ['due', '2026-04-04'],
      ['note', '未履行'],
    ]);
  });

  it('leave out empty values, and the level of an intake (the entry shows it already)', () => {
    expect(eventFacts({ kind: 'taken_in', details: { type: 'land', level: 'town', risk: 'high', foundBy: 'visit', reason: '' } })).toEqual([
      ['type', 'land'],
      ['risk', 'high'],
      ['foundBy', 'visit'],
    ]);
    expect(eventFacts({ kind: 'reopened', details: { level: 'community', signedOn: '2026-01-01' } })).toEqual([
      ['level', 'community'],
      ['signedOn', '2026-01-01'],
    ]);
  });
});
