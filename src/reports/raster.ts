import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

/** The environment variable naming the font file the DOCX pictures are drawn with (a .ttc, .otf or .ttf). */
export const REPORT_FONT_VARIABLE = 'LIFECIRCLE_REPORT_FONT';

/**
 * Where the CJK font is looked for when `LIFECIRCLE_REPORT_FONT` names none, first found wins: Noto Sans CJK as the
 * distributions install it (Debian/Ubuntu `fonts-noto-cjk`, which CI installs; Arch `noto-fonts-cjk`; Alpine
 * `font-noto-cjk`), then Microsoft YaHei on Windows.
 */
export const KNOWN_FONT_PATHS: readonly string[] = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto/NotoSansCJK-Regular.ttc',
  'C:\\Windows\\Fonts\\msyh.ttc',
];

/** The font the pictures are drawn with, or why there is none (then the DOCX goes without pictures and says so). */
export type ReportFont = { found: true; files: string[] } | { found: false; reason: string };

/**
 * The report font: the file the option or `LIFECIRCLE_REPORT_FONT` names (only that one: a named file that is
 * missing is not replaced by another), else the first of `KNOWN_FONT_PATHS` there is. A `…Regular…` file brings its
 * `…Bold…` sibling along when there is one, for the bold titles; without it resvg draws them in the regular weight.
 */
export function findReportFont(option?: string | null, env: NodeJS.ProcessEnv = process.env): ReportFont {
  const named = option ?? (env[REPORT_FONT_VARIABLE] || null);
  const file = named ?? KNOWN_FONT_PATHS.find((p) => existsSync(p));
  if (!file) return { found: false, reason: `no CJK font at any of ${KNOWN_FONT_PATHS.join(', ')}` };
  if (!existsSync(file))
    return {
      found: false,
      reason: `${option != null ? 'the report font option' : REPORT_FONT_VARIABLE} names ${file}, which does not exist`,
    };
  if (!isFontFile(file))
    return {
      found: false,
      reason: `${file} is not a TrueType or OpenType font (.ttf, .otf) or collection (.ttc)`,
    };
  const bold = join(dirname(file), basename(file).replace('Regular', 'Bold'));
  return { found: true, files: bold !== file && isFontFile(bold) ? [file, bold] : [file] };
}

/** The first four bytes of an sfnt font or collection: resvg takes these (not WOFF, not Type 1). */
const FONT_TAGS = ['ttcf', '\0\x01\0\0', 'OTTO', 'true'];

function isFontFile(path: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && FONT_TAGS.includes(head.toString('latin1'));
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

type Resvg = typeof import('@resvg/resvg-wasm');

/** resvg's WebAssembly, compiled once per thread (a worker thread has its own) on the first picture, then reused. */
let resvg: Promise<Resvg> | null = null;
/** Font files as read, by path: read once per thread (a Noto CJK collection is ~20 MB). */
const fontBytes = new Map<string, Uint8Array>();

function loadResvg(): Promise<Resvg> {
  resvg ??= (async () => {
    const module = await import('@resvg/resvg-wasm');
    await module.initWasm(
      readFileSync(createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm')),
    );
    return module;
  })();
  // A failed load is tried again by the next picture rather than remembered.
  resvg.catch(() => {
    resvg = null;
  });
  return resvg;
}

function readFont(path: string): Uint8Array {
  let bytes = fontBytes.get(path);
  if (!bytes) {
    bytes = readFileSync(path);
    fontBytes.set(path, bytes);
  }
  return bytes;
}

export interface Picture {
  png: Uint8Array;
  /** Pixels. */
  width: number;
  height: number;
}

/**
 * An SVG drawn as a PNG by resvg (WebAssembly: no native code) at `zoom` times its own size, on white, with the
 * text in the given font files only (no system fonts: the picture is the same on every machine with that font).
 * Text in a family the files lack falls back to a face that has the glyphs.
 */
export async function svgToPng(svg: string, zoom: number, fonts: readonly string[]): Promise<Picture> {
  const { Resvg } = await loadResvg();
  const drawing = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    background: '#ffffff',
    font: {
      fontBuffers: fonts.map(readFont),
      loadSystemFonts: false,
      defaultFontFamily: 'Noto Sans CJK SC',
      sansSerifFamily: 'Noto Sans CJK SC',
    },
  });
  try {
    const image = drawing.render();
    try {
      return { png: image.asPng(), width: image.width, height: image.height };
    } finally {
      image.free();
    }
  } finally {
    drawing.free();
  }
}
