/**
 * The Content-Security-Policy of meshsim's self-contained pages (the report and the classroom): only the
 * page's own inline script and stylesheet run, admitted by hash, and nothing may be fetched, framed,
 * submitted or started as a worker — so even a string that escaped escaping could neither run nor load
 * anything.
 */
import { createHash } from 'node:crypto';

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The policy of a page whose only script and stylesheet are `script` and `style`. */
export function selfContainedCsp(script: string, style: string): string {
  return [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    "img-src 'none'",
    "font-src 'none'",
    "connect-src 'none'",
    "worker-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
