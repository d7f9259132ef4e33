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
