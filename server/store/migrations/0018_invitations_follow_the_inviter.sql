-- SPDX-License-Identifier: Apache-2.0
-- An invitation speaks for its inviter only while the inviter could still bring the invitee
-- in. Accepting one checked neither, so that an invitation from a member who was removed
-- since, or from a plain member after the group turned to admin approval, still let the
-- invitee in past the admins. Now accepting cancels such an invitation (state 4) and answers
-- not_pending, as for one cancelled before; declining is unchanged.
CREATE OR REPLACE FUNCTION tern_group_answer_invitation(p_user bigint, p_invitation bigint,
                                                        p_accept boolean, p_limit int)
RETURNS tern_group_result
LANGUAGE plpgsql AS $$
DECLARE
    v_invitation group_invitations;
    v_role smallint;
    v_inviter_role smallint;
    v_seq bigint;
    v_event bytea;
BEGIN
    SELECT * INTO v_invitation FROM group_invitations
     WHERE id = p_invitation AND invitee_id = p_user;
    IF NOT FOUND THEN
        RETURN tern_group_outcome('no_invitation');
    END IF;
    v_role := tern_group_lock(v_invitation.group_id, p_user);
    -- Read again under the group's lock: it may have been answered or cancelled meanwhile.
    SELECT * INTO v_invitation FROM group_invitations WHERE id = p_invitation;
    IF v_role IS NULL OR v_invitation.state <> 1 THEN
        RETURN tern_group_outcome('not_pending', p_invitation);
    END IF;
    IF NOT p_accept OR v_role > 0 THEN
        UPDATE group_invitations SET state = CASE WHEN p_accept THEN 2 ELSE 3 END,
                                     updated_at = now()
         WHERE id = p_invitation;
        RETURN tern_group_done(v_invitation.group_id, NULL, '{}', p_invitation);
    END IF;
    -- The inviter's rights now, under the same lock as InviteToGroup checks them.
    SELECT m.role INTO v_inviter_role FROM group_members m
     WHERE m.group_id = v_invitation.group_id AND m.user_id = v_invitation.inviter_id
       AND m.left_seq IS NULL;
    IF v_inviter_role IS NULL
       OR (v_inviter_role = 1
           AND (SELECT join_policy FROM groups WHERE id = v_invitation.group_id) = 2) THEN
        UPDATE group_invitations SET state = 4, updated_at = now() WHERE id = p_invitation;
        RETURN tern_group_outcome('not_pending', p_invitation);
    END IF;
    IF (SELECT member_count FROM groups WHERE id = v_invitation.group_id) + 1 > p_limit THEN
        RETURN tern_group_outcome('limit');
    END IF;
    UPDATE group_invitations SET state = 2, updated_at = now() WHERE id = p_invitation;
    v_seq := tern_group_next_seq(v_invitation.group_id);
    PERFORM tern_group_add_members(v_invitation.group_id, ARRAY[p_user], v_seq);
    v_event := tern_group_put_event(v_invitation.group_id, v_seq, 3, p_user, '{}',
                                    tern_pb_uint(8, v_invitation.inviter_id));
    RETURN tern_group_done(v_invitation.group_id, v_event, '{}', p_invitation);
END $$;
