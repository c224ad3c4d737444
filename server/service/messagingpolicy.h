// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/limits.h"

// The configurable rules of messaging (config section [messaging]); advertised to clients in
// Welcome.limits.

namespace tern::server {

struct MessagingPolicy
{
    int maxTextLength = limits::kDefaultMaxMessageTextLength; // characters
    int editWindowSeconds = limits::kDefaultEditWindowSeconds;
    int recallWindowSeconds = limits::kDefaultRecallWindowSeconds;
    // Whether a user may message people who are not their friends (blocks always apply).
    bool allowStrangers = false;
};

} // namespace tern::server
