// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"
#include "tern/v1/calls.pb.h"

#include <QString>

namespace tern::client {

// A call's record as the timeline says it: "Video call · 3:12", "Missed voice call",
// "Call declined" ... `mine`: the user made the call.
QString describeCallRecord(const proto::CallRecord &record, bool mine);

} // namespace tern::client
