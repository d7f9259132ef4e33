import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { isLifeCircleError } from '../errors.js';
import { cliViewer, type Viewer } from '../policy/index.js';
import { openTemporaryStore, type Store, type TemporaryStore } from '../store/index.js';
import { manualClock } from '../time/index.js';
import {
  buildMonitoringReport,
  DICTIONARIES,
  generateMonitoringReport,
  type MonitoringReport,
  type StoredPlace,
} from './index.js';
import { communityMapSvg } from './map-svg.js';
import { findReportFont, REPORT_FONT_VARIABLE } from './raster.js';
import { renderHtml } from './render-html.js';
import { RUN_1_COMMUNITIES, RUN_2_COMMUNITIES, seedTestCity, STORE_COMMUNITIES } from './test-city.js';

/**
 * The monitoring report on the SYNTHETIC city of test-city.ts. Every expected number is worked out by hand from the
 * table at the top of that file (the working is in the comments), never recomputed with the code under test.
 */
const clock = manualClock('2026-03-16T02:00:00Z');
let temp: TemporaryStore;
let store: Store;
let runs: Awaited<ReturnType<typeof seedTestCity>>;
const deps = () => ({ store, clock, cityCode: '5101' });
const admin = cliViewer('test');
let staffId = 0;
const staff = (regionCode: string): Viewer => ({
  id: staffId,
  username: `staff-${regionCode}`,
  displayName: '合成账户',
  role: 'staff',
  department: '区民政局',
  domains: [],
  regionCode,
  providerUscc: null,
});

before(async () => {
  temp = await openTemporaryStore({ divisions: true, clock });
  store = temp.store;
  runs = await seedTestCity(store);
  // The audit log names the account: the staff viewer is a real (synthetic) account.
  staffId = (
    await store.users.create({
      username: 'staff-510104',
      displayName: '合成账户',
      role: 'staff',
      department: '区民政局',
      domains: [],
      regionCode: '510104',
      providerUscc: null,
      disabled: false,
      passwordHash: 'unused',
    })
  ).id;
});
after(async () => {
  await store?.close();
  await temp?.dispose();
});

const places = new Map<string, StoredPlace>(
  STORE_COMMUNITIES.map((c) => [
    c.code,
    { regionCode: c.regionCode, boundary: c.boundary, location: c.location },
  ]),
);
const build = (region: { code: string; name: string }, mapType: string | null = null, previous = true) =>
  buildMonitoringReport({
    city: { code: '5101', name: '成都市' },
    region,
    run: { ...runs.run2, results: runs.run2.results },
    previous: previous ? runs.run1 : null,
    places,
    mapType,
    generatedAt: '2026-03-16T02:00:00Z',
    preparedBy: { name: '市发展改革委', nameEn: 'Municipal Development and Reform Commission' },
  });
const CITY = { code: '5101', name: '成都市' };
const JINJIANG = { code: '510104', name: '锦江区' };
const round3 = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);

