/**
 * Mainland mobile numbers, the personal data every resident account carries (个人信息保护法): the one pattern
 * accounts accept and the one mask every public view and the audit log show.
 */

/** An 11-digit mainland mobile number (1 + 10 digits). */
export const MAINLAND_MOBILE = /^1\d{10}$/;

/** 138****5678: keeps the operator prefix and the last four digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}
