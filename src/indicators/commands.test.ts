import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Viewer } from '../policy/index.js';
import { indicatorByCode, reportProblem } from './index.js';

const viewer = (role: Viewer['role'], department: string | null, regionCode: string | null): Viewer => ({
  id: 7,
  username: 'u',
  displayName: 'U',
  role,
  department,
  domains: [],
  regionCode,
  providerUscc: null,
});

test('who may report an indicator where: the one scope rule for the region, the catalogue owner for the indicator', () => {
  const culture = indicatorByCode('public-culture-visits-per-10000');
  assert.ok(culture);
  const wlj = viewer('staff', '锦江区文化和旅游局', '510104');
  assert.equal(reportProblem(wlj, culture, '510104'), null);
  assert.equal(reportProblem(wlj, culture, '51010401'), null, 'division codes nest by prefix');
  assert.equal(
    reportProblem(wlj, culture, '510105'),
    '锦江区文化和旅游局 reports in region 510104, not 510105',
  );
  assert.equal(reportProblem(wlj, culture, '5101'), '锦江区文化和旅游局 reports in region 510104, not 5101');
  assert.equal(
    reportProblem(viewer('staff', '锦江区民政局', '510104'), culture, '510104'),
    `${culture.zh} is reported by 文化和旅游局, not 锦江区民政局`,
  );
  assert.equal(
    reportProblem(viewer('staff', '市文化和旅游局', null), culture, '510105'),
    null,
    'a city department',
  );
  assert.equal(reportProblem(viewer('administrator', null, null), culture, '510105'), null);
});
