/** The risk classes of 双随机 sampling, least to most risky. */
export const CLASSES = ['A', 'B', 'C', 'D'] as const;
export type RiskClass = (typeof CLASSES)[number];
