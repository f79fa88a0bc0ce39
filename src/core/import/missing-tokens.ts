import { placeholderMatcher } from '../values.ts';

/** Cell values that mean "no answer", compared after trimming and ignoring letter case. */
export class MissingTokens {
  readonly #tokens: Set<string>;
  readonly #isPlaceholder: ((value: string) => boolean) | undefined;

  constructor(tokens: readonly string[], isPlaceholder?: (value: string) => boolean) {
    this.#tokens = new Set(tokens.map((token) => token.trim().toLowerCase()));
    // An empty cell is always missing, whatever the config lists.
    this.#tokens.add('');
    this.#isPlaceholder = isPlaceholder;
  }

  /**
   * Returns these tokens plus one column's own `missingValues`; a numeric column compares them as
   * numbers, so "999.0" matches "999".
   */
  withColumnPlaceholders(placeholders: readonly string[], numeric: boolean): MissingTokens {
    return new MissingTokens([...this.#tokens], placeholderMatcher(placeholders, numeric));
  }

  isMissing(value: string): boolean {
    return this.#tokens.has(value.trim().toLowerCase()) || (this.#isPlaceholder?.(value) ?? false);
  }
}
