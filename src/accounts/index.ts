/**
 * Accounts: users, passwords and sessions. The commands (create and change users, log in and out) are the one
 * way these change, from the API and the command line alike; each is audited, failed logins and lockouts too.
 */
export { createUser, updateUser, login, logout, unlockLogin, userRecord } from './commands.js';
export type { CreateUserInput, UpdateUserInput, LoginInput, OpenedSession } from './commands.js';
export { hashPassword, verifyPassword, generatePassword } from './passwords.js';
export { MAINLAND_MOBILE, maskPhone } from './phone.js';
export {
  DEFAULT_LOGIN_THROTTLE,
  DEFAULT_SESSION_TTL_MINUTES,
  LoginThrottle,
  bearerToken,
  hashToken,
} from './sessions.js';
export type { LoginDelay, LoginThrottleConfig, ThrottleRule } from './sessions.js';
