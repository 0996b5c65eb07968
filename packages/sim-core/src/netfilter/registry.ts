/**
 * The extensions meshsim implements, by name — what `-m NAME` and `-j NAME` can load. Anything else is
 * refused with an error naming the line, never ignored: a rule that silently matched nothing would
 * change what the simulated kernel decides.
 */
import type { MatchModule, TargetModule } from './extension.js';
import { addrtypeMatch } from './matches/addrtype.js';
import { commentMatch } from './matches/comment.js';
import { conntrackMatch } from './matches/conntrack.js';
import { connmarkMatch, markMatch } from './matches/mark.js';
import { multiportMatch } from './matches/multiport.js';
import { ownerMatch } from './matches/owner.js';
import { statisticMatch } from './matches/statistic.js';
import { tcpMatch, udpMatch } from './matches/tcpUdp.js';
import type { Match, Target } from './model.js';
import { ctTarget } from './targets/ct.js';
import { connmarkTarget, markTarget } from './targets/mark.js';
import { dnatTarget, masqueradeTarget, redirectTarget, snatTarget } from './targets/nat.js';
import { rejectTarget } from './targets/reject.js';
import { tproxyTarget } from './targets/tproxy.js';

const MATCHES: readonly MatchModule[] = [
  tcpMatch,
  udpMatch,
  multiportMatch,
  ownerMatch,
  statisticMatch,
  addrtypeMatch,
  conntrackMatch,
  markMatch,
  connmarkMatch,
  commentMatch,
] as unknown as readonly MatchModule[];

const TARGETS: readonly TargetModule[] = [
  redirectTarget,
  dnatTarget,
  snatTarget,
  masqueradeTarget,
  markTarget,
  connmarkTarget,
  ctTarget,
  tproxyTarget,
  rejectTarget,
] as unknown as readonly TargetModule[];

/** The match extension called `name`, if meshsim implements it. */
export function matchModule(name: string): MatchModule | undefined {
  return MATCHES.find((m) => m.name === name);
}

/** The module of a parsed match. */
export function moduleOf(match: Match): MatchModule {
  return matchModule(match.module) as MatchModule;
}

/** The target extension called `name`, if meshsim implements it. */
export function targetModule(name: string): TargetModule | undefined {
  return TARGETS.find((t) => t.name === name);
}

/** The module of a parsed extension target (not ACCEPT/DROP/RETURN/jump/goto/none). */
export function targetModuleOf(target: Target): TargetModule | undefined {
  return targetModule(target.kind);
}

/** Names of the supported match extensions, for error messages. */
export const MATCH_NAMES: readonly string[] = MATCHES.map((m) => m.name);
/** Names of the supported targets (standard and extensions), for error messages. */
export const TARGET_NAMES: readonly string[] = ['ACCEPT', 'DROP', 'RETURN', ...TARGETS.map((t) => t.name)];
