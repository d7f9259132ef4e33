/**
 * Versioned schema migrations, applied in order inside one transaction and recorded in `schema_migrations`.
 * Append new versions; never edit one that has shipped (a store that ran it would silently differ).
 * This SQL is SQLite's. A PostgreSQL store would implement the same `Store` interface with its own migration
 * list; the table shapes are kept easy to carry over (TEXT keys, ISO-8601 UTC times as text, JSON as text).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'registry, users, audit, analysis runs',
    sql: `
CREATE TABLE regions (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('province', 'city', 'district', 'subdistrict', 'community')),
  parent_code TEXT REFERENCES regions (code)
);
CREATE INDEX regions_parent ON regions (parent_code);

CREATE TABLE facility_types (
  code TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  domain TEXT NOT NULL,
  source TEXT NOT NULL
);

CREATE TABLE communities (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  region_code TEXT NOT NULL REFERENCES regions (code),
  lon REAL NOT NULL,
  lat REAL NOT NULL,
  boundary TEXT,
  population INTEGER,
  age_groups TEXT NOT NULL DEFAULT '{}',
  population_estimated INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);
CREATE INDEX communities_region ON communities (region_code);

CREATE TABLE providers (
  uscc TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  region_code TEXT REFERENCES regions (code),
  domains TEXT NOT NULL DEFAULT '[]',
  contact_name TEXT,
  contact_phone TEXT,
  updated_at TEXT NOT NULL
);

CREATE TABLE facilities (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type_code TEXT NOT NULL REFERENCES facility_types (code),
  lon REAL NOT NULL,
  lat REAL NOT NULL,
  address TEXT,
  region_code TEXT REFERENCES regions (code),
  capacity INTEGER,
  affordable INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('planned', 'open', 'suspended', 'closed')),
  provider_uscc TEXT REFERENCES providers (uscc),
  contact_phone TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX facilities_type ON facilities (type_code);
CREATE INDEX facilities_region ON facilities (region_code);
CREATE INDEX facilities_provider ON facilities (provider_uscc);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('administrator', 'staff', 'inspector', 'provider', 'public')),
  department TEXT,
  domains TEXT NOT NULL DEFAULT '[]',
  region_code TEXT REFERENCES regions (code),
  provider_uscc TEXT REFERENCES providers (uscc),
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor_id INTEGER REFERENCES users (id),
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_key TEXT NOT NULL,
  before TEXT,
  after TEXT
);
CREATE INDEX audit_entity ON audit_log (entity, entity_key);

CREATE TABLE analysis_runs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  inputs_hash TEXT NOT NULL,
  parameters TEXT NOT NULL,
  results TEXT NOT NULL,
  engine_version TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX analysis_runs_inputs ON analysis_runs (kind, inputs_hash);

CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  file_name TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  accepted INTEGER NOT NULL,
  summary TEXT NOT NULL,
  report TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'coordinator and resident roles',
    // SQLite cannot alter a CHECK constraint: the table is rebuilt (https://sqlite.org/lang_altertable.html,
    // "other kinds of table schema changes"); `migrate` turns foreign keys off around it and checks them after.
    sql: `
CREATE TABLE users_new (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('administrator', 'coordinator', 'staff', 'inspector', 'provider', 'resident', 'public')),
  department TEXT,
  domains TEXT NOT NULL DEFAULT '[]',
  region_code TEXT REFERENCES regions (code),
  provider_uscc TEXT REFERENCES providers (uscc),
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
INSERT INTO users_new SELECT id, username, display_name, password_hash, role, department, domains, region_code,
  provider_uscc, disabled, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
`,
  },
  {
    version: 5,
    name: 'ratings, complaints and cases',
    // 好差评 (issue 6). Ratings and cases are never deleted: a held rating waits for review, a rejected one is
    // invalidated; case_events keeps the full history of every case.
    sql: `
CREATE TABLE resident_profiles (
  user_id INTEGER PRIMARY KEY REFERENCES users (id),
  phone TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);

CREATE TABLE ratings (
  id TEXT PRIMARY KEY,
  rating_key TEXT NOT NULL UNIQUE,
  account_id TEXT NOT NULL,
  outlet_id TEXT NOT NULL,
  provider_uscc TEXT NOT NULL,
  service_type TEXT NOT NULL,
  region_code TEXT NOT NULL,
  event_id TEXT,
  level TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  text TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('web', 'mobile', 'staff')),
  created_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('published', 'held', 'invalidated')),
  contact_phone TEXT,
  flags TEXT NOT NULL DEFAULT '[]',
  entered_by INTEGER REFERENCES users (id),
  moderation TEXT
);
CREATE INDEX ratings_outlet ON ratings (outlet_id);
CREATE INDEX ratings_provider ON ratings (provider_uscc);
CREATE INDEX ratings_region ON ratings (region_code);
CREATE INDEX ratings_status ON ratings (status, created_at);

CREATE TABLE complaints (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  provider_uscc TEXT NOT NULL,
  outlet_id TEXT,
  service_type TEXT NOT NULL,
  region_code TEXT NOT NULL,
  category TEXT NOT NULL,
  text TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('web', 'mobile', 'staff')),
  created_at TEXT NOT NULL,
  contact_phone TEXT
);
CREATE INDEX complaints_account ON complaints (account_id);

CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  origin_kind TEXT NOT NULL CHECK (origin_kind IN ('rating', 'complaint')),
  origin_id TEXT NOT NULL,
  outlet_id TEXT NOT NULL,
  provider_uscc TEXT NOT NULL,
  department_id TEXT NOT NULL,
  region_code TEXT NOT NULL,
  domain TEXT NOT NULL,
  account_id TEXT NOT NULL,
  state TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  due_at TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX cases_state ON cases (state, due_at);
CREATE INDEX cases_provider ON cases (provider_uscc);
CREATE INDEX cases_region ON cases (region_code);
CREATE INDEX cases_account ON cases (account_id);

CREATE TABLE case_events (
  case_id TEXT NOT NULL REFERENCES cases (id),
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT NOT NULL,
  note TEXT,
  PRIMARY KEY (case_id, seq)
);
`,
  },
  {
    version: 4,
    name: 'indicators',
    // Values keep their history: a rerun adds rows and the newest per (indicator, region, date) is current.
    sql: `
CREATE TABLE indicator_values (
  id INTEGER PRIMARY KEY,
  indicator_code TEXT NOT NULL,
  region_code TEXT NOT NULL,
  date TEXT NOT NULL,
  value REAL,
  numerator REAL,
  denominator REAL,
  missing TEXT NOT NULL DEFAULT '[]',
  provenance TEXT NOT NULL,
  run_id INTEGER REFERENCES analysis_runs (id),
  recorded_at TEXT NOT NULL
);
CREATE INDEX indicator_values_key ON indicator_values (indicator_code, region_code, date);
CREATE INDEX indicator_values_run ON indicator_values (run_id);

CREATE TABLE indicator_targets (
  id INTEGER PRIMARY KEY,
  indicator_code TEXT NOT NULL,
  region_code TEXT NOT NULL,
  baseline_value REAL,
  baseline_date TEXT,
  target_value REAL NOT NULL,
  comparator TEXT NOT NULL CHECK (comparator IN ('eq', 'gte', 'gt', 'lte', 'lt')),
  deadline_year INTEGER NOT NULL,
  source TEXT,
  confirmed_by TEXT NOT NULL,
  confirmed_at TEXT NOT NULL,
  UNIQUE (indicator_code, region_code, deadline_year)
);

CREATE TABLE scorecard_config (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  indicator_weights TEXT NOT NULL,
  measure_weight REAL NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`,
  },
  {
    version: 6,
    name: 'credit, inspections and certification',
    // Domain values (src/supervision types) are kept whole as JSON beside the columns that are queried, so the
    // stored value is exactly what the pure functions returned and re-running them on it gives the same answer.
    sql: `
CREATE TABLE credit_records (
  id TEXT PRIMARY KEY,
  uscc TEXT NOT NULL REFERENCES providers (uscc),
  kind TEXT NOT NULL CHECK (kind IN ('permit', 'penalty', 'inspection', 'complaint-upheld', 'commitment', 'award')),
  date TEXT NOT NULL,
  record TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX credit_records_uscc ON credit_records (uscc, date);

CREATE TABLE credit_classes (
  uscc TEXT PRIMARY KEY REFERENCES providers (uscc),
  risk_class TEXT NOT NULL CHECK (risk_class IN ('A', 'B', 'C', 'D')),
  score REAL NOT NULL,
  as_of TEXT NOT NULL,
  classification TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE inspection_draws (
  id INTEGER PRIMARY KEY,
  seed TEXT NOT NULL,
  scope TEXT NOT NULL,
  candidates TEXT NOT NULL,
  inspectors TEXT,
  config TEXT NOT NULL,
  result TEXT NOT NULL,
  published INTEGER NOT NULL DEFAULT 0,
  published_at TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);

CREATE TABLE inspection_results (
  draw_id INTEGER NOT NULL REFERENCES inspection_draws (id),
  uscc TEXT NOT NULL REFERENCES providers (uscc),
  inspected_on TEXT NOT NULL,
  result TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  PRIMARY KEY (draw_id, uscc)
);
CREATE INDEX inspection_results_uscc ON inspection_results (uscc);

CREATE TABLE certifications (
  id INTEGER PRIMARY KEY,
  outlet_id TEXT NOT NULL REFERENCES facilities (code),
  provider_uscc TEXT NOT NULL REFERENCES providers (uscc),
  state TEXT NOT NULL CHECK (state IN ('applied', 'under-review', 'certified', 'rejected', 'revoked', 'withdrawn')),
  certification TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX certifications_provider ON certifications (provider_uscc);
CREATE INDEX certifications_state ON certifications (state);
`,
  },
  {
    version: 3,
    name: 'plans and tracking',
    // The raw extraction is kept as the parser produced it (JSON, without the text, which has its own column);
    // corrections live in their own table and are applied on read (src/plans/corrections.ts), so a re-import
    // or a parser upgrade never loses them. Evidence files are metadata only (name, size, SHA-256, type).
    sql: `
CREATE TABLE plans (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  file_name TEXT NOT NULL,
  format TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  source_text TEXT NOT NULL,
  raw_extraction TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL
);

CREATE TABLE plan_corrections (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  op TEXT NOT NULL,
  body TEXT NOT NULL,
  author TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX plan_corrections_plan ON plan_corrections (plan_id, at);

CREATE TABLE plan_assignments (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  measure_id TEXT NOT NULL,
  measure_title TEXT NOT NULL,
  department_key TEXT NOT NULL,
  department_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('lead', 'co', 'unspecified')),
  due_date TEXT,
  start_date TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX plan_assignments_plan ON plan_assignments (plan_id);
CREATE INDEX plan_assignments_department ON plan_assignments (department_key);

CREATE TABLE progress_reports (
  id TEXT PRIMARY KEY,
  assignment_id TEXT NOT NULL REFERENCES plan_assignments (id) ON DELETE CASCADE,
  department_key TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('in-progress', 'completed', 'blocked')),
  value REAL,
  narrative TEXT NOT NULL,
  submitted_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX progress_reports_assignment ON progress_reports (assignment_id);

CREATE TABLE report_evidence (
  report_id TEXT NOT NULL REFERENCES progress_reports (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  file_name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  bytes INTEGER NOT NULL CHECK (bytes >= 0),
  sha256 TEXT NOT NULL,
  PRIMARY KEY (report_id, position)
);

CREATE TABLE report_reviews (
  report_id TEXT PRIMARY KEY REFERENCES progress_reports (id) ON DELETE CASCADE,
  decision TEXT NOT NULL CHECK (decision IN ('accepted', 'returned')),
  reviewer TEXT NOT NULL,
  reviewed_at TEXT NOT NULL,
  comment TEXT NOT NULL
);
`,
  },
  {
    version: 7,
    name: 'one naming of audited entities',
    // Audit entities are named like the tables they audit (snake_case); the supervision commands wrote four of
    // them in kebab-case. Old entries are renamed so that a filter by entity finds the whole history.
    sql: `
UPDATE audit_log SET entity = 'credit_records' WHERE entity = 'credit-records';
UPDATE audit_log SET entity = 'credit_classes' WHERE entity = 'credit-classes';
UPDATE audit_log SET entity = 'inspection_draws' WHERE entity = 'inspection-draws';
UPDATE audit_log SET entity = 'inspection_results' WHERE entity = 'inspection-results';
`,
  },
  {
    version: 8,
    name: 'spatial index of facilities; published ratings by outlet and level',
    // An R*Tree over the facilities' points (SQLite's rtree module, in every better-sqlite3 build), kept by
    // triggers, so "the outlets near this community" reads the neighbourhood, not the register. Rows are keyed by
    // the facilities table's rowid, which an upsert (ON CONFLICT DO UPDATE) keeps. A PostgreSQL store uses a GiST
    // index (PostGIS) or a btree on (lat, lon) instead.
    sql: `
CREATE VIRTUAL TABLE facilities_rtree USING rtree(id, min_lon, max_lon, min_lat, max_lat);
INSERT INTO facilities_rtree SELECT rowid, lon, lon, lat, lat FROM facilities;
CREATE TRIGGER facilities_rtree_insert AFTER INSERT ON facilities BEGIN
  INSERT INTO facilities_rtree VALUES (new.rowid, new.lon, new.lon, new.lat, new.lat);
END;
CREATE TRIGGER facilities_rtree_update AFTER UPDATE OF lon, lat ON facilities BEGIN
  UPDATE facilities_rtree SET min_lon = new.lon, max_lon = new.lon, min_lat = new.lat, max_lat = new.lat
   WHERE id = new.rowid;
END;
CREATE TRIGGER facilities_rtree_delete AFTER DELETE ON facilities BEGIN
  DELETE FROM facilities_rtree WHERE id = old.rowid;
END;
CREATE INDEX ratings_published_outlet_level ON ratings (status, outlet_id, level);
CREATE INDEX ratings_status_level ON ratings (status, level);
`,
  },
  {
    version: 9,
    name: 'published ratings counted by level, kept by triggers',
    // The Bayesian prior of every rating aggregate needs the count of published ratings per level over the whole
    // city; counting them per request read the whole table (110 ms at 500,000 ratings). Triggers keep the totals.
    sql: `
CREATE TABLE rating_level_totals (level TEXT PRIMARY KEY, n INTEGER NOT NULL CHECK (n >= 0));
INSERT INTO rating_level_totals SELECT level, count(*) FROM ratings WHERE status = 'published' GROUP BY level;
CREATE TRIGGER rating_totals_insert AFTER INSERT ON ratings WHEN new.status = 'published' BEGIN
  INSERT INTO rating_level_totals (level, n) VALUES (new.level, 1)
    ON CONFLICT (level) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER rating_totals_update AFTER UPDATE OF status, level ON ratings BEGIN
  UPDATE rating_level_totals SET n = n - 1 WHERE old.status = 'published' AND level = old.level;
  INSERT INTO rating_level_totals (level, n) SELECT new.level, 1 WHERE new.status = 'published'
    ON CONFLICT (level) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER rating_totals_delete AFTER DELETE ON ratings WHEN old.status = 'published' BEGIN
  UPDATE rating_level_totals SET n = n - 1 WHERE level = old.level;
END;
`,
  },
  {
    version: 10,
    name: 'jobs: long work off the request, with progress and cancel',
    sql: `
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  created_by_id INTEGER,
  created_by TEXT NOT NULL,
  phase TEXT,
  done INTEGER NOT NULL DEFAULT 0 CHECK (done >= 0),
  total INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
  result TEXT,
  error TEXT,
  cancelled_by TEXT,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT
);
CREATE INDEX jobs_by_creator ON jobs (created_by_id, id);
CREATE INDEX jobs_unfinished ON jobs (status) WHERE status IN ('queued', 'running');
`,
  },
  {
    version: 11,
    name: 'ratings indexed for the checks of one new rating',
    // Each rating's abuse check read every rating of the last 90 days, and each staff-entered one every rating
    // ever (13 writes/s at 10,000 ratings, npm run bench:server); now the account's, the outlet's, the long
    // texts' (src/supervision abuse.ts) and the phone's.
    sql: `
CREATE INDEX ratings_phone ON ratings (contact_phone) WHERE contact_phone IS NOT NULL;
CREATE INDEX ratings_account_time ON ratings (account_id, created_at);
CREATE INDEX ratings_outlet_time ON ratings (outlet_id, created_at);
CREATE INDEX ratings_time ON ratings (created_at);
CREATE INDEX ratings_text_time ON ratings (created_at) WHERE length(text) >= 10;
`,
  },
  {
    version: 12,
    name: 'rating keys joined by U+001F instead of NUL',
    // PostgreSQL's text cannot hold NUL (src/supervision ratingKey); the same keys in both stores let a store be
    // copied between them.
    sql: `UPDATE ratings SET rating_key = replace(rating_key, char(0), char(31)) WHERE instr(rating_key, char(0)) > 0;`,
  },
  {
    version: 13,
    name: 'jobs know their runner and its heartbeat',
    // Several servers on one store (PostgreSQL): a starting server ends the jobs of runners that stopped (no
    // heartbeat for a minute), not the ones its neighbours are running (src/jobs runner.ts).
    sql: `
ALTER TABLE jobs ADD COLUMN runner TEXT;
ALTER TABLE jobs ADD COLUMN heartbeat_at TEXT;
`,
  },
  {
    version: 14,
    name: 'jobs queued for any worker process keep their input until they end',
    // `lifecircle worker` processes take queued jobs from this table (src/jobs); the input and who asked are kept
    // only while the job waits or runs.
    sql: `
ALTER TABLE jobs ADD COLUMN input TEXT;
ALTER TABLE jobs ADD COLUMN context TEXT;
CREATE INDEX jobs_queue ON jobs (id) WHERE status = 'queued' AND runner IS NULL;
`,
  },
  {
    version: 15,
    name: 'cities set up from their division code',
    // Any city or county of China, set up with `lifecircle city create <code>` (src/cities); its box bounds the
    // coordinates an import accepts. NULL box: not known yet (no outline, no network imported).
    sql: `
CREATE TABLE cities (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  west REAL,
  south REAL,
  east REAL,
  north REAL,
  extent_source TEXT CHECK (extent_source IN ('outline', 'network', 'manual')),
  extent_note TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((west IS NULL) = (north IS NULL) AND (west IS NULL) = (extent_source IS NULL))
);
`,
  },
  {
    version: 16,
    name: 'each city keeps its walking network and its own rules',
    // The graph built from the OSM extract an administrator uploaded (src/network's file format, checksummed), so
    // every server and worker on the store analyses the same network without sharing a disk; and the rules a city
    // adopted in place of the national defaults.
    sql: `
CREATE TABLE city_networks (
  city_code TEXT PRIMARY KEY REFERENCES cities (code),
  file_name TEXT NOT NULL,
  source_sha256 TEXT NOT NULL,
  summary TEXT NOT NULL,
  graph BLOB NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
-- A rule a city adopted in place of LifeCircle's national default (e.g. its 双随机 sampling ratios), with the
-- document it comes from.
CREATE TABLE city_rules (
  city_code TEXT NOT NULL REFERENCES cities (code),
  rule TEXT NOT NULL,
  value TEXT NOT NULL,
  source TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (city_code, rule)
);
`,
  },
  {
    version: 17,
    name: 'ratings, complaints and cases of an outlet whose provider is not registered',
    // A resident rates the outlet they used, whether or not its operator (统一社会信用代码) is in the register yet
    // (issue 14); the case goes to the supervising department, and credit attaches once a provider is registered.
    // SQLite cannot drop a NOT NULL constraint: the three tables are rebuilt (https://sqlite.org/lang_altertable.html,
    // "other kinds of table schema changes"), with their indexes and the rating totals' triggers.
    sql: `
CREATE TABLE ratings_new (
  id TEXT PRIMARY KEY,
  rating_key TEXT NOT NULL UNIQUE,
  account_id TEXT NOT NULL,
  outlet_id TEXT NOT NULL,
  provider_uscc TEXT,
  service_type TEXT NOT NULL,
  region_code TEXT NOT NULL,
  event_id TEXT,
  level TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  text TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('web', 'mobile', 'staff')),
  created_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('published', 'held', 'invalidated')),
  contact_phone TEXT,
  flags TEXT NOT NULL DEFAULT '[]',
  entered_by INTEGER REFERENCES users (id),
  moderation TEXT
);
INSERT INTO ratings_new SELECT id, rating_key, account_id, outlet_id, provider_uscc, service_type, region_code,
  event_id, level, tags, text, channel, created_at, status, contact_phone, flags, entered_by, moderation FROM ratings;
DROP TABLE ratings;
ALTER TABLE ratings_new RENAME TO ratings;
CREATE INDEX ratings_outlet ON ratings (outlet_id);
CREATE INDEX ratings_provider ON ratings (provider_uscc);
CREATE INDEX ratings_region ON ratings (region_code);
CREATE INDEX ratings_status ON ratings (status, created_at);
CREATE INDEX ratings_published_outlet_level ON ratings (status, outlet_id, level);
CREATE INDEX ratings_status_level ON ratings (status, level);
CREATE INDEX ratings_phone ON ratings (contact_phone) WHERE contact_phone IS NOT NULL;
CREATE INDEX ratings_account_time ON ratings (account_id, created_at);
CREATE INDEX ratings_outlet_time ON ratings (outlet_id, created_at);
CREATE INDEX ratings_time ON ratings (created_at);
CREATE INDEX ratings_text_time ON ratings (created_at) WHERE length(text) >= 10;
CREATE TRIGGER rating_totals_insert AFTER INSERT ON ratings WHEN new.status = 'published' BEGIN
  INSERT INTO rating_level_totals (level, n) VALUES (new.level, 1)
    ON CONFLICT (level) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER rating_totals_update AFTER UPDATE OF status, level ON ratings BEGIN
  UPDATE rating_level_totals SET n = n - 1 WHERE old.status = 'published' AND level = old.level;
  INSERT INTO rating_level_totals (level, n) SELECT new.level, 1 WHERE new.status = 'published'
    ON CONFLICT (level) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER rating_totals_delete AFTER DELETE ON ratings WHEN old.status = 'published' BEGIN
  UPDATE rating_level_totals SET n = n - 1 WHERE level = old.level;
END;

CREATE TABLE complaints_new (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  provider_uscc TEXT,
  outlet_id TEXT,
  service_type TEXT NOT NULL,
  region_code TEXT NOT NULL,
  category TEXT NOT NULL,
  text TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('web', 'mobile', 'staff')),
  created_at TEXT NOT NULL,
  contact_phone TEXT
);
INSERT INTO complaints_new SELECT id, account_id, provider_uscc, outlet_id, service_type, region_code, category,
  text, channel, created_at, contact_phone FROM complaints;
DROP TABLE complaints;
ALTER TABLE complaints_new RENAME TO complaints;
CREATE INDEX complaints_account ON complaints (account_id);

CREATE TABLE cases_new (
  id TEXT PRIMARY KEY,
  origin_kind TEXT NOT NULL CHECK (origin_kind IN ('rating', 'complaint')),
  origin_id TEXT NOT NULL,
  outlet_id TEXT NOT NULL,
  provider_uscc TEXT,
  department_id TEXT NOT NULL,
  region_code TEXT NOT NULL,
  domain TEXT NOT NULL,
  account_id TEXT NOT NULL,
  state TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  due_at TEXT NOT NULL,
  data TEXT NOT NULL
);
INSERT INTO cases_new SELECT id, origin_kind, origin_id, outlet_id, provider_uscc, department_id, region_code,
  domain, account_id, state, opened_at, due_at, data FROM cases;
DROP TABLE cases;
ALTER TABLE cases_new RENAME TO cases;
CREATE INDEX cases_state ON cases (state, due_at);
CREATE INDEX cases_provider ON cases (provider_uscc);
CREATE INDEX cases_region ON cases (region_code);
CREATE INDEX cases_account ON cases (account_id);
`,
  },
  {
    version: 18,
    name: 'case events keep what a step decided as values',
    // Whether the resident was reached or satisfied, the appeal's ground, the review's decision, the escalation level:
    // JSON the dashboard words in the reader's language. Notes keep only the actor's own words (issue 14: English
    // prefixes such as "reached: " showed in the Chinese dashboard).
    sql: `ALTER TABLE case_events ADD COLUMN detail TEXT;`,
  },
  {
    version: 19,
    name: 'login failures and request-rate windows counted in the store',
    // Every server process of one deployment counts together (issue 12): before, each process kept its own counts
    // in memory, so N processes behind a load balancer allowed N times the limits.
    sql: `
      CREATE TABLE login_failures (
        username TEXT NOT NULL,
        client TEXT NOT NULL, -- '' counts the name's failures from anywhere
        failures INTEGER NOT NULL,
        last_ms INTEGER NOT NULL,
        PRIMARY KEY (username, client)
      );
      CREATE INDEX login_failures_last ON login_failures (last_ms);
      CREATE TABLE request_windows (
        key TEXT PRIMARY KEY,
        hits INTEGER NOT NULL,
        started_ms INTEGER NOT NULL
      );
      CREATE INDEX request_windows_started ON request_windows (started_ms);
    `,
  },
  {
    version: 20,
    name: 'each city keeps its basemap',
    // Water, green, buildings, roads and places read from the OSM extract the city's network was built from (or the
    // bundled one): the map's basemap, served as vector tiles by this server (src/basemap), no remote tiles. The
    // layers are src/basemap's encoding (gzip'd JSON, `format` names its version), checked against `sha256`.
    sql: `
      CREATE TABLE city_basemaps (
        city_code TEXT PRIMARY KEY REFERENCES cities (code),
        file_name TEXT NOT NULL,
        source_sha256 TEXT NOT NULL,
        format TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        counts TEXT NOT NULL, -- JSON: features per layer
        bbox TEXT NOT NULL, -- JSON [west, south, east, north], or null when empty
        data BLOB NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 21,
    name: 'monitoring reports',
    // The 第三方监测评价 report of a region (src/reports): its figures in brief and its three files (HTML for print,
    // DOCX, the XLSX annex), written with its audit record in one transaction, downloadable later.
    sql: `
      CREATE TABLE monitoring_reports (
        id INTEGER PRIMARY KEY,
        region_code TEXT NOT NULL,
        type_code TEXT,
        lang TEXT NOT NULL,
        title TEXT NOT NULL,
        run_id INTEGER NOT NULL REFERENCES analysis_runs (id),
        previous_run_id INTEGER REFERENCES analysis_runs (id),
        summary TEXT NOT NULL, -- JSON: the headline figures
        html BLOB NOT NULL,
        docx BLOB NOT NULL,
        xlsx BLOB NOT NULL,
        html_bytes INTEGER NOT NULL,
        docx_bytes INTEGER NOT NULL,
        xlsx_bytes INTEGER NOT NULL,
        created_by_id INTEGER,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX monitoring_reports_region ON monitoring_reports (region_code);
    `,
  },
];
