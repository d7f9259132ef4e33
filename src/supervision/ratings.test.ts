import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  acceptRating,
  maskPhone,
  maskPhonesInText,
  presentRating,
  ratingKey,
  type RatingInput,
} from './ratings.js';
import { REAL_USCC, buildRating } from './test-helpers.js';

function input(overrides: Partial<RatingInput> = {}): Partial<RatingInput> {
  return {
    id: 'r-1',
    accountId: 'acct-7f3a',
    outletId: 'outlet-shuijingfang-canteen',
    providerUscc: REAL_USCC.tencent,
    serviceType: 'community-canteen',
    regionCode: '510104017001',
    eventId: 'meal-2026-03-10-0012',
    level: 'very_dissatisfied',
    tags: ['饭菜凉'],
    text: '午餐送到时已经凉了',
    channel: 'mobile',
    createdAt: '2026-03-10T04:30:00Z',
    ...overrides,
  };
}

test('a bad rating (非常不满意) is accepted and opens a case', () => {
  const result = acceptRating(input(), new Map());
  assert.equal(result.ok, true);
  assert.equal(result.ok && result.opensCase, true);
});

test('a 基本满意 rating does not open a case', () => {
  const result = acceptRating(input({ level: 'basically_satisfied' }), new Map());
  assert.equal(result.ok && result.opensCase, false);
});

test('the same account cannot rate the same service event twice', () => {
  const first = input();
  const taken = new Map([[ratingKey(first as RatingInput), 'r-1']]);
  const second = acceptRating(input({ id: 'r-2', level: 'satisfied' }), taken);
  assert.deepEqual(second, { ok: false, reason: 'duplicate', existingId: 'r-1' });
});

test('another account may rate the same service event', () => {
  const taken = new Map([[ratingKey(input() as RatingInput), 'r-1']]);
  assert.equal(acceptRating(input({ id: 'r-2', accountId: 'acct-other' }), taken).ok, true);
});

test('an invalid input names each bad field and what was expected', () => {
  const result = acceptRating(
    input({ level: 'great' as never, regionCode: '5101', contactPhone: '12345' }),
    new Map(),
  );
  assert.equal(result.ok, false);
  assert.ok(!result.ok && result.reason === 'invalid');
  const fields = !result.ok && result.reason === 'invalid' ? result.problems.map((p) => p.field).sort() : [];
  assert.deepEqual(fields, ['contactPhone', 'level', 'regionCode']);
});

test('phone numbers are masked to 3 + 4 digits', () => {
  assert.equal(maskPhone('13812345678'), '138****5678');
});

test('phone numbers typed into free text are masked too', () => {
  assert.equal(maskPhonesInText('请打 138-1234-5678 联系我'), '请打 138****5678 联系我');
});

test('only the handler sees the resident phone in full', () => {
  const rating = buildRating({ contactPhone: '13912345678', text: '电话13912345678' });
  assert.equal(presentRating(rating, 'handler').contactPhone, '13912345678');
  assert.equal(presentRating(rating, 'department').contactPhone, '139****5678');
  assert.equal(presentRating(rating, 'provider').text, '电话139****5678');
});

test('the public view carries neither the account nor any phone', () => {
  const view = presentRating(buildRating({ contactPhone: '13912345678' }), 'public');
  assert.equal('contactPhone' in view, false);
  assert.equal('accountId' in view, false);
});

test('every view names the level in Chinese first and in English', () => {
  const view = presentRating(buildRating({ level: 'basically_satisfied' }), 'public');
  assert.deepEqual([view.levelZh, view.levelEn], ['基本满意', 'Basically satisfied']);
});

test('tags are stored as the vocabulary’s codes: a code, or its Chinese label; a resident’s own tag as written', () => {
  const result = acceptRating(
    input({ tags: ['服务态度', 'waiting', ' 饭菜凉 ', 'attitude', ''] }),
    new Map(),
  );
  assert.ok(result.ok);
  // 服务态度 and attitude are one tag; the empty one is dropped; the resident's own words are kept, trimmed.
  assert.deepEqual(result.rating.tags, ['attitude', 'waiting', '饭菜凉']);
});

test('a rating stored with a Chinese label (before codes) is presented with the code', () => {
  const result = acceptRating(input(), new Map());
  assert.ok(result.ok);
  const stored = { ...result.rating, tags: ['环境卫生', '饭菜凉'] };
  assert.deepEqual(presentRating(stored, 'public').tags, ['hygiene', '饭菜凉']);
});
