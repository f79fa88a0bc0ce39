/** A request field that is not a column of the model's training export. */
export interface UnrecognizedField {
  field: string;
  /** The export column with the same name up to case and spaces, when there is one. */
  suggestion?: string;
  message: string;
}

/**
 * Lists the distinct field names in `leads` that are not columns of the training export, in order
 * of first appearance. A misspelt or differently cased name is otherwise scored as a missing value
 * without any sign, so callers get these back as warnings.
 */
export function findUnrecognizedFields(leads: readonly Record<string, unknown>[], exportColumns: readonly string[]): UnrecognizedField[] {
  const known = new Set(exportColumns);
  const byLooseName = new Map(exportColumns.map((column) => [looseName(column), column]));
  const seen = new Set<string>();
  const fields: UnrecognizedField[] = [];
  for (const lead of leads) {
    for (const field of Object.keys(lead)) {
      if (known.has(field) || seen.has(field)) continue;
      seen.add(field);
      const suggestion = byLooseName.get(looseName(field));
      fields.push(
        suggestion === undefined
          ? { field, message: `'${field}' is not a column of the model's training export; it was ignored` }
          : { field, suggestion, message: `'${field}' is not a column of the model's training export; did you mean '${suggestion}'? It was ignored` },
      );
    }
  }
  return fields;
}

function looseName(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}
