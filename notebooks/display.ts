/**
 * Rich outputs for the Deno Jupyter kernel. The kernel renders any value that has a
 * `Symbol.for('Jupyter.display')` method through the MIME bundle that method returns, either as
 * a cell's last expression or passed to `Deno.jupyter.display`. Plain objects keep this module
 * free of Deno globals, so Node's type checker reads it too.
 */
import { escapeXml } from './charts.ts';

/** A value that the Deno kernel shows through its MIME bundle. */
export interface Displayable {
  [key: symbol]: () => Record<string, string>;
}

const DISPLAY = Symbol.for('Jupyter.display');

export function svgOutput(svg: string): Displayable {
  return { [DISPLAY]: () => ({ 'image/svg+xml': svg, 'text/plain': '[SVG chart]' }) };
}

/** HTML output; `plainText` is what text-only front ends (and diffs of executed notebooks) show. */
export function htmlOutput(html: string, plainText = '[HTML output]'): Displayable {
  return { [DISPLAY]: () => ({ 'text/html': html, 'text/plain': plainText }) };
}

/** A table cell: text as given, numbers with `digits` decimals (3 by default). */
export type TableValue = string | number;

/**
 * Renders rows as an HTML table with a header row; numbers are right-aligned and rounded to
 * `digits` decimals, NaN shows as "n/a".
 */
export function tableOutput(header: readonly string[], rows: readonly (readonly TableValue[])[], digits = 3): Displayable {
  const format = (value: TableValue) => {
    if (typeof value === 'string') return value;
    if (Number.isNaN(value)) return 'n/a';
    return Number.isInteger(value) ? String(value) : value.toFixed(digits);
  };
  const cell = (value: TableValue, tag: 'td' | 'th') => {
    const align = typeof value === 'number' ? 'right' : 'left';
    return `<${tag} style="text-align:${align}">${escapeXml(format(value))}</${tag}>`;
  };
  const head = `<tr>${header.map((name) => cell(name, 'th')).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((value) => cell(value, 'td')).join('')}</tr>`).join('\n');
  const plainText = [header, ...rows].map((row) => row.map(format).join(' | ')).join('\n');
  return htmlOutput(`<table>\n${head}\n${body}\n</table>`, plainText);
}
