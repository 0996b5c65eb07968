/** `validateStringMatch` / `validateStringMatchRegexp` (StringMatch of VirtualService matches and CORS origins). */
import type { FieldPath } from '../../k8s/object.js';
import type { IssueList } from '../../k8s/validation/issue.js';
import { obj, present, str, validateRegex } from './common.js';

/** `validateStringMatch`: non-empty prefix, non-empty RE2 regex (`regexOnly`: `validateStringMatchRegexp`). */
export function validateStringMatch(
  sm: unknown,
  where: string,
  path: FieldPath,
  out: IssueList,
  regexOnly = false,
): void {
  const m = obj(sm);
  if (m === undefined) return;
  if (!regexOnly && present(m['prefix']) && str(m['prefix']) === '') {
    out.error([...path, 'prefix'], `${JSON.stringify(where)}: prefix string match should not be empty`);
  }
  if (present(m['regex'])) {
    const re = str(m['regex']);
    const e = re === '' ? `${JSON.stringify(where)}: regex string match should not be empty` : validateRegex(re, where);
    if (e !== undefined) out.error([...path, 'regex'], e);
  }
}
