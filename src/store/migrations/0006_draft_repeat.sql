-- pingcha schema 6: the draft of the finding being typed keeps its 从重 too (local only, never
-- merged): whether it is set, and the reason for removing an automatic 从重, as typed or as
-- confirmed. Append-only: never edit once shipped.
ALTER TABLE local_draft ADD COLUMN repeat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE local_draft ADD COLUMN repeat_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE local_draft ADD COLUMN repeat_waived INTEGER NOT NULL DEFAULT 0;
