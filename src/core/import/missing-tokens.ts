/** Cell values that mean "no answer", compared after trimming and ignoring letter case. */
export class MissingTokens {
  readonly #tokens: Set<string>;

  constructor(tokens: readonly string[]) {
    this.#tokens = new Set(tokens.map((token) => token.trim().toLowerCase()));
    // An empty cell is always missing, whatever the config lists.
    this.#tokens.add('');
  }

  isMissing(value: string): boolean {
    return this.#tokens.has(value.trim().toLowerCase());
  }
}
