import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLifeCircleError } from '../errors.js';
import { cliViewer } from '../policy/index.js';
import { openTemporaryStore } from '../store/index.js';
import { manualClock } from '../time/index.js';
import { importPlanDocument } from './commands.js';
import { parsePlanText, requirePlanStructure } from './parse-plan.js';

/** Synthetic text with sentences and no numbering: what a wrong file sent as a plan looks like. */
const WEATHER = [
  '今天成都多云转小雨，气温十二到十八摄氏度。',
  '傍晚起风力逐渐加大，市民出行请携带雨具。',
  '明天白天阴有小雨，夜间转多云。',
  '后天起气温回升，空气质量以良为主。',
  '气象台提醒，雨天路滑，驾车请减速慢行。',
].join('\n');

const PLAN = [
  '成都市锦江区一刻钟便民生活圈建设行动方案',
  '一、总体要求',
  '到2025年，建成一刻钟便民生活圈10个。',
  '二、重点任务',
  '（一）补齐社区商业设施短板。新建改造社区菜市场5个。（责任单位：区商务局）',
].join('\n');

test('a text with no numbered measures is refused with LC_PLAN_NO_STRUCTURE naming the file', () => {
  const parsed = parsePlanText(WEATHER, { fileName: '天气.txt' });
  assert.throws(
    () => requirePlanStructure(parsed),
    (error: Error) =>
      isLifeCircleError(error) &&
      error.code === 'LC_PLAN_NO_STRUCTURE' &&
      error.message.startsWith('天气.txt: no numbered measures'),
  );
  const plan = parsePlanText(PLAN, { fileName: '方案.txt' });
  assert.equal(requirePlanStructure(plan), plan);
});

test('plans.import stores nothing and audits nothing for such a text', async () => {
  const clock = manualClock('2026-03-16T10:00:00+08:00');
  const { store, dispose } = await openTemporaryStore({ clock });
  const deps = { store, clock, cityCode: '5101' };
  await assert.rejects(
    importPlanDocument(deps, cliViewer('tester'), { text: WEATHER, title: '天气' }),
    (error: Error) => isLifeCircleError(error) && error.code === 'LC_PLAN_NO_STRUCTURE',
  );
  assert.deepEqual((await store.plans.listPlans()).length, 0);
  assert.equal((await store.audit.list({})).total, 0);
  const { stored } = await importPlanDocument(deps, cliViewer('tester'), { text: PLAN, title: '方案' });
  assert.equal(stored.title, '成都市锦江区一刻钟便民生活圈建设行动方案');
  await dispose();
});
