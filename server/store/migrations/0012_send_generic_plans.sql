-- SPDX-License-Identifier: Apache-2.0
-- tern_msg_send_many (0011) and everything it calls run on generic plans. Its statements take
-- the batch as array parameters; with custom plans PostgreSQL planned them again on every call
-- (a quarter of PostgreSQL's time in the fanout benchmark, where batches are one or two group
-- messages, went to GetCachedPlan -> pg_plan_query; issue 5). Their plans do not depend on the
-- values much: every lookup is by key, and hash and merge joins are off for this function
-- anyway (see 0005). The setting holds for the nested calls too (tern_msg_send and its helpers
-- for group and reply messages). Measured: planning fell from 4.8 % to 0.8 % of all samples
-- in the fanout profile; pairs throughput unchanged within the noise.
ALTER FUNCTION tern_msg_send_many(bigint[], bigint[], uuid[], smallint[], bytea[], bigint[],
                                  bigint[], int[], boolean[], text[], text[], boolean[], boolean)
    SET plan_cache_mode = force_generic_plan;
