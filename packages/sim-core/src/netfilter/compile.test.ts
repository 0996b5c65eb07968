import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { compileRuleset } from './compile.js';
import { parseRestore } from './restore.js';
import { applyRestore } from './ruleset.js';

const load = (text: string) => applyRestore(undefined, parseRestore(text, { file: 'k.rules' }));
const compile = (text: string, groups?: Record<string, number>) => compileRuleset(load(text), groups ? { groups } : {});

describe('compileRuleset(): what the kernel refuses when the rules are committed', () => {
  it('refuses a loop, naming the chains and the rule that closes it', () => {
    const text = '*filter\n:A - [0:0]\n:B - [0:0]\n-A OUTPUT -j A\n-A A -j B\n-A B -p tcp -g A\nCOMMIT';
    expect(() => compile(text)).toThrow(ConfigError);
    expect(() => compile(text)).toThrow('k.rules:6: chain loop in table filter: A → B → A');
  });

  it('refuses a loop even between chains no hook reaches (iptables-nft checks every jump)', () => {
    expect(() => compile('*filter\n:A - [0:0]\n-A A -j A\nCOMMIT')).toThrow('chain loop in table filter: A → A');
  });

  it('refuses -m owner in a chain reached from PREROUTING, but not in one reached only from OUTPUT', () => {
    const rules = (hook: string) =>
      `*nat\n:X - [0:0]\n-A ${hook} -j X\n-A X -m owner --uid-owner 1337 -j RETURN\nCOMMIT`;
    expect(() => compile(rules('PREROUTING'))).toThrow(
      '-m owner is only valid in OUTPUT/POSTROUTING, but chain X is reached from PREROUTING',
    );
    expect(() => compile(rules('OUTPUT'))).not.toThrow();
    expect(() => compile('*nat\n:X - [0:0]\n-A X -m owner --uid-owner 1337 -j RETURN\nCOMMIT')).not.toThrow(); // unreachable
  });

  it('refuses targets outside their table or hooks', () => {
    expect(() => compile('*filter\n-A OUTPUT -p tcp -j REDIRECT --to-ports 15001\nCOMMIT')).toThrow(
      '-j REDIRECT is only valid in the nat table',
    );
    expect(() => compile('*nat\n-A POSTROUTING -p tcp -j REDIRECT\nCOMMIT')).toThrow(
      '-j REDIRECT is only valid in PREROUTING/OUTPUT',
    );
    expect(() => compile('*mangle\n-A OUTPUT -p tcp -j TPROXY --on-port 15006\nCOMMIT')).toThrow(
      '-j TPROXY is only valid in PREROUTING',
    );
    expect(() => compile('*nat\n-A OUTPUT -j CT --zone 1\nCOMMIT')).toThrow('-j CT is only valid in the raw table');
    expect(() => compile('*nat\n-A PREROUTING -j MASQUERADE\nCOMMIT')).toThrow(
      '-j MASQUERADE is only valid in POSTROUTING',
    );
  });

  it('resolves owner names like iptables does at load time: unknown ones are refused', () => {
    const text = '*nat\n-A OUTPUT -m owner ! --gid-owner java -m owner ! --gid-owner 202 -j RETURN\nCOMMIT';
    expect(() => compile(text)).toThrow('-m owner: unknown group "java"');
    expect(() => compile(text, { java: 1001 })).not.toThrow();
    expect(() => compile('*nat\n-A OUTPUT -m owner --uid-owner istio-proxy -j RETURN\nCOMMIT')).not.toThrow();
  });
});
