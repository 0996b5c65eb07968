/**
 * How the router names an upstream reset: `Http::Utility::resetReasonToString` for
 * `%RESPONSE_CODE_DETAILS%` (`upstream_reset_before_response_started{<reason>|<transport failure>}`, spaces
 * as underscores) and `streamResetReasonToResponseFlag` for `%RESPONSE_FLAGS%` (envoyproxy/envoy
 * source/common/http/utility.cc, source/common/router/router.cc).
 */
import type { ResponseFlag } from '../observability/responseFlags.js';
import type { StreamResetReason } from './retryState.js';

/** `Http::Utility::resetReasonToString`. */
export function resetReasonToString(reason: StreamResetReason): string {
  switch (reason) {
    case 'LocalConnectionFailure':
      return 'local connection failure';
    case 'RemoteConnectionFailure':
      return 'remote connection failure';
    case 'ConnectionTimeout':
      return 'connection timeout';
    case 'ConnectionTermination':
      return 'connection termination';
    case 'LocalReset':
      return 'local reset';
    case 'LocalRefusedStreamReset':
      return 'local refused stream reset';
    case 'Overflow':
      return 'overflow';
    case 'RemoteReset':
      return 'remote reset';
    case 'RemoteRefusedStreamReset':
      return 'remote refused stream reset';
    case 'ProtocolError':
      return 'protocol error';
    case 'OverloadManager':
      return 'overload manager reset';
  }
}

/** `Filter::streamResetReasonToResponseFlag`. */
export function streamResetReasonToResponseFlag(reason: StreamResetReason): ResponseFlag {
  switch (reason) {
    case 'LocalConnectionFailure':
    case 'RemoteConnectionFailure':
    case 'ConnectionTimeout':
      return 'UF';
    case 'ConnectionTermination':
      return 'UC';
    case 'LocalReset':
    case 'LocalRefusedStreamReset':
      return 'LR';
    case 'Overflow':
      return 'UO';
    case 'RemoteReset':
    case 'RemoteRefusedStreamReset':
      return 'UR';
    case 'ProtocolError':
      return 'UPE';
    case 'OverloadManager':
      return 'OM';
  }
}

/** `StringUtil::replaceAllEmptySpace`: spaces become underscores in response code details. */
export const noSpaces = (s: string): string => s.replace(/ /g, '_');
