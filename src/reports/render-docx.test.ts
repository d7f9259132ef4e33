import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { inflateSync } from 'node:zlib';
import JSZip from 'jszip';
import type { AnalysisRun } from '../store/index.js';
import { buildMonitoringReport, type StoredPlace } from './model.js';
import { findReportFont, REPORT_FONT_VARIABLE, svgToPng } from './raster.js';
import { renderDocx } from './render-docx.js';
import { renderHtml } from './render-html.js';
import { RUN_1_COMMUNITIES, RUN_2_COMMUNITIES, runResults, STORE_COMMUNITIES } from './test-city.js';

/**
 * The DOCX's pictures: the HTML's maps and charts drawn as PNG by resvg with the CJK font CI installs (Debian's
 * fonts-noto-cjk), and without a font a DOCX all the same that says why it has none.
 */
const run = (id: number, communities: typeof RUN_2_COMMUNITIES): AnalysisRun => ({
  id,
  kind: 'coverage',
  inputsHash: `${'0'.repeat(63)}${id}`,
  parameters: { source: 'store', cityCode: '5101' },
  results: runResults(communities),
  engineVersion: 'test',
  createdAt: '2026-03-1' + id + 'T02:00:00Z',
  createdBy: 'test',
});
const places = new Map<string, StoredPlace>(
  STORE_COMMUNITIES.map((c) => [
    c.code,
    { regionCode: c.regionCode, boundary: c.boundary, location: c.location },
  ]),
);
const report = (mapType: string | null = null) =>
  buildMonitoringReport({
    city: { code: '5101', name: '成都市' },
    region: { code: '5101', name: '成都市' },
    run: run(2, RUN_2_COMMUNITIES),
    previous: run(1, RUN_1_COMMUNITIES),
    places,
    mapType,
    generatedAt: '2026-03-16T02:00:00Z',
    preparedBy: { name: '市发展改革委', nameEn: 'Municipal Development and Reform Commission' },
  });

interface Png {
  width: number;
  height: number;
  /** RGBA, row by row. */
  rgba: Uint8Array;
}

/** A PNG as resvg writes it (8-bit RGBA, not interlaced), decoded by hand: its IHDR, then the filtered rows. */
function decodePng(bytes: Uint8Array): Png {
  const b = Buffer.from(bytes);
  assert.equal(b.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'PNG signature');
  assert.equal(b.toString('latin1', 12, 16), 'IHDR');
  const width = b.readUInt32BE(16);
  const height = b.readUInt32BE(20);
  assert.deepEqual([b[24], b[25], b[28]], [8, 6, 0], 'bit depth 8, RGBA, not interlaced');
  const idat: Buffer[] = [];
  for (let at = 8; at < b.length;) {
    const length = b.readUInt32BE(at);
    if (b.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(b.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const up = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      const paeth = () => {
        const p = a + up - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - up), Math.abs(p - c)];
        return pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
      };
      const predictor = [0, a, up, (a + up) >> 1, filter === 4 ? paeth() : 0][filter]!;
      rgba[y * stride + x] = (v + predictor) & 0xff;
    }
  }
  return { width, height, rgba };
}

/** Pixels of exactly this colour ('#rrggbb'), and the share not white, and the number of distinct colours. */
function pixels(png: Png, colour?: string) {
  const [r, g, b] = colour ? [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16)) : [-1, -1, -1];
  let of = 0;
  let notWhite = 0;
  let dark = 0;
  const colours = new Set<number>();
  for (let i = 0; i < png.rgba.length; i += 4) {
    const [pr, pg, pb] = [png.rgba[i]!, png.rgba[i + 1]!, png.rgba[i + 2]!];
    if (pr === r && pg === g && pb === b) of++;
    if (pr < 250 || pg < 250 || pb < 250) notWhite++;
    if (pr + pg + pb < 3 * 100) dark++;
    colours.add((pr << 16) | (pg << 8) | pb);
  }
  return { of, notWhiteShare: notWhite / (png.width * png.height), dark, colours: colours.size };
}

