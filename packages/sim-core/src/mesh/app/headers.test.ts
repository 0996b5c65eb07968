import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROPAGATED_HEADERS } from './appSpec.js';
import { HeaderPropagation, propagateHeaders } from './headers.js';

const headerName = fc.constantFrom(
  ...DEFAULT_PROPAGATED_HEADERS,
  ':method',
  ':path',
  ':authority',
  'x-forwarded-proto',
  'x-envoy-attempt-count',
  'x-custom',
  'constructor',
  'tostring',
);
const headers = fc.dictionary(headerName, fc.string({ maxLength: 5 }), { maxKeys: 12 });

describe('propagateHeaders()', () => {
  it('copies the listed headers present on the request, then the call’s own on top', () => {
    expect(
      propagateHeaders(
        { ':path': '/', 'x-request-id': 'r1', 'end-user': 'jason', cookie: 'c' },
        ['end-user', 'x-request-id', 'x-b3-traceid'],
        { 'end-user': 'override', accept: 'json' },
      ),
    ).toEqual({ 'end-user': 'override', 'x-request-id': 'r1', accept: 'json' });
  });
});

describe('HeaderPropagation', () => {
  test.prop([
    fc.oneof(fc.constant(DEFAULT_PROPAGATED_HEADERS), fc.array(headerName, { maxLength: 25 })),
    headers,
    headers,
  ])('gives propagateHeaders() exactly: same headers, same values, same key order', (names, incoming, extra) => {
    const compiled = new HeaderPropagation(names);
    const want = Object.entries(propagateHeaders(incoming, names, extra));
    expect(Object.entries(compiled.headersFor(incoming, extra))).toEqual(want);
    // Scratch space is reused: a second request gets its own answer.
    expect(Object.entries(compiled.headersFor(extra, incoming))).toEqual(
      Object.entries(propagateHeaders(extra, names, incoming)),
    );
  });

  it('a listed name that Object.prototype also has is looked up as propagateHeaders does', () => {
    const names = ['x-request-id', 'constructor'];
    const incoming = { 'x-request-id': 'r1' };
    expect(new HeaderPropagation(names).headersFor(incoming, {})).toEqual(propagateHeaders(incoming, names, {}));
  });
});
