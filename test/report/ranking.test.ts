import { describe, expect, it } from 'vitest';

import { capacityTable, gainCurve, parseCapacities, rankLeads, rocCurve } from '../../src/report/ranking.ts';

describe('rocCurve', () => {
  it('steps once per distinct score', () => {
    // Scores 0.9 (won), 0.8 (lost), 0.7 (won), 0.1 (lost).
    const points = rocCurve([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]);

    expect(points).toEqual([
      { falsePositiveRate: 0, truePositiveRate: 0 },
      { falsePositiveRate: 0, truePositiveRate: 0.5 },
      { falsePositiveRate: 0.5, truePositiveRate: 0.5 },
      { falsePositiveRate: 0.5, truePositiveRate: 1 },
      { falsePositiveRate: 1, truePositiveRate: 1 },
    ]);
  });

  it('moves diagonally through tied scores', () => {
    const points = rocCurve([1, 0, 1, 0], [5, 5, 5, 5]);

    expect(points).toEqual([
      { falsePositiveRate: 0, truePositiveRate: 0 },
      { falsePositiveRate: 1, truePositiveRate: 1 },
    ]);
  });
});

describe('gainCurve', () => {
  it('reports the share of wins after each score group', () => {
    const points = gainCurve([1, 1, 0, 0, 1], [10, 10, 5, 1, 1]);

    expect(points).toEqual([
      { leadShare: 0, winShare: 0 },
      { leadShare: 0.4, winShare: 2 / 3 },
      { leadShare: 0.6, winShare: 2 / 3 },
      { leadShare: 1, winShare: 1 },
    ]);
  });
});

describe('rankLeads', () => {
  it('orders best first and breaks ties the same way for a seed', () => {
    const scores = [1, 3, 3, 3, 2];

    const first = rankLeads(scores, 7);
    const again = rankLeads(scores, 7);

    expect(first[3]).toBe(4);
    expect(first[4]).toBe(0);
    expect(new Set(first.slice(0, 3))).toEqual(new Set([1, 2, 3]));
    expect(again).toEqual(first);
  });
});

describe('capacityTable', () => {
  it('counts wins in each top list and the wins the other misses', () => {
    const labels = [1, 1, 0, 1, 0, 0, 1, 0, 0, 0];
    const modelOrder = [0, 1, 3, 2, 6, 4, 5, 7, 8, 9];
    const rulesOrder = [6, 2, 0, 4, 1, 3, 5, 7, 8, 9];

    const [row] = capacityTable(labels, modelOrder, rulesOrder, [{ share: 0.3 }]);

    // Model top 3: 0, 1, 3 (3 wins). Rules top 3: 6, 2, 0 (2 wins).
    expect(row).toEqual({
      label: 'top 30 %',
      leads: 3,
      modelWins: 3,
      rulesWins: 2,
      modelOnlyWins: 2,
      rulesOnlyWins: 1,
      modelCloseRate: 1,
      rulesCloseRate: 2 / 3,
    });
  });

  it('limits a lead-count capacity to the leads available', () => {
    const [row] = capacityTable([1, 0], [0, 1], [1, 0], [{ leads: 50 }]);

    expect(row?.leads).toBe(2);
    expect(row?.label).toBe('top 2 leads');
  });
});

describe('parseCapacities', () => {
  it('reads percentages and lead counts', () => {
    expect(parseCapacities('5%, 12.5%,250')).toEqual([{ share: 0.05 }, { share: 0.125 }, { leads: 250 }]);
  });

  it.each(['0%', '150%', 'ten', '-5', '2.5'])('rejects %s naming the entry', (entry) => {
    expect(() => parseCapacities(`5%,${entry}`)).toThrow(`capacity '${entry}' is invalid`);
  });
});
