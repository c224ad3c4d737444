-- SPDX-License-Identifier: Apache-2.0
-- An applicant lists their own pending requests to join groups (ListJoinApplications with
-- group_id 0, newest first, at most 200), and may have at most 200 waiting at once, so that
-- the list shows them all and nobody floods every group that takes requests. Asking again
-- where one waits already still answers with that one. Two requests racing at 199 may both
-- pass: the bound is for abuse, not exact.
CREATE INDEX group_join_applications_pending_by_applicant
    ON group_join_applications (applicant_id, id) WHERE state = 1;

CREATE OR REPLACE FUNCTION tern_group_apply(p_group bigint, p_user bigint, p_message text,
                                            p_limit int)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_role smallint;
    v_id bigint;
BEGIN
    v_role := tern_group_lock(p_group, p_user);
    IF v_role IS NULL THEN
        RETURN tern_group_outcome('no_group');
    ELSIF v_role > 0 THEN
        RETURN tern_group_outcome('already_member');
    ELSIF (SELECT join_policy FROM groups WHERE id = p_group) <> 2 THEN
        RETURN tern_group_outcome('policy');
    ELSIF (SELECT member_count FROM groups WHERE id = p_group) + 1 > p_limit THEN
        RETURN tern_group_outcome('limit');
    END IF;
    SELECT id INTO v_id FROM group_join_applications
     WHERE group_id = p_group AND applicant_id = p_user AND state = 1;
    IF v_id IS NULL THEN
        IF (SELECT count(*) FROM (SELECT 1 FROM group_join_applications
                                   WHERE applicant_id = p_user AND state = 1 LIMIT 200) p)
           >= 200 THEN
            RETURN tern_group_outcome('too_many_requests');
        END IF;
        INSERT INTO group_join_applications (group_id, applicant_id, message)
        VALUES (p_group, p_user, p_message)
        ON CONFLICT (group_id, applicant_id) WHERE state = 1 DO NOTHING;
        SELECT id INTO v_id FROM group_join_applications
         WHERE group_id = p_group AND applicant_id = p_user AND state = 1;
    END IF;
    RETURN tern_group_done(p_group, NULL, '{}', v_id);
END $$;
