-- pingcha schema 5: repeated problems across rounds (从重). Append-only: never edit once shipped.
--
-- prior_problem holds the problems an earlier round fed back to the handling units: that
-- round's ledger entries (and those its ledger would get from a sync), brought in by
-- `pingcha round new --previous`, with the earlier round's own prior problems. It is written
-- once, in the organiser's file, so every copy has the same rows; it is a grow-only set keyed
-- by the earlier round and entry, so merging it is a plain union.
CREATE TABLE prior_problem (
    round_id     TEXT NOT NULL,
    entry_id     TEXT NOT NULL,
    round_name   TEXT NOT NULL,
    case_no      TEXT NOT NULL,
    unit         TEXT NOT NULL DEFAULT '',
    problem_code TEXT,
    problem      TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL,
    PRIMARY KEY (round_id, entry_id)
);
CREATE INDEX prior_problem_unit ON prior_problem (unit);

-- Why the reviewer removed the automatic 从重 of a finding whose problem was fed back before
-- ('' when not removed). Written with the finding, so it merges with it.
ALTER TABLE finding ADD COLUMN repeat_waived TEXT NOT NULL DEFAULT '';
