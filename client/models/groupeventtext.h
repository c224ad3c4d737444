// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QString>

namespace tern::client {

class Account;

// A group event as one line of the timeline and the chat list: "Anna created the group",
// "You removed Bo", "Anna renamed the group to “Trip”". People by the names this account
// shows for them ("You" for the user).
QString describeGroupEvent(const proto::GroupEvent &event, Account &account);

} // namespace tern::client
