import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { objectMembers } from '../../src/core/json-members.js';

describe('objectMembers', () => {
  it('finds each member of any JSON object, however it is formatted', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), fc.jsonValue({ maxDepth: 3 })), fc.constantFrom(undefined, 0, 1, 2, '\t'), (object, indent) => {
        const text = JSON.stringify(object, null, indent);
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const members = objectMembers(text)!;
        expect(members.map((m) => m.key)).toEqual(Object.keys(parsed));
        for (const m of members) {
          const member = JSON.parse(`{${text.slice(m.start, m.end)}}`) as Record<string, unknown>;
          expect(member[m.key]).toEqual(parsed[m.key]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads escaped keys and skips strings that hold quotes, backslashes and brackets', () => {
    const text = ' { "\\u006dodel" : "a\\"b\\\\" , "x":{"y":"}]\\\\\\"{["},"n":-1.5e3,"t":true,"z":null, "arr" : [1,[2,{"k":"]"}]] } ';
    const members = objectMembers(text)!;
    expect(members.map((m) => m.key)).toEqual(['model', 'x', 'n', 't', 'z', 'arr']);
    expect(members.map((m) => JSON.parse(`{${text.slice(m.start, m.end)}}`))).toEqual(Object.entries(JSON.parse(text) as object).map(([k, v]) => ({ [k]: v })));
    expect(objectMembers(' {\n} ')).toEqual([]);
  });

  it('gives up on what is not one object', () => {
    for (const text of ['[1]', '"s"', '{"a":1} x', '{"a":1', '{"a" 1}', '{"a":"x}', '{"a":[1}', '', '{"a":1,}']) expect(objectMembers(text)).toBeUndefined();
  });
});
