-- pingcha schema 4: the rectification ledger (整改台账). Append-only: never edit once shipped.
--
-- ledger_entry is one problem fed back to a handling unit, a last-writer-wins record like the
-- others (its id is derived from the finding's id, so two laptops that sync agree on it).
-- ledger_history records every state change; it is a grow-only set keyed by the version
-- itself (entry, stamp, replica), so merging it is a plain union.
CREATE TABLE ledger_entry (
    id           TEXT PRIMARY KEY,
    finding_id   TEXT NOT NULL,
    case_id      TEXT NOT NULL,
    unit         TEXT NOT NULL DEFAULT '',
    handler      TEXT NOT NULL DEFAULT '',
    problem_code TEXT,
    problem      TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    deadline     TEXT,
    state        TEXT NOT NULL,
    measures     TEXT NOT NULL DEFAULT '',
    evidence     TEXT NOT NULL DEFAULT '',
    verifier     TEXT NOT NULL DEFAULT '',
    verified_on  TEXT,
    hlc          INTEGER NOT NULL,
    replica      TEXT NOT NULL
);

CREATE TABLE ledger_history (
    entry_id   TEXT NOT NULL,
    who        TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    hlc        INTEGER NOT NULL,
    replica    TEXT NOT NULL,
    PRIMARY KEY (entry_id, hlc, replica)
);
