-- pingcha schema 7: a round may require a 终评 sheet for every case before its result counts
-- (then a single reviewer's sheet leaves the case 未定稿). Merged with the round record.
-- Append-only: never edit once shipped.
ALTER TABLE round ADD COLUMN require_final INTEGER NOT NULL DEFAULT 0;
