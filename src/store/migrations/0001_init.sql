-- pingcha schema 1. Append-only: never edit a migration once shipped; add the next file.
--
-- Tables named local_* belong to this file on this machine and are never merged or exported.
-- Every other table holds merged records: a stable id, the hybrid logical clock stamp of the
-- last write (hlc), the replica that wrote it, and a tombstone flag where records can go away.

CREATE TABLE local_replica (
    machine_id TEXT NOT NULL,
    reviewer   TEXT NOT NULL,
    path       TEXT NOT NULL,
    replica_id TEXT NOT NULL UNIQUE,
    PRIMARY KEY (machine_id, reviewer, path)
);

CREATE TABLE local_clock (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
);
INSERT INTO local_clock (id, last) VALUES (1, 0);

CREATE TABLE rubric (
    hash      TEXT PRIMARY KEY,  -- sha256 of the TOML source: content-addressed, immutable
    rubric_id TEXT NOT NULL,
    version   TEXT NOT NULL,
    name      TEXT NOT NULL,
    source    TEXT NOT NULL
);

CREATE TABLE round (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    rubric_hash TEXT NOT NULL,
    kind        TEXT NOT NULL,   -- 日常 / 全面 / 专项
    method      TEXT NOT NULL,   -- 自查 / 交叉 / 抽查 / 协审
    hlc         INTEGER NOT NULL,
    replica     TEXT NOT NULL
);

CREATE TABLE reviewer (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    grp     TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0,
    hlc     INTEGER NOT NULL,
    replica TEXT NOT NULL
);

CREATE TABLE case_record (
    id      TEXT PRIMARY KEY,   -- uuid v5 of round id + normalised case number
    case_no TEXT NOT NULL,
    seq     INTEGER NOT NULL,   -- position in the case list
    deleted INTEGER NOT NULL DEFAULT 0,
    hlc     INTEGER NOT NULL,
    replica TEXT NOT NULL
);

CREATE TABLE case_field (
    case_id TEXT NOT NULL,
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    hlc     INTEGER NOT NULL,
    replica TEXT NOT NULL,
    PRIMARY KEY (case_id, key)
);

CREATE TABLE sheet (
    id          TEXT PRIMARY KEY,  -- uuid v5 of case id + reviewer + stage
    case_id     TEXT NOT NULL,
    reviewer    TEXT NOT NULL,
    stage       TEXT NOT NULL,     -- 自评 / 初评 / 复核 / 终评
    rubric_hash TEXT NOT NULL,
    deleted     INTEGER NOT NULL DEFAULT 0,
    hlc         INTEGER NOT NULL,
    replica     TEXT NOT NULL
);
CREATE INDEX sheet_case ON sheet (case_id);

CREATE TABLE decision (
    sheet_id TEXT PRIMARY KEY,
    grade    TEXT NOT NULL,
    reason   TEXT NOT NULL,
    decider  TEXT NOT NULL,
    deleted  INTEGER NOT NULL DEFAULT 0,
    hlc      INTEGER NOT NULL,
    replica  TEXT NOT NULL
);

CREATE TABLE finding (
    id       TEXT PRIMARY KEY,  -- uuid v4
    sheet_id TEXT NOT NULL,
    node     TEXT NOT NULL,
    count    INTEGER,           -- occurrences / missing elements
    amount   INTEGER,           -- hundredths of a point (range, catch-all)
    note     TEXT NOT NULL,
    volume   INTEGER,
    page     INTEGER,
    problem  TEXT,              -- common-problem code
    repeat   INTEGER NOT NULL DEFAULT 0,
    deleted  INTEGER NOT NULL DEFAULT 0,
    hlc      INTEGER NOT NULL,
    replica  TEXT NOT NULL
);
CREATE INDEX finding_sheet ON finding (sheet_id);

CREATE TABLE mark (
    sheet_id TEXT NOT NULL,
    node     TEXT NOT NULL,     -- item or category id, or '' for the whole case
    kind     TEXT NOT NULL,     -- 'na' (不适用) / 'pending' (待议)
    value    INTEGER NOT NULL,  -- 1 set, 0 cleared
    note     TEXT NOT NULL DEFAULT '',
    hlc      INTEGER NOT NULL,
    replica  TEXT NOT NULL,
    PRIMARY KEY (sheet_id, node, kind)
);
