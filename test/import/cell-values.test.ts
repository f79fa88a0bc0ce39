import { describe, expect, it } from 'vitest';

import { DateParser, formatDay, parseBoolean, parseNumber } from '../../src/core/import/cell-values.ts';

describe('DateParser', () => {
  it.each([
    [['ISO'], '2018-02-26', '2018-02-26'],
    [['ISO'], '2018-02-26 19:58:54', '2018-02-26'],
    [['ISO'], '2024-01-15T23:59:59.000Z', '2024-01-15'],
    [['DD/MM/YYYY'], '31/01/2024', '2024-01-31'],
    [['M/D/YYYY'], '1/5/2024', '2024-01-05'],
    [['DD.MM.YYYY HH:mm'], '05.03.2024 10:15', '2024-03-05'],
    [['DD/MM/YYYY', 'ISO'], '2024-03-05', '2024-03-05'],
  ])('parses with %j the value %s', (formats, value, expected) => {
    const day = new DateParser(formats).parseDay(value);
    expect(day).toBeDefined();
    expect(formatDay(day!)).toBe(expected);
  });

  it.each([
    ['31/02/2024', ['DD/MM/YYYY']],
    ['2024-13-01', ['ISO']],
    ['yesterday', ['ISO']],
    ['01/02/24', ['DD/MM/YYYY']],
  ])('rejects %s', (value, formats) => {
    expect(new DateParser(formats).parseDay(value)).toBeUndefined();
  });

  it('rejects a format without a day', () => {
    expect(() => new DateParser(['YYYY-MM'])).toThrow(/needs YYYY, MM/);
  });
});

describe('parseNumber and parseBoolean', () => {
  it('parses plain numbers only', () => {
    expect(parseNumber(' 3.5 ')).toBe(3.5);
    expect(parseNumber('1e3')).toBe(1000);
    expect(parseNumber('')).toBeUndefined();
    expect(parseNumber('12 visits')).toBeUndefined();
  });

  it('parses yes/no words', () => {
    expect(parseBoolean('Yes')).toBe(true);
    expect(parseBoolean('FALSE')).toBe(false);
    expect(parseBoolean('maybe')).toBeUndefined();
  });
});
