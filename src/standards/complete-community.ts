import { sourced, type Sourced } from './provenance.js';

/**
 * 住建部《完整居住社区建设标准（试行）》(2020, under 建科规〔2020〕7号). The official table was not available: this
 * list comes from a secondary summary and ships unverified. `facilityTypes` links an item to the facility types
 * whose coverage evaluates it; items without one (市政配套 …) are listed but cannot be checked from the network.
 */
export interface ChecklistItem {
  readonly id: string;
  readonly domainZh: string;
  readonly itemZh: string;
  readonly itemEn: string;
  readonly facilityTypes: readonly string[];
  readonly requirement: Sourced<string>;
}

const SUMMARY =
  '完整居住社区建设标准（试行）2020 — secondary summary (GitHub sleeper012/Optimization-of-urban-facilities README)';

function item(
  id: string,
  domainZh: string,
  itemZh: string,
  itemEn: string,
  facilityTypes: string[],
  requirement: string,
): ChecklistItem {
  return { id, domainZh, itemZh, itemEn, facilityTypes, requirement: sourced(requirement, SUMMARY, false) };
}

export const COMPLETE_COMMUNITY_CHECKLIST: readonly ChecklistItem[] = [
  item(
    'service-station',
    '基本公共服务设施',
    '社区综合服务站',
    'Community service station',
    ['community-service-station'],
    '1',
  ),
  item('kindergarten', '基本公共服务设施', '幼儿园', 'Kindergarten', ['kindergarten'], '1'),
  item('nursery', '基本公共服务设施', '托儿所', 'Nursery', ['nursery'], '1'),
  item(
    'elderly-station',
    '基本公共服务设施',
    '老年服务站',
    'Elderly service station',
    ['elderly-daycare'],
    '1',
  ),
  item(
    'health-station',
    '基本公共服务设施',
    '社区卫生服务站',
    'Community health station',
    ['health-station'],
    '1',
  ),
  item('supermarket', '便民商业服务设施', '综合超市', 'Supermarket', ['convenience-outlets'], '1'),
  item('parcel', '便民商业服务设施', '邮件和快件寄递服务设施', 'Post and parcel points', [], 'several'),
  item(
    'other-shops',
    '便民商业服务设施',
    '其他便民商业网点（理发店、药店、维修点、餐饮店…）',
    'Other neighbourhood shops',
    ['convenience-outlets'],
    'several',
  ),
  item('utilities', '市政配套基础设施', '水电路气热信', 'Utilities', [], 'complete'),
  item('parking', '市政配套基础设施', '停车及充电设施', 'Parking and charging', [], 'present'),
  item('slow-traffic', '市政配套基础设施', '慢行系统', 'Walking and cycling network', [], 'present'),
  item('barrier-free', '市政配套基础设施', '无障碍设施', 'Barrier-free access', [], 'present'),
  item('sanitation', '市政配套基础设施', '环境卫生设施', 'Sanitation', [], 'present'),
  item(
    'activity-space',
    '公共活动空间',
    '公共活动场地',
    'Public activity ground',
    ['small-sports-ground'],
    '≥150 m²',
  ),
  item('green', '公共活动空间', '公共绿地', 'Public green space', [], 'present'),
];