/** The DOCX's pictures by the figure each shows (its drawing's name), in the document's order. */
async function docxPictures(
  docx: Uint8Array,
): Promise<{ zip: JSZip; xml: string; pictures: [string, Png][] }> {
  const zip = await JSZip.loadAsync(docx);
  const xml = await zip.file('word/document.xml')!.async('string');
  const rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
  const target = new Map(
    [...rels.matchAll(/<Relationship [^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"/g)].map((m) => [m[1]!, m[2]!]),
  );
  const pictures: [string, Png][] = [];
  for (const m of xml.matchAll(/<wp:docPr [^>]*?name="([^"]+)"[\s\S]*?r:embed="([^"]+)"/g)) {
    const file = zip.file(`word/${target.get(m[2]!)!.replace(/^\/?word\//, '')}`)!;
    pictures.push([m[1]!, decodePng(await file.async('uint8array'))]);
  }
  return { zip, xml, pictures };
}

const media = (zip: JSZip) => Object.keys(zip.files).filter((f) => /^word\/media\/.+\.png$/.test(f));

const font = findReportFont();
// CI installs fonts-noto-cjk: there the pictures are always checked. Elsewhere without a CJK font, they are skipped.
const noFont =
  !font.found && !process.env.CI ? `no CJK font (${font.reason}); set ${REPORT_FONT_VARIABLE}` : false;

describe('the DOCX pictures', () => {
  test(
    'one PNG per map and chart of the HTML, at twice its size, with its caption, drawn',
    { skip: noFont },
    async () => {
      const r = report();
      const html = renderHtml(r, 'zh');
      const figures = [
        ...html.matchAll(/<figure id="([^"]+)" class="figure" data-kind="(?:map|chart)">(<svg[^>]*>)/g),
      ];
      assert.deepEqual(
        figures.map((f) => f[1]),
        ['tier-chart', 'type-chart', 'coverage-map', 'change-chart'],
      );
      const { docx, warnings } = await renderDocx(r, 'zh');
      assert.deepEqual(warnings, []);
      const { zip, xml, pictures } = await docxPictures(docx);
      assert.equal(media(zip).length, 4);
      // Twice each SVG's own size. The map is 760 × 620; a chart 760 wide and max(200, 90 + 3 categories × (14 + 12 ×
      // 2 series)) = 204 high: the tier chart has three tiers, the type and change charts three types.
      assert.deepEqual(
        pictures.map(([id, png]) => [id, png.width, png.height]),
        [
          ['tier-chart', 1520, 408],
          ['type-chart', 1520, 408],
          ['coverage-map', 1520, 1240],
          ['change-chart', 1520, 408],
        ],
      );
      // Printed 15.9 cm wide (601 px at 96 to the inch, in EMU: 601 × 9525), as high as the proportions give.
      assert.deepEqual(
        [...xml.matchAll(/<wp:extent cx="(\d+)" cy="(\d+)"\/>/g)].map((m) => [Number(m[1]), Number(m[2])]),
        [
          [601 * 9525, 161 * 9525],
          [601 * 9525, 161 * 9525],
          [601 * 9525, 490 * 9525],
          [601 * 9525, 161 * 9525],
        ],
      );
      // Each with the HTML's caption under it.
      assert.ok(xml.includes('图例: 社区覆盖率 / 人口覆盖率'));
      assert.ok(xml.includes('图例: 上次 / 本次'));
      assert.ok(!xml.includes('未找到中文字体'));
      assert.ok(!xml.includes('已覆盖 50%–75% 类型')); // the legend is in the map's picture, not a table
      for (const [id, png] of pictures) {
        const p = pixels(png);
        // Anti-aliased shapes and text: many colours, and a fair part of the picture not white.
        assert.ok(p.colours > 100, `${id}: ${p.colours} colours`);
        assert.ok(p.notWhiteShare > 0.03, `${id}: ${(p.notWhiteShare * 100).toFixed(1)} % not white`);
      }
      // The series and class colours are there: the charts' first series (#1b9e77), the map's share classes.
      for (const [id, png] of pictures.filter(([id]) => id !== 'coverage-map'))
        assert.ok(pixels(png, id === 'change-chart' ? '#bdbdbd' : '#1b9e77').of > 1000, id);
      const map = pictures.find(([id]) => id === 'coverage-map')![1];
      for (const colour of ['#1a9850', '#fdae61', '#d73027', '#bdbdbd'])
        assert.ok(pixels(map, colour).of > 500, colour);
      // The text is drawn: the map has far more dark pixels than the same SVG drawn with no font at all.
      const bare = decodePng((await svgToPng(communityMapOf(html), 2, [])).png);
      assert.ok(
        pixels(map).dark > pixels(bare).dark + 5000,
        `${pixels(map).dark} vs ${pixels(bare).dark} dark pixels`,
      );
    },
  );

  test('an English report: the same pictures, English captions', { skip: noFont }, async () => {
    const { docx, warnings } = await renderDocx(report('kindergarten'), 'en');
    assert.deepEqual(warnings, []);
    const { xml, pictures } = await docxPictures(docx);
    assert.deepEqual(
      pictures.map(([id]) => id),
      ['tier-chart', 'type-chart', 'coverage-map', 'change-chart'],
    );
    assert.ok(xml.includes('Legend: Share of communities / Share of residents'));
    assert.ok(!xml.includes('About the figures'));
  });

  test('without a CJK font the DOCX is made all the same: no pictures, the legend as a table, and a note why', async () => {
    const missing = join(tmpdir(), 'lifecircle-no-such-font.ttc');
    const { docx, warnings } = await renderDocx(report(), 'zh', { font: missing });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /no maps or charts/);
    assert.match(warnings[0]!, new RegExp(`${missing.replace(/[\\.]/g, '\\$&')}, which does not exist`));
    const { zip, xml, pictures } = await docxPictures(docx);
    assert.deepEqual(media(zip), []);
    assert.deepEqual(pictures, []);
    // The note, in the summary and again in the map's chapter, says where the figures are and how to get them.
    assert.equal(xml.split('服务器未找到中文字体').length - 1, 2);
    assert.ok(xml.includes('HTML 版本'));
    assert.ok(xml.includes('fonts-noto-cjk'));
    assert.ok(xml.includes(REPORT_FONT_VARIABLE));
    // The map's legend as a table with its counts (the share classes: A1, A2 half; B1 few; B2 all; B3 off).
    assert.match(xml, /已覆盖 50%–75% 类型<\/w:t>.*?<w:t[^>]*>2<\/w:t>/);
    const english = await renderDocx(report(), 'en', { font: missing });
    const englishXml = await (await JSZip.loadAsync(english.docx)).file('word/document.xml')!.async('string');
    assert.ok(englishXml.includes('found no Chinese (CJK) font'));
  });

  test('the font: the option or LIFECIRCLE_REPORT_FONT names the one file; a file that is no font is refused', () => {
    const notFont = join(tmpdir(), `lifecircle-not-a-font-${process.pid}.ttc`);
    writeFileSync(notFont, 'not a font');
    assert.deepEqual(findReportFont(notFont), {
      found: false,
      reason: `${notFont} is not a TrueType or OpenType font (.ttf, .otf) or collection (.ttc)`,
    });
    assert.deepEqual(findReportFont(undefined, { [REPORT_FONT_VARIABLE]: '/nowhere/font.otf' }), {
      found: false,
      reason: `${REPORT_FONT_VARIABLE} names /nowhere/font.otf, which does not exist`,
    });
    // A named file that is missing is not replaced by one of the known paths.
    assert.equal(findReportFont('/nowhere/font.otf').found, false);
  });

  test('the known Debian font: the Regular collection brings its Bold sibling', { skip: noFont }, () => {
    const debian = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
    const found = findReportFont(undefined, {});
    assert.ok(found.found);
    if (found.files[0] === debian)
      assert.deepEqual(found.files, [debian, '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc']);
    assert.deepEqual(findReportFont(undefined, { [REPORT_FONT_VARIABLE]: found.files[0] }), found);
  });
});

/** The map's SVG as the HTML has it inline. */
function communityMapOf(html: string): string {
  return /<figure id="coverage-map"[^>]*>(<svg[\s\S]*?<\/svg>)/.exec(html)![1]!;
}
