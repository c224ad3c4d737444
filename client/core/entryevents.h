// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

namespace tern::client {

// Edits, recalls and reactions are history entries of their own that change an earlier one.
// The cached history (MessageStore) and the conversation list's preview (ConversationStore)
// apply them the same way.

// The seq an edit, recall or reaction is about; 0 for any other entry.
quint64 eventTargetSeq(const proto::Message &event);

// Applies an edit, recall or reaction to the entry it targets.
void applyEntryEvent(const proto::Message &event, proto::Message &target);

} // namespace tern::client
