/**
 * cli-runtime's HumanReadablePrinter: prints Tables through the tabwriter, adds the NAMESPACE,
 * label and LABELS columns, prefixes names with `kind/` when several kinds print, hides wide
 * columns unless `-o wide`, prints headers once per column set (so `get -w` rows line up under
 * the first table) and an EVENT column for `--output-watch-events`.
 */
import type { Column, Row, Table } from './tables';
import { formatLabels } from './tables';
import type { TabWriter } from '../format/tabwriter';

export interface PrintOptions {
  noHeaders?: boolean;
  wide?: boolean;
  withNamespace?: boolean;
  showLabels?: boolean;
  /** `-L key1,key2`: a column per label key. */
  columnLabels?: string[];
  /** Prefix names with `kind/` (several kinds in one `get`). */
  withKind?: boolean;
  /** `pod`, `deployment.apps`. */
  kind?: string;
}

const EVENT_TYPES: Record<string, string> = { ADDED: 'ADDED   ', MODIFIED: 'MODIFIED', DELETED: 'DELETED ', ERROR: 'ERROR   ' };

// Upstream: cli-runtime pkg/printers/tableprinter.go (HumanReadablePrinter)
export class HumanReadablePrinter {
  #printedHeaders = false;
  #lastColumns: Column[] | undefined;

  constructor(private readonly options: PrintOptions) {}

  /** Writes one table (a list, one object, or one watch event's object) to the tabwriter. */
  printTable(table: Table, w: TabWriter, eventType?: string): void {
    let noHeaders = !!this.options.noHeaders;
    const same = this.#lastColumns !== undefined && sameColumns(table.columns, this.#lastColumns);
    if (this.#printedHeaders && (table.columns.length === 0 || same)) noHeaders = true;
    if (!same && table.columns.length > 0) {
      this.#lastColumns = table.columns;
      this.#printedHeaders = false;
    }
    if (table.rows.length > 0) this.#printedHeaders = true;
    let t = decorateTable(table, this.options);
    if (eventType) {
      t = {
        columns: [{ name: 'Event', type: 'string', priority: 0 }, ...t.columns],
        rows: t.rows.map((r) => ({ ...r, cells: [EVENT_TYPES[eventType] ?? eventType, ...r.cells] })),
      };
    }
    printTable(t, w, { ...this.options, noHeaders });
  }
}

function sameColumns(a: Column[], b: Column[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i].name && c.priority === b[i].priority && c.type === b[i].type);
}

// Upstream: tableprinter.go (decorateTable)
function decorateTable(table: Table, options: PrintOptions): Table {
  const columns: Column[] = [];
  if (options.withNamespace) columns.push({ name: 'Namespace', type: 'string', priority: 0 });
  columns.push(...table.columns);
  for (const label of options.columnLabels ?? []) {
    const parts = label.split('/');
    columns.push({ name: parts[parts.length - 1], type: 'string', priority: 0 });
  }
  if (options.showLabels) columns.push({ name: 'Labels', type: 'string', priority: 0 });
  const nameColumn = options.withKind && options.kind ? table.columns.findIndex((c) => c.format === 'name' && c.type === 'string') : -1;
  const rows: Row[] = table.rows.map((row) => {
    const cells = [...row.cells];
    if (nameColumn !== -1) cells[nameColumn] = `${options.kind}/${cells[nameColumn]}`;
    const meta = row.object?.metadata ?? {};
    const out: unknown[] = options.withNamespace ? [meta.namespace ?? '', ...cells] : cells;
    for (const key of options.columnLabels ?? []) out.push(meta.labels?.[key] ?? '');
    if (options.showLabels) out.push(formatLabels(meta.labels));
    return { cells: out, object: row.object };
  });
  return { columns, rows };
}

// Upstream: tableprinter.go (printTable)
function printTable(table: Table, w: TabWriter, options: PrintOptions): void {
  if (!options.noHeaders) {
    if (table.rows.length === 0) return;
    w.write(table.columns.filter((c) => options.wide || c.priority === 0).map((c) => c.name.toUpperCase()).join('\t') + '\n');
  }
  for (const row of table.rows) {
    const cells: string[] = [];
    row.cells.forEach((cell, i) => {
      const column = table.columns[i];
      if (!column || (!options.wide && column.priority !== 0)) return;
      if (cell === null || cell === undefined) {
        cells.push('');
        return;
      }
      if (typeof cell === 'string') {
        const brk = cell.search(/[\f\n\r]/);
        cells.push(escapeTerminal(brk >= 0 ? cell.slice(0, brk) : cell) + (brk >= 0 ? '...' : ''));
      } else cells.push(escapeTerminal(String(cell)));
    });
    w.write(cells.join('\t') + '\n');
  }
}

/** cli-runtime printers.WriteEscaped: terminal control characters shown as `^[` etc. */
// Upstream: cli-runtime pkg/printers/terminal.go (WriteEscaped, EscapeTerminal)
export function escapeTerminal(s: string): string {
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => (c === '\x1b' ? '^[' : c === '\r' ? '\\r' : `^${String.fromCharCode(c.charCodeAt(0) + 64)}`));
}
