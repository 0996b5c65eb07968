/**
 * The canary report with every string a user controls (resource names, labels, file paths, variant names,
 * descriptions) replaced by markup that would run script or fetch something if it were ever parsed as
 * HTML. Ids are left alone (they only join data). A correct report shows these strings as text.
 */
import type { ReportInput } from '../model/report.js';
import { canaryReportInput } from './canaryFixture.js';

/** Payloads: a script element, an image whose error handler runs (and which would fetch `x`), and a script-element breakout. */
export const XSS = {
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror=alert(2)>',
  breakout: '</script><script>alert(3)</script><!--',
} as const;

const TEXT_KEYS = new Set(['title', 'description', 'label', 'detail', 'file', 'object', 'scenario', 'generator', 'pod', 'subject', 'request']);

function poison(value: unknown, key: string, path: string): unknown {
  if (typeof value === 'string') {
    if (key === 'name' && path.startsWith('variants[')) return `${XSS.script}${path.slice(9, path.indexOf(']'))}`;
    if (!TEXT_KEYS.has(key)) return value;
    return key === 'file' || key === 'object' ? `${XSS.img}${value}` : key === 'description' ? `${XSS.breakout} ${value}` : `${XSS.script}${value}`;
  }
  if (Array.isArray(value)) return value.map((v, i) => poison(v, key, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, k, path === '' ? k : `${path}.${k}`)]));
  }
  return value;
}

/** The poisoned canary report. */
export function xssReportInput(): ReportInput {
  const input = poison(canaryReportInput(), '', '') as ReportInput;
  return { ...input, notes: [`${XSS.img} note`] };
}
