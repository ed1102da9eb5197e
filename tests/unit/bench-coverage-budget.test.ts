import { describe, expect, it } from 'vitest';
import { queryProblem } from '../bench/capacity';

// The coverage matrix promises to read in one or two Queries whatever the size of the community
// (issue 12): the bench judges each measurement that names `maxQueries` with this check.
describe('the bench budget of Query calls', () => {
  it('passes a request within the number of Queries, GetItems aside', () => {
    expect(queryProblem('team.coverage', ['GetItem', 'GetItem', 'Query', 'Query'], 2)).toBeUndefined();
    expect(queryProblem('team.coverage', ['GetItem', 'Query'], 2)).toBeUndefined();
  });

  it('fails a request that reads per grid or per post', () => {
    const perGrid = ['GetItem', 'GetItem', ...Array.from({ length: 10 }, () => 'Query')];
    expect(queryProblem('team.coverage', perGrid, 2)).toBe('team.coverage made 10 Query calls; it may make at most 2');
  });

  it('fails a Scan however few the calls', () => {
    expect(queryProblem('team.coverage', ['Scan'], 2)).toMatch(/scanned the table/);
  });
});
