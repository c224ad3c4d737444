// SPDX-License-Identifier: Apache-2.0
#pragma once

// One include for the generated protocol types and the names both sides use for them.

#include "tern/v1/account.pb.h"
#include "tern/v1/contacts.pb.h"
#include "tern/v1/error.pb.h"
#include "tern/v1/frame.pb.h"
#include "tern/v1/groups.pb.h"
#include "tern/v1/hello.pb.h"
#include "tern/v1/people.pb.h"
#include "tern/v1/presence.pb.h"

#include <QtGlobal>

namespace tern {

namespace proto = ::tern::v1;
using ErrorCode = proto::ErrorCode;

// The protocol version described by shared/proto/tern/v1.
inline constexpr quint32 kProtocolVersion = 1;

} // namespace tern