describe('the figures', () => {
  test('the city: coverage by tier and by type equal the hand-computed shares', () => {
    const r = build(CITY);
    assert.equal(r.communities, 5);
    assert.equal(r.communitiesOnNetwork, 4); // B3 is off the network
    assert.equal(r.population, 6600); // 1000 + 3000 + 2000 + 500 + 100
    // 5 min = clinic covered: A1, B1, B2 → 3/5, residents 3500/6600; 10 min also the kindergarten: A1, B2 → 2/5,
    // 1500/6600; 15 min all three: B2 → 1/5, 500/6600.
    assert.deepEqual(
      r.tiers.map((t) => [
        t.tier,
        t.completeCommunities,
        t.communityShare,
        t.completePopulation,
        round3(t.populationShare),
      ]),
      [
        ['five-minute', 3, 0.6, 3500, 0.53],
        ['ten-minute', 2, 0.4, 1500, 0.227],
        ['fifteen-minute', 1, 0.2, 500, 0.076],
      ],
    );
    // clinic: demand 6600, covered 1000 + 2000 + 500; kindergarten: 40+120+80+20+4 = 264, covered 40+120+20 = 180;
    // middle school: 30+90+60+15+3 = 198, covered 90+15 = 105.
    assert.deepEqual(
      r.types.map((t) => [
        t.id,
        t.coveredCommunities,
        t.communityShare,
        t.demand,
        t.coveredDemand,
        round3(t.demandShare),
      ]),
      [
        ['clinic', 3, 0.6, 6600, 3500, 0.53],
        ['kindergarten', 3, 0.6, 264, 180, 0.682],
        ['middle-school', 2, 0.4, 198, 105, 0.53],
      ],
    );
  });

  test('a 区: only its communities, found by their register code', () => {
    const r = build(JINJIANG);
    assert.deepEqual(
      r.rows.map((c) => c.code),
      ['T-A1', 'T-A2'],
    );
    assert.equal(r.population, 4000);
    // clinic A1 only: 1/2, residents 1000/4000; kindergarten both: 160/160; middle school A2: 90/120.
    assert.deepEqual(
      r.types.map((t) => [t.id, t.coveredCommunities, t.communityShare, t.demandShare]),
      [
        ['clinic', 1, 0.5, 0.25],
        ['kindergarten', 2, 1, 1],
        ['middle-school', 1, 0.5, 0.75],
      ],
    );
    assert.deepEqual(
      r.tiers.map((t) => [t.tier, t.completeCommunities, t.populationShare]),
      [
        ['five-minute', 1, 0.25],
        ['ten-minute', 1, 0.25],
        ['fifteen-minute', 0, 0],
      ],
    );
  });

  test('the worst-served communities are ordered by residents not covered, summed over the types', () => {
    const r = build(CITY);
    // A2: clinic 3000; B1: kindergarten 80 + middle school 60 = 140; B3: 100 + 4 + 3 = 107; A1: middle school 30;
    // B2 lacks nothing and is not listed.
    assert.deepEqual(
      r.worst.map((w) => [w.rank, w.code, w.uncoveredPopulation, w.uncoveredTypes, w.district]),
      [
        [1, 'T-A2', 3000, ['clinic'], '锦江区'],
        [2, 'T-B1', 140, ['kindergarten', 'middle-school'], '青羊区'],
        [3, 'T-B3', 107, ['clinic', 'kindergarten', 'middle-school'], '青羊区'],
        [4, 'T-A1', 30, ['middle-school'], '锦江区'],
      ],
    );
    // One type chosen: the kindergarten's gaps alone — B1 80, B3 4.
    assert.deepEqual(
      build(CITY, 'kindergarten').worst.map((w) => [w.code, w.uncoveredPopulation]),
      [
        ['T-B1', 80],
        ['T-B3', 4],
      ],
    );
  });

  test('the changes since the previous run: per type and per community', () => {
    const c = build(CITY).changes!;
    assert.equal(c.previousRun.id, runs.run1.id);
    // Run 1 covered — clinic: A1, B1, B2 (3 of 5 with C1); kindergarten: A2, B2 (2); middle school: B1, B2 (2).
    // Run 2 — clinic 3, kindergarten 3, middle school 2 (A2, B2). Kindergarten residents before: 276, covered 140.
    assert.deepEqual(
      c.types.map((t) => [t.id, t.before?.coveredCommunities, t.after?.coveredCommunities, t.coveredDelta]),
      [
        ['clinic', 3, 3, 0],
        ['kindergarten', 2, 3, 1],
        ['middle-school', 2, 2, 0],
      ],
    );
    assert.equal(round3(c.types[1]!.before!.demandShare), 0.507);
    assert.equal(c.types[1]!.before!.communityShare, 0.4);
    // B1 lost the middle school (listed first: losses first); A1 gained the kindergarten, A2 the middle school.
    assert.deepEqual(
      c.communities.map((x) => [x.code, x.gained, x.lost]),
      [
        ['T-B1', [], ['middle-school']],
        ['T-A1', ['kindergarten'], []],
        ['T-A2', ['middle-school'], []],
      ],
    );
    assert.deepEqual([c.added, c.removed], [1, 1]); // B3 new, C1 gone
    // 锦江区 alone: C1 (青羊区, no longer registered) is not counted there.
    const jj = build(JINJIANG).changes!;
    assert.deepEqual([jj.added, jj.removed], [0, 0]);
    assert.deepEqual(
      jj.types.map((t) => [t.id, t.before?.communityShare, t.after?.communityShare]),
      [
        ['clinic', 0.5, 0.5],
        ['kindergarten', 0.5, 1],
        ['middle-school', 0, 0.5],
      ],
    );
  });

  test('the map classes: one type by radius and twice the radius, or the share of types covered', () => {
    const byType = build(CITY, 'kindergarten').map.map((m) => [m.code, m.class]);
    // kindergarten r = 500: B1's nearest 900 m is within 1000 m; B3 is off the network.
    assert.deepEqual(byType, [
      ['T-A1', 'covered'],
      ['T-A2', 'covered'],
      ['T-B1', 'near'],
      ['T-B2', 'covered'],
      ['T-B3', 'off-network'],
    ]);
    // Shares: A1 2/3, A2 2/3 (≥ 50 %), B1 1/3 (< 50 %), B2 3/3.
    assert.deepEqual(
      build(CITY).map.map((m) => m.class),
      ['half', 'half', 'few', 'all', 'off-network'],
    );
  });

  test('the map: every community drawn, and the scale bar agrees with a community of known width', () => {
    const svg = communityMapSvg(build(CITY, 'kindergarten').map, DICTIONARIES.en, {
      title: 'map',
      classes: ['covered', 'near', 'uncovered', 'off-network'],
    });
    const paths = [
      ...svg.matchAll(/<path d="([^"]*)" fill="[^"]*" stroke="#555"[^>]*><title>([^<]*)<\/title>/g),
    ];
    assert.equal(paths.length, 5);
    // A1's outline is 0.004° of longitude wide at 30.650–30.654° N: R·cos φ·Δλ = 6 371 008.8 m × cos 30.652° ×
    // 0.004 × π/180 = 382.6 m on the ground.
    const xs = [...paths[0]![1]!.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => Number(m[1]));
    const widthPx = Math.max(...xs) - Math.min(...xs);
    const metres = 6_371_008.8 * Math.cos((30.652 * Math.PI) / 180) * ((0.004 * Math.PI) / 180);
    const bar = /<g class="scale-bar" data-metres="(\d+)" data-pixels="([\d.]+)">/.exec(svg)!;
    const barPxPerM = Number(bar[2]) / Number(bar[1]);
    assert.ok(Math.abs(widthPx / metres / barPxPerM - 1) < 0.005, `${widthPx / metres} px/m vs ${barPxPerM}`);
    assert.match(svg, /© OpenStreetMap contributors \(ODbL 1\.0\)/);
    assert.match(svg, /a facility within twice the radius \(1\)/); // B1, the legend counts each class
  });

  test('no previous run: no changes, and the report says so', () => {
    const r = build(CITY, null, false);
    assert.equal(r.changes, null);
    assert.match(renderHtml(r, 'en'), /none \(this is the first analysis of the city\)/);
  });
});

