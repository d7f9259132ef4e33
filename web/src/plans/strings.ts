import { makeT } from '../i18n.js';

/** The plans view's own strings: Chinese first, English falling back to Chinese. */
export const t = makeT(
  {
    list: '规划文件',
    tasks: '任务清单',
    review: '报告审核',
    reminders: '提醒',
    importTitle: '导入规划文件',
    importHint: '上传 .txt（UTF-8 或 GBK）或 .docx 文件，或粘贴全文。',
    importFile: '上传文件',
    paste: '粘贴全文',
    pasteTitle: '标题（可选）',
    importSubmit: '导入',
    pasteSubmit: '导入粘贴文本',
    imported: '已导入：{title}',
    chooseFile: '请选择文件',
    noPlans: '尚未导入规划文件。',
    title: '标题',
    file: '文件',
    importedAt: '导入时间',
    corrections: '修正',
    assignments: '任务',
    measures: '措施',
    source: '原文',
    units: '责任单位',
    targets: '目标',
    lead: '牵头',
    co: '配合',
    unspecified: '负责',
    corrected: '已修正',
    clickHint: '点击措施、责任单位或目标，在原文中高亮其出处。',
    correctionTitle: '修正所选措施',
    noMeasure: '先在左侧选择一项措施。',
    op: '修正类型',
    'op-set-unit': '修正责任单位',
    'op-add-unit': '增加责任单位',
    'op-set-target': '修正目标值/期限',
    'op-add-measure': '增加下级措施',
    unit: '责任单位',
    newName: '新名称',
    role: '角色',
    target: '目标',
    value: '数值',
    deadline: '期限（年）',
    measureTitle: '措施标题',
    measureText: '措施内容',
    save: '保存修正',
    saved: '修正已保存',
    assignTitle: '分派任务',
    assignHint: '按各措施的责任单位生成任务（各区政府按区展开）。',
    defaultDue: '无期限时的默认期限',
    assign: '生成任务',
    assigned: '新建 {created} 项任务，已有 {existing} 项；{unassignable} 个泛指单位需人工指定。',
    linkIndicator: '关联指标',
    linkNone: '指标库接口尚未提供（{status}），暂不能关联。',
    linkPick: '选择指标',
    regionCode: '区划代码',
    linkConfirm: '确认关联',
    linked: '已关联指标 {code}',
    noSuggestions: '没有匹配的指标。',
    measure: '措施',
    department: '责任单位',
    due: '期限',
    state: '状态',
    lastReport: '最近报告',
    action: '操作',
    report: '报送进展',
    noTasks: '没有任务。',
    overdueDays: '逾期 {n} 天',
    'stage-not-started': '未开始',
    'stage-in-progress': '推进中',
    'stage-awaiting-review': '待审核',
    'stage-returned': '已退回',
    'stage-done': '已完成',
    atRisk: '有风险',
    reportTitle: '报送进展：{measure}',
    status: '进展状态',
    'status-in-progress': '推进中',
    'status-completed': '已完成',
    'status-blocked': '受阻',
    narrative: '进展说明',
    evidence: '佐证材料（仅登记文件名、大小和 SHA-256）',
    submit: '提交',
    submitted: '已提交，等待审核',
    returnedWith: '退回意见：{comment}',
    reviewEmpty: '没有待审核的报告。',
    accept: '通过',
    return: '退回',
    comment: '审核意见',
    commentNeeded: '退回时请填写意见',
    accepted: '已通过',
    returned: '已退回',
    noReminders: '没有需要提醒的事项。',
    loginNeeded: '请登录后查看任务（部门人员、统筹协调或管理员）。',
    planFilter: '规划',
    all: '全部',
    warnings: '需人工核对',
    hashing: '正在计算文件摘要…',
    progress: '完成 {done}/{n}',
    attention: '只看逾期和有风险的',
    taskCount: '共 {n} 项任务',
    overdueN: '逾期 {n}',
  },
  {
    list: 'Plans',
    tasks: 'Tasks',
    review: 'Review',
    reminders: 'Reminders',
    importTitle: 'Import a plan',
    importHint: 'Upload a .txt (UTF-8 or GBK) or .docx file, or paste the full text.',
    importFile: 'Upload file',
    paste: 'Paste text',
    pasteTitle: 'Title (optional)',
    importSubmit: 'Import',
    pasteSubmit: 'Import pasted text',
    imported: 'Imported: {title}',
    chooseFile: 'Choose a file',
    noPlans: 'No plan imported yet.',
    title: 'Title',
    file: 'File',
    importedAt: 'Imported',
    corrections: 'Corrections',
    assignments: 'Assignments',
    measures: 'Measures',
    source: 'Source text',
    units: 'Responsible units',
    targets: 'Targets',
    lead: 'lead',
    co: 'co',
    unspecified: 'responsible',
    corrected: 'corrected',
    clickHint: 'Click a measure, unit or target to highlight where it is in the source text.',
    correctionTitle: 'Correct the selected measure',
    noMeasure: 'Select a measure on the left first.',
    op: 'Correction',
    'op-set-unit': 'Fix a unit',
    'op-add-unit': 'Add a unit',
    'op-set-target': 'Fix a target value/deadline',
    'op-add-measure': 'Add a sub-measure',
    unit: 'Unit',
    newName: 'New name',
    role: 'Role',
    target: 'Target',
    value: 'Value',
    deadline: 'Deadline (year)',
    measureTitle: 'Measure title',
    measureText: 'Measure text',
    save: 'Save correction',
    saved: 'Correction saved',
    assignTitle: 'Assign',
    assignHint:
      "Create assignments from each measure's responsible units (district governments: one per district).",
    defaultDue: 'Default due date where none is stated',
    assign: 'Create assignments',
    assigned: '{created} new assignments, {existing} existing; {unassignable} generic units need a person.',
    linkIndicator: 'Link indicator',
    linkNone: 'The indicator service is not available yet ({status}); cannot link.',
    linkPick: 'Indicator',
    regionCode: 'Division code',
    linkConfirm: 'Link',
    linked: 'Linked to indicator {code}',
    noSuggestions: 'No matching indicator.',
    measure: 'Measure',
    department: 'Department',
    due: 'Due',
    state: 'State',
    lastReport: 'Last report',
    action: 'Action',
    report: 'Report',
    noTasks: 'No tasks.',
    overdueDays: '{n} days overdue',
    'stage-not-started': 'not started',
    'stage-in-progress': 'in progress',
    'stage-awaiting-review': 'awaiting review',
    'stage-returned': 'returned',
    'stage-done': 'done',
    atRisk: 'at risk',
    reportTitle: 'Report progress: {measure}',
    status: 'Status',
    'status-in-progress': 'in progress',
    'status-completed': 'completed',
    'status-blocked': 'blocked',
    narrative: 'What was done',
    evidence: 'Evidence files (only name, size and SHA-256 are recorded)',
    submit: 'Submit',
    submitted: 'Submitted; awaiting review',
    returnedWith: 'Returned: {comment}',
    reviewEmpty: 'No report awaits review.',
    accept: 'Accept',
    return: 'Return',
    comment: 'Comment',
    commentNeeded: 'Say why the report is returned',
    accepted: 'Accepted',
    returned: 'Returned',
    noReminders: 'Nothing to remind.',
    loginNeeded: 'Log in to see tasks (department staff, coordinator or administrator).',
    planFilter: 'Plan',
    all: 'all',
    warnings: 'To check by hand',
    hashing: 'Computing file digests…',
    progress: '{done}/{n} done',
    attention: 'Only overdue and at risk',
    taskCount: '{n} tasks',
    overdueN: '{n} overdue',
  },
);

