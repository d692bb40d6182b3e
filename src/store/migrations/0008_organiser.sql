-- pingcha schema 7: the organiser's side of a round. Append-only: never edit once shipped.
--
-- The roster: a reviewer's unit (回避: never assigned a case of it), whether they lead a group
-- (a leader may delete findings on a 终评 sheet), and whether the organiser listed them (0 for
-- names a round without a roster picked up from their first sheet).
ALTER TABLE reviewer ADD COLUMN unit TEXT NOT NULL DEFAULT '';
ALTER TABLE reviewer ADD COLUMN leader INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reviewer ADD COLUMN listed INTEGER NOT NULL DEFAULT 1;

-- A practice round (统一评查尺度): every reviewer scores the same cases; never in reports or the
-- ledger.
ALTER TABLE round ADD COLUMN calibration INTEGER NOT NULL DEFAULT 0;

-- Who reviews which case. A last-writer-wins record per (case, reviewer); `override` is the
-- reason the organiser gave for breaking avoidance ('' when it holds).
CREATE TABLE assignment (
    case_id   TEXT NOT NULL,
    reviewer  TEXT NOT NULL,
    override  TEXT NOT NULL DEFAULT '',
    deleted   INTEGER NOT NULL DEFAULT 0,
    hlc       INTEGER NOT NULL,
    replica   TEXT NOT NULL,
    PRIMARY KEY (case_id, reviewer)
);

-- Units the organiser declares related for avoidance (a reviewer of `unit` never gets a case
-- of `related`, and the other way round). Stored once per unordered pair, smaller name first.
CREATE TABLE related_unit (
    unit     TEXT NOT NULL,
    related  TEXT NOT NULL,
    deleted  INTEGER NOT NULL DEFAULT 0,
    hlc      INTEGER NOT NULL,
    replica  TEXT NOT NULL,
    PRIMARY KEY (unit, related)
);

-- Cases withdrawn after hand-out (drawn by mistake): the case record is a tombstone, its sheets
-- stay in the file; this says why, for the report.
CREATE TABLE case_withdrawal (
    case_id  TEXT PRIMARY KEY,
    case_no  TEXT NOT NULL,
    reason   TEXT NOT NULL,
    deleted  INTEGER NOT NULL DEFAULT 0,
    hlc      INTEGER NOT NULL,
    replica  TEXT NOT NULL
);
