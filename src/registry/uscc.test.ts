import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { orgCodeCheckChar, usccCheckChar, validateUscc } from './uscc.js';

interface Vectors {
  valid: {
    code: string;
    expected_check: string;
    org_expected_check: string;
    region_code: string;
    org_code: string;
  }[];
  invalid: { code: string; reason: string }[];
}
const vectors = JSON.parse(readFileSync('src/registry/fixtures/uscc_vectors.json', 'utf8')) as Vectors;

test('every valid vector passes both the GB 32100 and the GB 11714 check', () => {
  assert.equal(vectors.valid.length, 6);
  for (const v of vectors.valid) {
    const verdict = validateUscc(v.code);
    assert.equal(verdict.valid, true, `${v.code}: ${verdict.valid ? '' : verdict.message}`);
  }
});

test('the computed check characters equal the expected ones of every valid vector', () => {
  for (const v of vectors.valid) {
    assert.equal(usccCheckChar(v.code.slice(0, 17)), v.expected_check, v.code);
    assert.equal(orgCodeCheckChar(v.code.slice(8, 16)), v.org_expected_check, v.code);
  }
});

test('a valid code is split into department, type, region and organization code', () => {
  const verdict = validateUscc(vectors.valid[0].code);
  assert.ok(verdict.valid);
  assert.equal(verdict.regionCode, vectors.valid[0].region_code);
  assert.equal(verdict.orgCode, vectors.valid[0].org_code);
});

test('every invalid vector is rejected', () => {
  assert.equal(vectors.invalid.length, 5);
  for (const v of vectors.invalid) assert.equal(validateUscc(v.code).valid, false, `${v.code} (${v.reason})`);
});

test('rejections name the problem: length, charset, check character', () => {
  const problems = Object.fromEntries(
    vectors.invalid.map((v) => {
      const verdict = validateUscc(v.code);
      return [v.code, verdict.valid ? 'valid' : verdict.problem];
    }),
  );
  assert.equal(problems['91110000710925462'], 'length');
  assert.equal(problems['9111000071092546IX'], 'charset');
  assert.equal(problems['914403001922038210'], 'check');
  const wrong = validateUscc('914403001922038210');
  assert.ok(!wrong.valid && wrong.message.includes("expected '6'"));
});

test('a code with a right final check but a wrong organization-code check is rejected', () => {
  // Change position 17 of Huawei's code and recompute position 18 so only the GB 11714 check fails.
  const body = '91440300192203821'.slice(0, 16) + '5';
  const code = body + usccCheckChar(body);
  const verdict = validateUscc(code);
  assert.ok(!verdict.valid && verdict.problem === 'org_check', JSON.stringify(verdict));
});

test('lower case and surrounding spaces are accepted; Excel scientific notation gets a hint', () => {
  assert.equal(validateUscc(' 91110000710925462x ').valid, true);
  const sci = validateUscc('9.14403E+17');
  assert.ok(!sci.valid && sci.message.includes('scientific notation'));
});

// ---- Letters in the organization code, exact messages (kill the mutants of the last mutation run) ----

test('GB 11714 gives letters the values A = 10 … Z = 35: the published examples with letters are reproduced', () => {
  // GB 11714-1997 附录 B example, also in the test tables of several independent validators (wenerme/go-gb
  // gb11714_test.go, PHP OrgCode tests): body D2143569 → check X. By hand, weights 3 7 9 10 5 8 4 2:
  //   D=13·3 + 2·7 + 1·9 + 4·10 + 3·5 + 5·8 + 6·4 + 9·2 = 39+14+9+40+15+40+24+18 = 199;
  //   199 mod 11 = 1, 11 − 1 = 10 → 'X'.
  assert.equal(orgCodeCheckChar('D2143569'), 'X');
  // wenerme/go-gb gb11714_test.go: Sum("MA1FL0LY") == "9" (an MA… code, as issued since 2015). By hand:
  //   M=22·3 + A=10·7 + 1·9 + F=15·10 + L=21·5 + 0·8 + L=21·4 + Y=34·2 = 66+70+9+150+105+0+84+68 = 552;
  //   552 mod 11 = 2, 11 − 2 = 9.
  assert.equal(orgCodeCheckChar('MA1FL0LY'), '9');
});

test('the GB 32100-2015 附录 B example 91350100M000100Y43 is valid and split as the standard shows', () => {
  // USCC check by hand (values 0–9, A10 … M21 … Y30; weights of uscc_vectors.json):
  //   9·1 + 1·3 + 3·9 + 5·27 + 0·19 + 1·26 + 0·16 + 0·17 + M21·20 + 0·29 + 0·25 + 0·13 + 1·8 + 0·24 + 0·10
  //   + Y30·30 + 4·28 = 9+3+27+135+26+420+8+900+112 = 1640; 1640 mod 31 = 28; 31 − 28 = 3 → '3'.
  // Organization code M000100Y-4: M22·3 + 1·5 + Y34·2 = 66+5+68 = 139; 139 mod 11 = 7; 11 − 7 = 4.
  assert.equal(usccCheckChar('91350100M000100Y4'), '3');
  assert.deepEqual(validateUscc('91350100M000100Y43'), {
    valid: true,
    code: '91350100M000100Y43',
    registrationDept: '9',
    orgType: '1',
    regionCode: '350100',
    orgCode: 'M000100Y4',
  });
});

test('a wrong length is reported with the count, and the scientific-notation hint only for E±digits at the end', () => {
  const message = (code: string) => {
    const v = validateUscc(code);
    return v.valid ? 'valid' : `${v.problem}: ${v.message}`;
  };
  const hint = ' (it looks like a number in scientific notation: format the column as text)';
  // PetroChina's code with the check character left off: 17 characters, no hint.
  assert.equal(message('91110000710925462'), 'length: expected 18 characters, got 17');
  // Excel's display of 914403001922038216: '9.14403E+17' is 11 characters; some programs write no '+'.
  assert.equal(message('9.14403E+17'), `length: expected 18 characters, got 11${hint}`);
  assert.equal(message('9.14403E17'), `length: expected 18 characters, got 10${hint}`);
  // A code with one character left out that has an E followed by a digit inside it is not a number.
  assert.equal(message('91440300MA5E2LXQA'), 'length: expected 18 characters, got 17');
});

test('a character outside the set is named with its position, counted from 1', () => {
  const v = validateUscc('9111000071092546IX');
  assert.deepEqual(v.valid ? v : [v.problem, v.message], [
    'charset',
    "character 17 'I' is not allowed (digits and A–Z except I, O, S, V, Z)",
  ]);
  const first = validateUscc('O14403001922038216');
  assert.deepEqual(first.valid ? first : [first.problem, first.message], [
    'charset',
    "character 1 'O' is not allowed (digits and A–Z except I, O, S, V, Z)",
  ]);
});

test('a wrong organization-code check names position 17, the character found and the one expected', () => {
  // Huawei 914403001922038216 (weighted sum 831, org check '1', uscc_vectors.json) with position 17 changed
  // from 1 to 5: the sum grows by 4 × 28 = 112 to 943; 943 mod 31 = 13; 31 − 13 = 18 → 'J' (charset index 18),
  // so the final check passes and only the GB 11714 check fails, which still expects '1'.
  const v = validateUscc('91440300192203825J');
  assert.deepEqual(v.valid ? v : [v.problem, v.message], [
    'org_check',
    "组织机构代码 check character (position 17) is '5', expected '1'",
  ]);
});
