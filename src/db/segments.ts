import { InvalidInputError } from '../core/errors.ts';

/** Lead fields that sales teams split reps by; each is a column of the leads table. */
export const SEGMENT_FIELDS = ['industry', 'region', 'owner'] as const;
export type SegmentField = (typeof SEGMENT_FIELDS)[number];

/** For each segment field, the CRM attribute key it is copied from when a lead is stored. */
export type SegmentAttributes = Record<SegmentField, string>;

export const DEFAULT_SEGMENT_ATTRIBUTES_TEXT = 'industry=industry,region=region,owner=owner';

/**
 * Parses "industry=Industry,region=Country,owner=Lead Owner". Fields left out keep their own name
 * as the attribute key. Throws on an unknown field or a pair without "=".
 */
export function parseSegmentAttributes(text: string): SegmentAttributes {
  const mapping: SegmentAttributes = { industry: 'industry', region: 'region', owner: 'owner' };
  for (const pair of text.split(',').filter((part) => part.trim() !== '')) {
    const [field, key] = pair.split('=').map((part) => part.trim());
    if (!isSegmentField(field)) {
      throw new Error(`'${pair}': unknown segment field '${field}'; expected one of ${SEGMENT_FIELDS.join(', ')}`);
    }
    if (!key) throw new Error(`'${pair}': expected FIELD=ATTRIBUTE, for example region=Country`);
    mapping[field] = key;
  }
  return mapping;
}

function isSegmentField(value: string | undefined): value is SegmentField {
  return SEGMENT_FIELDS.includes(value as SegmentField);
}

/**
 * Picks a lead's segment values: an explicit field of the request wins, otherwise the mapped
 * attribute is used when it is a non-empty string or a number. Missing values are null.
 */
export function segmentValues(
  attributes: Record<string, unknown>,
  explicit: Partial<Record<SegmentField, string | null>>,
  mapping: SegmentAttributes,
): Record<SegmentField, string | null> {
  const pick = (field: SegmentField): string | null => {
    if (explicit[field] !== undefined) return explicit[field];
    const value = attributes[mapping[field]];
    if (typeof value === 'number') return String(value);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  };
  return { industry: pick('industry'), region: pick('region'), owner: pick('owner') };
}

/**
 * Parses the `segment` query parameter, "region:EMEA" or several joined by commas
 * ("region:EMEA,owner:dana"); every listed field must match. Throws InvalidInputError naming the
 * bad part.
 */
export function parseSegmentFilter(text: string): Partial<Record<SegmentField, string>> {
  const filter: Partial<Record<SegmentField, string>> = {};
  for (const part of text.split(',')) {
    const separator = part.indexOf(':');
    const field = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (separator < 0 || !isSegmentField(field) || value === '') {
      throw new InvalidInputError(`segment filter '${part}' is invalid`, [
        {
          path: ['querystring', 'segment'],
          code: 'invalid_format',
          expected: `FIELD:VALUE with FIELD one of ${SEGMENT_FIELDS.join(', ')}, joined by commas`,
          received: `string ${JSON.stringify(part)}`,
          message: `expected FIELD:VALUE such as region:EMEA, with FIELD one of ${SEGMENT_FIELDS.join(', ')}`,
        },
      ]);
    }
    filter[field] = value;
  }
  return filter;
}
