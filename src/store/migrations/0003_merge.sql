-- pingcha schema 3: what merging needs. Append-only: never edit once shipped.
--
-- case_field_history keeps every superseded value of a case's metadata field, so a value that
-- lost a merge (or was overwritten on this laptop) is never silently gone. It is a grow-only
-- set keyed by the version itself (case, key, stamp, replica), so merging it is a plain union.
CREATE TABLE case_field_history (
    case_id TEXT NOT NULL,
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    hlc     INTEGER NOT NULL,
    replica TEXT NOT NULL,
    PRIMARY KEY (case_id, key, hlc, replica)
);

-- Clock corrections an operator applied while merging (`--clock-fix REPLICA=+DAYS`): a
-- laptop whose date was wrong has its out-of-range stamps shifted by `days`. A grow-only set.
CREATE TABLE clock_fix (
    replica TEXT NOT NULL,
    days    INTEGER NOT NULL,
    PRIMARY KEY (replica, days)
);
