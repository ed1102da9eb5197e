import { describe, expect, it } from 'vitest';
import type { CoverageView } from '@gridline/domain';
import {
  byStage,
  courseList,
  coverageGaps,
  holdersOfGrid,
  isFinal,
  nextSteps,
  stageCounts,
  stageFilter,
  STAGE_ORDER,
  waivable,
} from './stages';

const NOW = '2026-12-05T08:00:00.000Z';

describe('the pipeline as the pages offer it', () => {
  it('offers the main step first, waivers only before appointment, nothing after the end', () => {
    expect(nextSteps('candidate')[0]).toBe('inspect');
    expect(nextSteps('inspected')[0]).toBe('train');
    expect(nextSteps('trained')[0]).toBe('appoint');
    expect(nextSteps('appointed')).toEqual(['transfer', 'dismiss', 'leave']);
    expect(nextSteps('trained')).not.toContain('override');
    for (const s of ['left', 'dismissed'] as const) {
      expect(nextSteps(s)).toEqual([]);
      expect(isFinal(s)).toBe(true);
    }
    expect(waivable('rejected')).toBe('inspect');
    expect(waivable('inspected')).toBe('train');
    expect(waivable('trained')).toBeUndefined();
  });

  it('orders rows along the pipeline, then by name, and counts each stage', () => {
    const rows = [
      { stage: 'appointed' as const, name: '王芳' },
      { stage: 'candidate' as const, name: '赵伟' },
      { stage: 'candidate' as const, name: '李娜' },
      { stage: 'dismissed' as const, name: '陈刚' },
    ];
    expect(byStage(rows).map((r) => r.stage)).toEqual(['candidate', 'candidate', 'appointed', 'dismissed']);
    expect(
      byStage(rows)
        .slice(0, 2)
        .map((r) => r.name),
    ).toEqual(['李娜', '赵伟']);
    const counts = stageCounts(rows);
    expect(Object.keys(counts)).toEqual([...STAGE_ORDER]);
    expect(counts).toMatchObject({ candidate: 2, appointed: 1, dismissed: 1, trained: 0 });
  });

  it('reads only a known stage from the address', () => {
    expect(stageFilter('trained')).toBe('trained');
    expect(stageFilter('boss')).toBeNull();
    expect(stageFilter(null)).toBeNull();
  });

  it('splits courses on lines, commas and 、', () => {
    expect(courseList('政策法规、入户走访\n矛盾调解, 安全 ,，')).toEqual(['政策法规', '入户走访', '矛盾调解', '安全']);
  });
});

describe('the gaps of a coverage matrix', () => {
  const c: CoverageView = {
    communityId: 'c1',
    posts: [
      { id: 'mediator', label: { zh: '调解员', en: 'Mediator' } },
      { id: 'sanitation', label: { zh: '卫生', en: 'Sanitation' } },
    ],
    grids: [
      {
        gridId: 'g1',
        name: '一网格',
        responsible: { coordinatorId: 'p1', name: '王芳', since: NOW },
        cells: {
          mediator: [{ coordinatorId: 'p1', name: '王芳' }],
          sanitation: [
            { coordinatorId: 'p1', name: '王芳' },
            { coordinatorId: 'p2', name: '李娜' },
          ],
        },
      },
      { gridId: 'g2', name: '二网格', responsible: null, cells: { mediator: [{ coordinatorId: 'p2', name: '李娜' }] } },
    ],
    gridsWithoutResponsible: ['g2'],
    postsUnheld: [],
  };

  it('marks the grid nobody answers for and each empty cell', () => {
    const gaps = coverageGaps(c);
    expect([...gaps.grids]).toEqual(['g2']);
    expect([...gaps.posts]).toEqual([]);
    expect([...gaps.cells]).toEqual(['g2|sanitation']);
  });

  it("offers a grid's own post holders, each once, as its responsible coordinator", () => {
    expect(holdersOfGrid(c, 'g1')).toEqual([
      { coordinatorId: 'p1', name: '王芳' },
      { coordinatorId: 'p2', name: '李娜' },
    ]);
    expect(holdersOfGrid(c, 'g2')).toEqual([{ coordinatorId: 'p2', name: '李娜' }]);
    expect(holdersOfGrid(c, 'nope')).toEqual([]);
  });
});