/** The shapes of the plans API this view reads (src/server/route-plans.ts). */
export type Span = [number, number];
export interface Unit {
  raw: string;
  span: Span;
  role: 'lead' | 'co' | 'unspecified';
  normalized: string;
  key: string;
  status: string;
  correctedBy?: string;
}
export interface Target {
  id: string;
  phrase: string;
  comparator: string;
  value: number;
  valueMax: number | null;
  unit: string;
  deadlineYear: number | null;
  span: Span;
  sentence: string;
  correctedBy?: string;
}
export interface Measure {
  id: string;
  label: string | null;
  title: string | null;
  text: string;
  span: Span;
  responsibilities: { units: Unit[] }[];
  targets: Target[];
  children: Measure[];
  correctedBy?: string[];
}
export interface PlanSummary {
  id: string;
  title: string;
  fileName: string;
  importedAt: string;
  corrections: number;
  assignments: number;
}
export interface PlanDetail extends PlanSummary {
  plan: { text: string; measures: Measure[]; warnings: string[] };
  conflicts: { correctionId: string; message: string }[];
  /** Per measure with assignments (coordinator and administrator only). */
  measureStates: MeasureState[];
}
export interface MeasureState {
  measureId: string;
  assignments: number;
  done: number;
  overdue: number;
  atRisk: number;
}
export type ReportStatus = 'in-progress' | 'completed' | 'blocked';
export interface Report {
  id: string;
  submittedAt: string;
  status: ReportStatus;
  value: number | null;
  narrative: string;
  evidence: { fileName: string; mediaType: string; bytes: number; sha256: string }[];
  review: { decision: 'accepted' | 'returned'; reviewer: string; reviewedAt: string; comment: string } | null;
}
export interface AssignmentRow {
  id: string;
  planId: string;
  measureId: string;
  measureTitle: string;
  departmentName: string;
  role: Unit['role'];
  dueDate: string | null;
  stage: 'not-started' | 'in-progress' | 'awaiting-review' | 'returned' | 'done';
  overdue: boolean;
  atRisk: boolean;
  daysToDue: number | null;
  lastReport: Report | null;
}
