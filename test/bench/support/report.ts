/** Output helpers shared by the benchmarks: aligned tables, budget verdicts, small statistics. */

export type Log = (line: string) => void;

/** Prints rows as an aligned text table; the first row is the header. Numbers align right. */
export function printTable(log: Log, rows: readonly (readonly (string | number)[])[]): void {
  const text = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? format(cell) : cell)));
  const widths: number[] = [];
  for (const row of text) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  text.forEach((row, index) => {
    const cells = row.map((cell, i) => {
      const numeric = index > 0 && typeof rows[index]?.[i] === 'number';
      return numeric ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0);
    });
    log(`  ${cells.join('  ')}`.trimEnd());
    if (index === 0) log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  });
}

function format(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en') : value.toFixed(2);
}

/** One budget check, e.g. `ratio("vs Prism", 7.1, ">=", 5)`. */
export interface Budget {
  readonly name: string;
  readonly value: number;
  readonly op: '>=' | '<=';
  readonly limit: number;
  readonly unit?: string;
}

/** Prints `budget met / MISSED` lines; returns whether every budget was met. */
export function printBudgets(log: Log, budgets: readonly Budget[]): boolean {
  let all = true;
  for (const { name, value, op, limit, unit = '' } of budgets) {
    const met = op === '>=' ? value >= limit : value <= limit;
    all &&= met;
    log(
      `  budget ${met ? 'met   ' : 'MISSED'} ${name}: ${format(value)}${unit} ${op} ${format(limit)}${unit}`,
    );
  }
  return all;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
