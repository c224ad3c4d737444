-- SPDX-License-Identifier: Apache-2.0
-- Every send batch updates its conversations' rows (last_seq, change_xid). An update stays on
-- its row's page, without new entries in the table's indexes (a HOT update), only when the
-- page has room for the new version; rows that older snapshots may still see take that room
-- until they are pruned. With full pages, a third of the updates in the 10,000-user pairs
-- benchmark moved to other pages and wrote into every index of the table (docs/benchmarks.md,
-- issue 5). New pages are now filled only half with rows. Pages written before keep their
-- rows until the table is rewritten (VACUUM FULL), which this migration does not force.
ALTER TABLE conversations SET (fillfactor = 50);
