/**
 * Formats one CSV record (RFC 4180): fields with a comma, quote, line break or edge whitespace
 * are quoted, and quotes inside them doubled. Lines end in CRLF as RFC 4180 and most CRMs expect.
 */
export function formatCsvRecord(fields: readonly (string | number | null | undefined)[]): string {
  return `${fields.map(formatCsvField).join(',')}\r\n`;
}

function formatCsvField(field: string | number | null | undefined): string {
  if (field === null || field === undefined) return '';
  const text = String(field);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
