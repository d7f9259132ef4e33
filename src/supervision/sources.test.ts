import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PROGRESS_THRESHOLDS, INDICATORS } from '../indicators/index.js';
import { DEFAULT_TRACKING_RULES } from '../plans/index.js';
import {
  CALENDAR_SOURCE,
  DEFAULT_ABUSE_CONFIG,
  DEFAULT_CASE_CONFIG,
  DEFAULT_CERTIFICATION_CONFIG,
  DEFAULT_LEADER_CONFIG,
  DEFAULT_PREPAID_ALERT,
  DEFAULT_PRIOR_WEIGHT,
  DEFAULT_SAMPLING_RATIOS,
  DEFAULT_SCORING,
  EXAMPLE_LOCAL_SAMPLING_RULE,
  FOLLOW_UP_REQUIRED,
  INSPECTORS_PER_TARGET,
  PERIOD_COUNTING,
  RATING_LEVELS,
  RECTIFICATION_WORKING_DAYS,
  RISK_CLASS_NAMES,
} from './index.js';

/**
 * The titles of the documents the built-in rules and indicators cite are shown to every reader (issue 14, item 3):
 * the Chinese title holds no English remark and no repository path, and every one has an English title with no
 * Chinese in it. Remarks and paths belong in `note` or in a comment.
 */
const SOURCES: [string, { document: string; documentEn?: string }][] = [
  ['calendar', CALENDAR_SOURCE],
  ['abuse', DEFAULT_ABUSE_CONFIG.source],
  ['case deadline', DEFAULT_CASE_CONFIG.deadlineRule],
  ['certification', DEFAULT_CERTIFICATION_CONFIG.source],
  ['leaders', DEFAULT_LEADER_CONFIG.source],
  ['prepaid alert', DEFAULT_PREPAID_ALERT.source],
  ['prior weight', DEFAULT_PRIOR_WEIGHT.source],
  ['sampling ratios', DEFAULT_SAMPLING_RATIOS.source],
  ['scoring', DEFAULT_SCORING.source],
  ['example local rule', EXAMPLE_LOCAL_SAMPLING_RULE.source],
  ['follow-up', FOLLOW_UP_REQUIRED.source],
  ['inspectors', INSPECTORS_PER_TARGET.source],
  ['period counting', PERIOD_COUNTING.source],
  ['rating levels', RATING_LEVELS.source],
  ['rectification', RECTIFICATION_WORKING_DAYS.source],
  ['risk classes', RISK_CLASS_NAMES.source],
  ['progress thresholds', DEFAULT_PROGRESS_THRESHOLDS.source],
  ['tracking rules', DEFAULT_TRACKING_RULES.source],
  ...INDICATORS.map((i): [string, { document: string; documentEn: string }] => [
    `indicator ${i.code}`,
    i.source,
  ]),
];

const REPOSITORY_PATH = /\b(docs|data|reference|bench|src|web)\/|\.(md|ts)\b|standards\.md|§/;
const HAN = /[\p{Script=Han}\u3000-\u303f\uff01-\uff5e]/u;
/** Latin words a Chinese title may hold: the product's name (a proper name). */
const LATIN_IN_CHINESE = /\b(?!LifeCircle\b)[A-Za-z]{2,}\b/;

for (const [name, source] of SOURCES)
  test(`the source of ${name}: a Chinese title without remarks or paths, and an English title`, () => {
    assert.doesNotMatch(source.document, REPOSITORY_PATH);
    assert.doesNotMatch(source.document, LATIN_IN_CHINESE);
    assert.ok(source.documentEn, 'an English title');
    assert.doesNotMatch(source.documentEn, HAN);
    assert.doesNotMatch(source.documentEn, REPOSITORY_PATH);
  });
