/**
 * Formats rows as CSV text (RFC 4180): comma-separated, CRLF line ends, fields quoted when they
 * contain a comma, a quote or a line break, and quotes doubled inside quoted fields.
 */
export function formatCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((row) => row.map(quoteField).join(',')).join('\r\n') + '\r\n';
}

function quoteField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
