// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "benchusers.h"

#include <QString>

#include <vector>

// Makes a group of `members` (the first is the owner) over the real protocol: everyone lets
// anyone add them (UpdateProfile), the owner creates the group and adds the rest 100 at a time
// (the protocol's limit per request), then opens the group's conversation. Spins the event
// loop; the conversation id, 0 with `error` set on failure.
quint64 makeGroup(std::vector<BenchUser *> members, const QString &name, QString &error);
