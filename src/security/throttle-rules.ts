import type { Config } from '../config.js';
import type { ThrottleRule } from './throttle-policy.js';

export interface ThrottleRules {
  account: ThrottleRule;
  loginIp: ThrottleRule;
  protocolIp: ThrottleRule;
}

export function throttleRules(config: Config): ThrottleRules {
  const rule = (maxFailures: number): ThrottleRule => ({
    maxFailures, windowSeconds: config.THROTTLE_WINDOW_SECONDS,
    baseLockSeconds: config.LOCKOUT_BASE_SECONDS, maxLockSeconds: config.LOCKOUT_MAX_SECONDS,
  });
  return {
    account: rule(config.LOGIN_MAX_FAILURES_PER_ACCOUNT),
    loginIp: rule(config.LOGIN_MAX_FAILURES_PER_IP),
    protocolIp: rule(config.PROTOCOL_MAX_FAILURES_PER_IP),
  };
}
