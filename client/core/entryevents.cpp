// SPDX-License-Identifier: Apache-2.0
#include "entryevents.h"

#include <algorithm>

namespace tern::client {

quint64 eventTargetSeq(const proto::Message &event)
{
    if (event.has_edit())
        return event.edit().target_seq();
    if (event.has_recall())
        return event.recall().target_seq();
    if (event.has_reaction())
        return event.reaction().target_seq();
    return 0;
}

void applyEntryEvent(const proto::Message &event, proto::Message &target)
{
    if (event.has_edit()) {
        target.mutable_content()->set_text(event.edit().text());
        target.set_edited_at_ms(event.sent_at_ms());
    } else if (event.has_recall()) {
        target.clear_content();
        target.set_recalled(true);
        target.set_recalled_by(event.sender_id());
        target.clear_reactions();
    } else if (event.has_reaction()) {
        auto *reactions = target.mutable_reactions();
        const quint64 who = event.sender_id();
        // A member has at most one reaction per message: drop the old one first.
        for (int i = reactions->size() - 1; i >= 0; --i) {
            auto *ids = reactions->Mutable(i)->mutable_user_ids();
            ids->erase(std::remove(ids->begin(), ids->end(), who), ids->end());
            if (ids->empty())
                reactions->DeleteSubrange(i, 1);
        }
        const std::string &emoji = event.reaction().emoji();
        if (!emoji.empty()) {
            auto it =
                std::find_if(reactions->begin(), reactions->end(),
                             [&](const proto::ReactionCount &r) { return r.emoji() == emoji; });
            proto::ReactionCount *r = it != reactions->end() ? &*it : reactions->Add();
            r->set_emoji(emoji);
            r->add_user_ids(who);
        }
    }
}

} // namespace tern::client
