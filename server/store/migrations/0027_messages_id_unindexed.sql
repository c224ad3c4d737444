-- SPDX-License-Identifier: Apache-2.0
-- messages.id is only the search's order and paging key (ORDER BY id DESC, id < before):
-- nothing looks a message up by it, and an identity column is unique without an index. The
-- unique index cost every send a B-tree insertion: dropping it took 7 % of PostgreSQL's CPU
-- per message in the closed loop (docs/benchmarks.md, "The search's key unindexed").
ALTER TABLE messages DROP CONSTRAINT messages_id_unique;
