/** The bench's one output: rows of figures, each next to its same-run baseline, as markdown. */
import { ratio } from './stats.js';

export type Unit = 'ms' | 'bytes' | 'count' | 'per_s';

export interface Figure {
  value: number;
  unit: Unit;
}

export interface ResultRow {
  /** What is measured, e.g. `cold start (initialize answered), median of 10`. */
  measure: string;
  /** Who is measured, e.g. `choir chat-history`. */
  subject: string;
  figure: Figure | null;
  /** What it is compared with, e.g. `bare node echo`. */
  baseline: string;
  baselineFigure: Figure | null;
  /** Why a figure is missing, or anything a reader must know to read it right. */
  note?: string;
}

export function formatFigure(figure: Figure | null): string {
  if (!figure) return '—';
  const { value, unit } = figure;
  switch (unit) {
    case 'ms':
      return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value)} ms`;
    case 'bytes':
      if (value >= 1024 * 1024) return `${(value / (1024 * 1024)).toFixed(1)} MiB`;
      if (value >= 1024) return `${(value / 1024).toFixed(1)} KiB`;
      return `${value} B`;
    case 'per_s':
      return `${value >= 100 ? Math.round(value) : value.toFixed(1)}/s`;
    case 'count':
      return String(value);
  }
}

/** The ratio figure/baseline as `×1.23`, only when both exist in the same unit. */
export function formatRatio(row: ResultRow): string {
  if (!row.figure || !row.baselineFigure || row.figure.unit !== row.baselineFigure.unit) return '—';
  const r = ratio(row.figure.value, row.baselineFigure.value);
  if (r === null) return '—';
  return `×${r >= 10 ? r.toFixed(1) : r.toFixed(2)}`;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

export function renderTable(rows: readonly ResultRow[]): string {
  const header = ['Measure', 'Subject', 'Value', 'Baseline', 'Baseline value', 'Ratio', 'Note'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const cells = [
      row.measure,
      row.subject,
      formatFigure(row.figure),
      row.baseline,
      formatFigure(row.baselineFigure),
      formatRatio(row),
      row.note ?? '',
    ];
    lines.push(`| ${cells.map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}
