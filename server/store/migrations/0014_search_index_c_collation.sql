-- SPDX-License-Identifier: Apache-2.0
-- The n-gram index compares its keys bytewise (COLLATE "C"). Under the database's collation
-- (C.UTF-8 on the embedded cluster, anything an operator chose otherwise) every key compare
-- went through varstr_cmp -> strcoll with a locale lookup; GIN compares keys when it sorts a
-- message's n-grams and when it merges its pending list into the tree, and in the pairs
-- benchmark those compares were about 6 % of all CPU (issue 5). Only equality of n-grams
-- matters to search (@>), which every collation agrees on, so nothing found changes. The
-- search query names the same collation (MessageStore::search), else the planner could not
-- use this index.
DROP INDEX messages_search;
CREATE INDEX messages_search ON messages USING gin (search_grams COLLATE "C");
