-- pingcha schema 2: what the TUI keeps on this machine only (never merged or exported).
--
-- local_draft holds the finding a writer is typing, saved on every keystroke, so a crash or
-- kill -9 loses nothing; local_cursor holds where the writer was, restored on reopening.

CREATE TABLE local_draft (
    replica  TEXT PRIMARY KEY,
    case_id  TEXT NOT NULL,
    node     TEXT NOT NULL,
    quantity TEXT NOT NULL DEFAULT '',
    note     TEXT NOT NULL DEFAULT '',
    problem  TEXT,
    volume   TEXT NOT NULL DEFAULT '',
    page     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE local_cursor (
    replica TEXT PRIMARY KEY,
    case_id TEXT NOT NULL,
    node    TEXT NOT NULL
);
