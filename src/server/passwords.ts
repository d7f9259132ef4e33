/** Kept for the server's tests: the password helpers live in src/accounts. */
export { hashPassword, verifyPassword, generatePassword } from '../accounts/index.js';