/** Every Han character of a text, after removing the names that come from the data. */
function hanOutsideData(html: string, report: MonitoringReport): string[] {
  const names = [
    report.city.name,
    report.region.name,
    ...report.rows.flatMap((r) => [r.name, r.district ?? '', r.subdistrict ?? '']),
    ...report.caveats,
  ].filter(Boolean);
  let text = html
    // Cells and list items marked as data (names, citations quoted from the standards table).
    .replace(/<(td|li|span)[^>]*class="[^"]*\bdata\b[^"]*"[^>]*>[\s\S]*?<\/\1>/g, '')
    // The map's hover titles name communities.
    .replace(/<title>[^<]*<\/title>/g, '');
  for (const n of names.sort((a, b) => b.length - a.length)) text = text.split(n).join('');
  return text.match(/\p{Script=Han}+/gu) ?? [];
}

describe('the files', () => {
  test('the Chinese city report: HTML figures with a legend each, DOCX headings and numbers, XLSX read back', async () => {
    const record = await generateMonitoringReport(deps(), admin, { region: '5101', lang: 'zh', type: null });
    assert.equal(record.runId, runs.run2.id);
    assert.equal(record.previousRunId, runs.run1.id);
    assert.equal(record.title, '成都市一刻钟便民生活圈监测评价报告');

    const html = new TextDecoder().decode((await store.monitoringReports.file(record.id, 'html'))!);
    assert.match(html, /@page \{ size: A4 portrait/);
    assert.match(html, /成都市/);
    assert.match(html, new RegExp(`第 ${runs.run2.id} 次分析`));
    assert.match(html, /© OpenStreetMap contributors/);
    assert.match(html, /GB 50180-2018/);
    // Tier table: 3 / 5 complete at 5 minutes = 60.0 %, residents 53.0 %.
    assert.match(
      html,
      /<tr><td>5分钟生活圈<\/td>.*<td class="num">3 \/ 5<\/td><td class="num">60\.0%<\/td><td class="num">53\.0%<\/td><\/tr>/,
    );
    // Kindergarten: 3 / 5, 60.0 %, residents 68.2 %.
    assert.match(
      html,
      /<tr><td>幼儿园<\/td>.*<td class="num">3 \/ 5<\/td><td class="num">60\.0%<\/td><td>3–6岁幼儿<\/td><td class="num">68\.2%<\/td><\/tr>/,
    );
    // Every figure carries its legend: the map its own legend group, each chart the names of its series.
    const figures = [
      ...html.matchAll(/<figure id="([^"]+)" class="figure" data-kind="(map|chart)">([\s\S]*?)<\/figure>/g),
    ];
    assert.deepEqual(
      figures.map((f) => f[1]),
      ['tier-chart', 'type-chart', 'coverage-map', 'change-chart'],
    );
    for (const [, id, kind, body] of figures) {
      if (kind === 'map') {
        assert.match(body!, /<g class="legend">/, id);
        assert.match(body!, /<g class="scale-bar"/, id);
        assert.match(body!, /© OpenStreetMap contributors/, id);
      } else {
        const series =
          id === 'change-chart'
            ? ['上次', '本次']
            : id === 'tier-chart'
              ? ['社区覆盖率', '人口覆盖率']
              : ['社区覆盖率', '服务人群覆盖率'];
        for (const s of series)
          assert.match(body!, new RegExp(`<text[^>]*>${s}</text>`), `${id}: legend ${s}`);
      }
    }

    const zip = await JSZip.loadAsync((await store.monitoringReports.file(record.id, 'docx'))!);
    const xml = await zip.file('word/document.xml')!.async('string');
    for (const heading of [
      '二、分层级覆盖（5、10、15分钟生活圈）',
      '五、服务最薄弱的社区',
      '六、与上次分析相比的变化',
    ])
      assert.ok(xml.includes(heading), heading);
    assert.ok(xml.includes('68.2%'));
    assert.ok(xml.includes('甲二小区（虚构）'));
    assert.ok(xml.includes('3,000')); // A2's residents not covered
    // The HTML's four figures as PNG pictures where the server has a CJK font (CI does; render-docx.test.ts checks
    // the pictures), else none and a note saying why.
    const pictures = Object.keys(zip.files).filter((f) => /^word\/media\/.+\.png$/.test(f));
    assert.equal(pictures.length, findReportFont().found ? 4 : 0);
    assert.equal(xml.includes('服务器未找到中文字体'), !findReportFont().found);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from((await store.monitoringReports.file(record.id, 'xlsx'))!) as never);
    assert.deepEqual(
      workbook.worksheets.map((s) => s.name),
      [
        '字段说明',
        '报告信息',
        '分层级覆盖',
        '分类型覆盖',
        '服务薄弱社区',
        '类型变化',
        '社区变化',
        '社区明细',
      ],
    );
    const types = workbook.getWorksheet('分类型覆盖')!;
    assert.deepEqual((types.getRow(3).values as unknown[]).slice(1), [
      'kindergarten',
      '幼儿园',
      '10分钟生活圈',
      500,
      3,
      5,
      0.6,
      '3–6岁幼儿',
      0.6818, // 180 / 264
    ]);
    const worst = workbook.getWorksheet('服务薄弱社区')!;
    assert.deepEqual(
      [2, 3, 4, 5].map((i) => [worst.getRow(i).getCell(2).value, worst.getRow(i).getCell(7).value]),
      [
        ['T-A2', 3000],
        ['T-B1', 140],
        ['T-B3', 107],
        ['T-A1', 30],
      ],
    );
    const changes = workbook.getWorksheet('社区变化')!;
    assert.deepEqual((changes.getRow(2).values as unknown[]).slice(1), [
      'T-B1',
      '乙一小区（虚构）',
      '青羊区',
      '未关联',
      '',
      'middle-school',
    ]);
    // The field sheet names every column of every other sheet.
    const fields = workbook.getWorksheet('字段说明')!;
    const described = new Set<string>();
    fields.eachRow(
      (row, i) => i > 1 && described.add(`${String(row.getCell(1).value)}|${String(row.getCell(2).value)}`),
    );
    for (const sheet of workbook.worksheets.slice(1))
      for (const cell of (sheet.getRow(1).values as unknown[]).slice(1))
        assert.ok(described.has(`${sheet.name}|${String(cell)}`), `${sheet.name}: ${String(cell)}`);

    // One audit record, under the actor, naming the report.
    const audit = await store.audit.list({ entity: 'monitoring_reports', entityKey: String(record.id) });
    assert.equal(audit.total, 1);
    assert.equal(audit.items[0]!.actorName, 'cli:test');
  });

  test('without a CJK font the report is made all the same, its DOCX says why and the summary warns', async () => {
    const before = process.env[REPORT_FONT_VARIABLE];
    process.env[REPORT_FONT_VARIABLE] = '/nowhere/NotoSansCJK-Regular.ttc';
    try {
      const record = await generateMonitoringReport(deps(), admin, { region: '510104', lang: 'zh' });
      const warnings = (record.summary as { warnings?: string[] }).warnings ?? [];
      assert.equal(warnings.length, 1);
      assert.match(
        warnings[0]!,
        /DOCX has no maps or charts.*LIFECIRCLE_REPORT_FONT names \/nowhere\/NotoSansCJK-Regular\.ttc, which does not exist/,
      );
      const zip = await JSZip.loadAsync((await store.monitoringReports.file(record.id, 'docx'))!);
      assert.deepEqual(
        Object.keys(zip.files).filter((f) => f.startsWith('word/media/')),
        [],
      );
      assert.ok((await zip.file('word/document.xml')!.async('string')).includes('服务器未找到中文字体'));
    } finally {
      if (before === undefined) delete process.env[REPORT_FONT_VARIABLE];
      else process.env[REPORT_FONT_VARIABLE] = before;
    }
  });

  test('the English report holds no Chinese but names from the data', async () => {
    const record = await generateMonitoringReport(deps(), admin, {
      region: '510104',
      lang: 'en',
      type: 'kindergarten',
    });
    const html = new TextDecoder().decode((await store.monitoringReports.file(record.id, 'html'))!);
    assert.match(html, /<html lang="en">/);
    assert.match(html, /15-minute Life Circle Monitoring Report: 锦江区/);
    assert.match(html, /Kindergarten/);
    const report = build(JINJIANG, 'kindergarten');
    assert.deepEqual(hanOutsideData(html, report), []);
    // The department is named in English where the department list knows it (区民政局 → District Civil Affairs Bureau).
    const viaStaff = await generateMonitoringReport(deps(), staff('510104'), {
      region: '510104',
      lang: 'en',
    });
    const staffHtml = new TextDecoder().decode((await store.monitoringReports.file(viaStaff.id, 'html'))!);
    assert.match(staffHtml, /<th>Prepared by<\/th><td>District Civil Affairs Bureau<\/td>/);
    assert.deepEqual(hanOutsideData(staffHtml, build(JINJIANG)), []);
    const zip = await JSZip.loadAsync((await store.monitoringReports.file(record.id, 'docx'))!);
    const xml = await zip.file('word/document.xml')!.async('string');
    assert.ok(xml.includes('5. Worst-served communities'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from((await store.monitoringReports.file(record.id, 'xlsx'))!) as never);
    assert.equal(workbook.worksheets[0]!.name, 'Fields');
  });
});

