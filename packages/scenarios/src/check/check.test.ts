import { describe, expect, it } from 'vitest';
import { ConfigError } from '@meshsim/sim-core';
import { expandRequest } from './expand.js';
import { junitXml } from './junit.js';
import { parseRuleTests } from './parse.js';
import type { CaseResult } from './types.js';

const parseError = (text: string): string => {
  try {
    parseRuleTests('rules.yaml', text);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('parseRuleTests()', () => {
  it('names file:line:column and the field of a mistake, with a suggestion', () => {
    expect(parseError('tests:\n  - request: {url: http://a/}\n    expect: {subnet: v1}\n')).toBe(
      'rules.yaml:3:14: tests[0].expect.subnet: unknown field "subnet" (did you mean "subset"?)',
    );
    expect(parseError('tests:\n  - request: {url: http://a/, methods: GET}\n    expect: {subset: v1}\n')).toMatch(
      /^rules\.yaml:2:31: tests\[0\]\.request\.methods: unknown field "methods" \(did you mean "method"\?\)$/,
    );
    expect(parseError('tests:\n  - expect: {subset: v1}\n')).toBe(
      'rules.yaml:2:5: tests[0].request: request.url is required (here or in defaults)',
    );
    expect(parseError('tests:\n  - request: {url: http://a/}\n    expect: {error: not_found}\n')).toMatch(
      /tests\[0\]\.expect\.error: must be one of no_listener, /,
    );
    expect(parseError('tests: []\n')).toBe('rules.yaml:1:8: tests: tests must be a non-empty list');
    expect(parseError('tests:\n  - request: {url: [], from: a}\n    expect: {subset: v1}\n')).toMatch(
      /tests\[0\]\.request\.url: an empty list expands to no test/,
    );
  });

  it('merges defaults into each request, the test’s own sender replacing the default one', () => {
    const f = parseRuleTests(
      'r.yaml',
      'defaults: {from: sleep.shop, headers: {x-a: "1"}}\ntests:\n  - request: {url: http://a/, headers: {x-b: "2"}}\n    expect: {subset: v1}\n  - request: {url: http://a/, gateway: gw.istio-system}\n    expect: {subset: v1}\n',
    );
    expect(f.tests[0]?.request).toMatchObject({
      from: 'sleep.shop',
      url: 'http://a/',
      headers: { 'x-a': '1', 'x-b': '2' },
    });
    expect(f.tests[1]?.request).toMatchObject({ gateway: 'gw.istio-system', from: undefined });
    expect(f.tests.map((t) => t.line)).toEqual([3, 5]);
  });

  it('recognises router_check_tool files and maps input and validate', () => {
    const f = parseRuleTests(
      'envoy.json',
      JSON.stringify({
        tests: [
          {
            test_name: 't',
            input: {
              authority: 'api.example.com',
              path: '/x',
              method: 'POST',
              ssl: true,
              internal: true,
              random_value: 42,
              additional_request_headers: [{ key: 'X-User', value: 'a' }],
            },
            validate: { cluster_name: '', path_redirect: 'https://a/b', code_redirect: 301 },
          },
        ],
      }),
    );
    expect(f.format).toBe('router_check_tool');
    expect(f.tests[0]).toMatchObject({
      name: 't',
      randomValue: 42,
      request: {
        url: 'http://api.example.com/x',
        method: 'POST',
        headers: { 'x-forwarded-proto': 'https', 'x-envoy-internal': 'true', 'x-user': 'a' },
      },
      expect: { noRoute: true, pathRedirect: 'https://a/b', codeRedirect: 301 },
    });
  });
});

describe('expandRequest()', () => {
  it('expands every list into the cartesian product, labelling what varies', () => {
    const cases = expandRequest({
      from: 'a',
      url: ['http://x/', 'http://y/'],
      method: ['get', 'POST'],
      headers: { u: ['1', '2'], v: 'k' },
    });
    expect(cases).toHaveLength(8);
    expect(cases[0]).toEqual({
      request: { from: 'a', url: 'http://x/', method: 'GET', headers: { u: '1', v: 'k' } },
      labels: ['url=http://x/', 'method=get', 'headers.u=1'],
    });
    expect(cases.at(-1)?.labels).toEqual(['url=http://y/', 'method=POST', 'headers.u=2']);
  });
});

describe('junitXml() escaping', () => {
  it('escapes markup and drops characters XML 1.0 cannot hold', () => {
    const result = {
      test: { name: 'x', request: {}, expect: {}, file: 'f', line: 1 },
      name: 'a <b> & "c"\u0001',
      request: { url: 'http://a/', method: 'GET', headers: {} },
      status: 'failed',
      failures: ['<&>'],
      notes: [],
    } as unknown as CaseResult;
    const xml = junitXml([{ file: 'f&.yaml', results: [result], details: new Map() }], {
      rules: [],
      covered: 0,
      total: 0,
      percent: 100,
      httpRoutes: { covered: 0, total: 0 },
      unreachable: 0,
    });
    expect(xml).toContain('<testcase name="a &lt;b&gt; &amp; &quot;c&quot;" classname="f&amp;.yaml" time="0">');
    expect(xml).toContain('<failure message="&lt;&amp;&gt;" type="RouteExpectation">&lt;&amp;&gt;</failure>');
  });
});
