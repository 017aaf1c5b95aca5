import { describe, expect, it } from 'vitest';
import { formatFigure, formatRatio, type ResultRow, renderTable } from './table.js';

describe('formatFigure', () => {
  it('formats milliseconds with precision that fits their size', () => {
    expect(formatFigure({ value: 1.234, unit: 'ms' })).toBe('1.23 ms');
    expect(formatFigure({ value: 45.67, unit: 'ms' })).toBe('45.7 ms');
    expect(formatFigure({ value: 456.7, unit: 'ms' })).toBe('457 ms');
  });

  it('formats bytes in binary units', () => {
    expect(formatFigure({ value: 512, unit: 'bytes' })).toBe('512 B');
    expect(formatFigure({ value: 1536, unit: 'bytes' })).toBe('1.5 KiB');
    expect(formatFigure({ value: 52 * 1024 * 1024, unit: 'bytes' })).toBe('52.0 MiB');
  });

  it('formats rates and counts, and a missing figure as a dash', () => {
    expect(formatFigure({ value: 1234.5, unit: 'per_s' })).toBe('1235/s');
    expect(formatFigure({ value: 12.34, unit: 'per_s' })).toBe('12.3/s');
    expect(formatFigure({ value: 7, unit: 'count' })).toBe('7');
    expect(formatFigure(null)).toBe('—');
  });
});

const row = (value: number, base: number, baseUnit: 'ms' | 'bytes' = 'ms'): ResultRow => ({
  measure: 'm',
  subject: 's',
  figure: { value, unit: 'ms' },
  baseline: 'b',
  baselineFigure: { value: base, unit: baseUnit },
});

describe('formatRatio', () => {
  it('divides figure by baseline', () => {
    expect(formatRatio(row(3, 2))).toBe('×1.50');
    expect(formatRatio(row(250, 10))).toBe('×25.0');
  });

  it('has no ratio across units or against zero', () => {
    expect(formatRatio(row(3, 2, 'bytes'))).toBe('—');
    expect(formatRatio(row(3, 0))).toBe('—');
  });
});

describe('renderTable', () => {
  it('renders one markdown row per result and escapes pipes', () => {
    const table = renderTable([{ ...row(3, 2), subject: 'a|b', note: 'n' }]);
    expect(table.split('\n')).toEqual([
      '| Measure | Subject | Value | Baseline | Baseline value | Ratio | Note |',
      '|---|---|---|---|---|---|---|',
      '| m | a\\|b | 3.00 ms | b | 2.00 ms | ×1.50 | n |',
    ]);
  });
});
