-- SPDX-License-Identifier: Apache-2.0
-- Requests to join a group reach its owner and admins as pushes, so they follow the rules
-- friend requests and invitations already kept:
-- - Someone the owner or an admin of the group blocked cannot ask to join it (outcome
--   application_refused; it does not say who blocked them).
-- - Nobody asks one group more than 3 times within a day (outcome asked_recently). A
--   declined or withdrawn request made room for a new one at once, so declining never ended
--   the pushes, and the 200 waiting requests of 0019 did not bound them.
-- The rest of tern_group_apply is as in 0019.
CREATE INDEX group_join_applications_by_group_applicant
    ON group_join_applications (group_id, applicant_id, created_at);

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
        IF EXISTS (SELECT 1 FROM group_members m
                     JOIN contacts c ON c.owner_id = m.user_id AND c.peer_id = p_user
                                    AND c.blocked
                    WHERE m.group_id = p_group AND m.left_seq IS NULL AND m.role >= 2) THEN
            RETURN tern_group_outcome('application_refused');
        END IF;
        IF (SELECT count(*) FROM group_join_applications
             WHERE group_id = p_group AND applicant_id = p_user
               AND created_at > now() - interval '1 day') >= 3 THEN
            RETURN tern_group_outcome('asked_recently');
        END IF;
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
