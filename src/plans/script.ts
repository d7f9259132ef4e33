/**
 * The text the target rules read (src/plans/targets.ts): the same characters as the source, one for one, so
 * indices stay the same, with
 * - full-width digits, decimal point and per cent sign made ASCII (８５．５％ → 85.5%);
 * - traditional characters made simplified (覆蓋率達到 → 覆盖率达到), for the characters the target grammar uses.
 *
 * What is shown (phrases, scopes, comparator words) is cut from the source as written; only units are given in
 * this form (萬張 → 万张, ％ → %).
 */

/**
 * Traditional → simplified pairs, two characters each: from OpenCC's TSCharacters.txt (github.com/BYVoid/OpenCC,
 * Apache-2.0; first reading of each), kept to the characters whose simplified form appears in targets.ts. A word
 * added to the grammar with a character not listed here reads only in simplified script until the table is
 * regenerated (see docs/plans-and-indicators.md §2, Targets).
 */
export const TRADITIONAL =
  '來来侷局個个傢家億亿優优內内兩两冊册剋克創创劃划動动務务勵励區区卽即參参員员單单噹当國国堅坚場场塊块壓压奬奖學学實实將将專专對对嵗岁師师帶带幾几廳厅張张從从戶户擁拥擴扩數数於于昇升時时桿杆條条棟栋業业' +
  '標标檯台歲岁減减準准為为營营爭争爲为牀床牽牵獎奖現现畝亩當当發发確确積积穩稳箇个範范築筑級级組组給给經经維维縣县縮缩總总織织纍累聯联職职臺台與与舉举萬万蓋盖蔘参處处衕同裏里補补裡里製制見见規规計计設设' +
  '註注試试誌志誠诚護护變变責责貼贴資资質质較较輛辆辦办農农進进遊游過过達达鄉乡醫医鈡钟鍾钟鎭镇鎮镇鐘钟長长門门開开間间闆板陞升韆千頃顷項项預预領领頭头額额類类颱台養养髮发麪面麫面麵面點点齣出';

const SIMPLIFIED: ReadonlyMap<string, string> = new Map(
  Array.from({ length: TRADITIONAL.length / 2 }, (_, i) => [TRADITIONAL[2 * i], TRADITIONAL[2 * i + 1]]),
);

/** The matching form of `text`: full-width digits and ％ as ASCII, traditional characters as simplified. */
export function matchingText(text: string): string {
  return text.replace(/[０-９．％﹪]|[\u3400-\u9fff\uf900-\ufaff]/g, (ch) => {
    if (ch >= '０' && ch <= '９') return String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
    if (ch === '．') return '.';
    if (ch === '％' || ch === '﹪') return '%';
    return SIMPLIFIED.get(ch) ?? ch;
  });
}
