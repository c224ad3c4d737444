-- SPDX-License-Identifier: Apache-2.0
-- ternd merges the search index's pending list on a connection of its own, shortly after
-- messages are committed (SearchIndexUpkeep). The insert that finds the list over this limit
-- merges it inside its own transaction, holding up every send batched with it, so the limit
-- is raised from the default 4 MB: inserts reach it only when the upkeep falls behind or is
-- not running. A search reads the pending list whole, so it stays short while the upkeep runs.
ALTER INDEX messages_search SET (gin_pending_list_limit = 16384);
