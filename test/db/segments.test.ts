import { describe, expect, it } from 'vitest';

import { InvalidInputError } from '../../src/core/errors.ts';
import { parseSegmentAttributes, parseSegmentFilter, segmentValues } from '../../src/db/segments.ts';

describe('parseSegmentAttributes', () => {
  it('maps listed fields and keeps defaults for the rest', () => {
    expect(parseSegmentAttributes('region=Country, owner=Lead Owner')).toEqual({ industry: 'industry', region: 'Country', owner: 'Lead Owner' });
  });

  it('rejects an unknown field, naming it', () => {
    expect(() => parseSegmentAttributes('team=Squad')).toThrow(/unknown segment field 'team'; expected one of industry, region, owner/);
  });

  it('rejects a pair without an attribute key', () => {
    expect(() => parseSegmentAttributes('region')).toThrow(/expected FIELD=ATTRIBUTE/);
  });
});

describe('segmentValues', () => {
  const mapping = { industry: 'Specialization', region: 'Country', owner: 'owner' };

  it('prefers explicit values, then mapped attributes, else null', () => {
    const values = segmentValues({ Specialization: ' Finance ', Country: 'India', owner: '' }, { region: 'EMEA' }, mapping);

    expect(values).toEqual({ industry: 'Finance', region: 'EMEA', owner: null });
  });
});

describe('parseSegmentFilter', () => {
  it('reads several FIELD:VALUE pairs', () => {
    expect(parseSegmentFilter('region:EMEA,owner:dana')).toEqual({ region: 'EMEA', owner: 'dana' });
  });

  it('rejects a pair without a value, naming the query field', () => {
    let caught: unknown;
    try {
      parseSegmentFilter('region:');
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(InvalidInputError);
    expect((caught as InvalidInputError).issues[0]?.path).toEqual(['querystring', 'segment']);
  });
});
