import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { escapeLabelValue, parsePrometheusText } from './prometheusText.js';

describe('parsePrometheusText()', () => {
  it('reads families, labels and values', () => {
    const f = parsePrometheusText(
      '# HELP x help text\n# TYPE x counter\nx{a="1",b="q\\"\\\\\\n"} 3\n# TYPE y gauge\ny 1.5e+3\n',
    );
    expect(f).toEqual([
      {
        name: 'x',
        type: 'counter',
        samples: [
          {
            name: 'x',
            labels: [
              ['a', '1'],
              ['b', 'q"\\\n'],
            ],
            value: 3,
          },
        ],
      },
      { name: 'y', type: 'gauge', samples: [{ name: 'y', labels: [], value: 1500 }] },
    ]);
  });

  it.each([
    ['a missing final line feed', '# TYPE x counter\nx 1'],
    ['a sample outside its TYPE group', '# TYPE x counter\ny 1\n'],
    ['a repeated TYPE', '# TYPE x counter\nx 1\n# TYPE x counter\n'],
    ['an unquoted label', '# TYPE x counter\nx{a=1} 1\n'],
    ['a bad value', '# TYPE x counter\nx 1,5\n'],
    ['a repeated label', '# TYPE x counter\nx{a="1",a="2"} 1\n'],
    ['decreasing buckets', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n'],
    ['+Inf not equal to _count', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 2\n'],
    ['no +Inf bucket', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n'],
  ])('rejects %s', (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow(SyntaxError);
  });

  test.prop([fc.string()])('escapeLabelValue() round-trips through the parser', (v) => {
    const f = parsePrometheusText(`# TYPE x gauge\nx{v="${escapeLabelValue(v)}"} 0\n`);
    expect(f[0]!.samples[0]!.labels[0]![1]).toBe(v);
  });
});