describe('who may, and cancel', () => {
  const count = async () => (await store.monitoringReports.list()).total;

  test('staff report only on areas inside their region; residents and the public not at all', async () => {
    const jj = staff('510104');
    const before = await count();
    for (const region of ['510105', '5101'])
      await assert.rejects(
        generateMonitoringReport(deps(), jj, { region, lang: 'zh' }),
        (e) => isLifeCircleError(e) && e.code === 'LC_FORBIDDEN' && e.details === undefined,
      );
    const resident = { ...jj, role: 'resident' as const };
    await assert.rejects(
      generateMonitoringReport(deps(), resident, { region: '510104', lang: 'zh' }),
      (e) =>
        isLifeCircleError(e) &&
        e.code === 'LC_FORBIDDEN' &&
        (e.details as { permission: string }).permission === 'reports.generate',
    );
    await assert.rejects(
      generateMonitoringReport(deps(), { ...jj, role: 'public' }, { region: '510104', lang: 'zh' }),
      (e) => isLifeCircleError(e) && e.code === 'LC_AUTH_REQUIRED',
    );
    assert.equal(await count(), before);
  });

  test('a cancelled report keeps nothing: before it starts, and when the cancel comes while writing', async () => {
    const before = await count();
    const audits = (await store.audit.list({ entity: 'monitoring_reports' })).total;
    const stopped = new AbortController();
    stopped.abort();
    await assert.rejects(
      generateMonitoringReport(deps(), admin, { region: '5101', lang: 'zh', signal: stopped.signal }),
      (e) => isLifeCircleError(e) && e.code === 'LC_CANCELLED',
    );
    // The cancel arrives as the last step begins: the transaction has started and rolls back.
    const late = new AbortController();
    const phases: string[] = [];
    await assert.rejects(
      generateMonitoringReport(deps(), admin, {
        region: '5101',
        lang: 'zh',
        signal: late.signal,
        onProgress: (p) => {
          phases.push(p.phase!);
          if (p.phase === 'writing') late.abort();
        },
      }),
      (e) => isLifeCircleError(e) && e.code === 'LC_CANCELLED',
    );
    assert.deepEqual(phases, ['reading', 'figures', 'html', 'docx', 'xlsx', 'writing']);
    assert.equal(await count(), before);
    assert.equal((await store.audit.list({ entity: 'monitoring_reports' })).total, audits);
  });

  test('a type the run does not have, or a region outside the city, is refused', async () => {
    await assert.rejects(
      generateMonitoringReport(deps(), admin, { region: '5101', lang: 'zh', type: 'cinema' }),
      (e) => isLifeCircleError(e) && e.code === 'LC_USAGE' && /no facility type 'cinema'/.test(e.message),
    );
    await assert.rejects(
      generateMonitoringReport(deps(), admin, { region: '310101', lang: 'zh' }),
      (e) => isLifeCircleError(e) && e.code === 'LC_USAGE',
    );
  });
});

// The run tables the fixtures write are the ones the expectations above were worked out from.
test('the fixture runs are the documented tables', () => {
  assert.equal(RUN_2_COMMUNITIES.length, 5);
  assert.equal(RUN_1_COMMUNITIES.find((c) => c.id === 'T-C1')?.district, '青羊区');
});
