import { COMPLETE_COMMUNITY_CHECKLIST, type ChecklistItem } from '../standards/index.js';
import type { TypeEvaluation } from './evaluate.js';

export interface ChecklistResult {
  readonly item: ChecklistItem;
  /** False when none of the item's facility types is evaluated (市政配套 etc.): the network cannot check it. */
  readonly checkable: boolean;
  /** Per community: 1 when a facility of one of the item's types lies within its radius. */
  readonly met: Uint8Array;
}

/**
 * The 完整居住社区建设标准（试行）checklist per community, as far as walking access can check it: an item is met
 * when any of its linked facility types is covered. Items without an evaluated type are listed as not checkable.
 */
export function checkCompleteCommunity(
  types: readonly Pick<TypeEvaluation, 'type' | 'covered'>[],
  communityCount: number,
  checklist: readonly ChecklistItem[] = COMPLETE_COMMUNITY_CHECKLIST,
): ChecklistResult[] {
  return checklist.map((item) => {
    const linked = types.filter((t) => item.facilityTypes.includes(t.type.id));
    const met = new Uint8Array(communityCount);
    for (let c = 0; c < communityCount; c++) met[c] = linked.some((t) => t.covered[c] === 1) ? 1 : 0;
    return { item, checkable: linked.length > 0, met };
  });
}
