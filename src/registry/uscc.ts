/**
 * 统一社会信用代码 (unified social credit code) per GB 32100-2015: 18 characters from a 31-character set,
 * position 18 a check character over positions 1–17 (GB/T 17710, MOD 31), and positions 9–17 the 组织机构代码
 * whose 9th character is its own check digit (GB 11714, MOD 11). Algorithm and weights: reference/standards.md §6,
 * verified against hutool CreditCodeUtil and the vectors in fixtures/uscc_vectors.json.
 */

export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** W_i = 3^(i−1) mod 31, i = 1..17. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export type UsccProblem = 'length' | 'charset' | 'check' | 'org_check';

export type UsccVerdict =
  | {
      valid: true;
      code: string;
      registrationDept: string;
      orgType: string;
      regionCode: string;
      orgCode: string;
    }
  | { valid: false; code: string; problem: UsccProblem; message: string };

/** The GB 32100 check character for the first 17 characters (which must be in the charset). */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return USCC_CHARSET[(31 - (sum % 31)) % 31];
}

/** The GB 11714 check character for the 8-character body of an organization code. */
export function orgCodeCheckChar(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body8[i];
    const value = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55; // A–Z → 10–35
    sum += value * ORG_WEIGHTS[i];
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** Checks a code; surrounding spaces are ignored and lower case is accepted (people type it so). */
export function validateUscc(input: string): UsccVerdict {
  const code = input.trim().toUpperCase();
  if (code.length !== 18) {
    const hint = /E\+?\d+$/.test(code)
      ? ' (it looks like a number in scientific notation: format the column as text)'
      : '';
    return {
      valid: false,
      code,
      problem: 'length',
      message: `expected 18 characters, got ${code.length}${hint}`,
    };
  }
  for (let i = 0; i < 18; i++) {
    if (!USCC_CHARSET.includes(code[i]))
      return {
        valid: false,
        code,
        problem: 'charset',
        message: `character ${i + 1} '${code[i]}' is not allowed (digits and A–Z except I, O, S, V, Z)`,
      };
  }
  const expected = usccCheckChar(code.slice(0, 17));
  if (code[17] !== expected)
    return {
      valid: false,
      code,
      problem: 'check',
      message: `check character is '${code[17]}', expected '${expected}'`,
    };
  const orgExpected = orgCodeCheckChar(code.slice(8, 16));
  if (code[16] !== orgExpected)
    return {
      valid: false,
      code,
      problem: 'org_check',
      message: `组织机构代码 check character (position 17) is '${code[16]}', expected '${orgExpected}'`,
    };
  return {
    valid: true,
    code,
    registrationDept: code[0],
    orgType: code[1],
    regionCode: code.slice(2, 8),
    orgCode: code.slice(8, 17),
  };
}
