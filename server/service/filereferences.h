// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "service/result.h"
#include "tern/protocol.h"

#include <QString>

#include <functional>
#include <optional>

namespace tern::server {

class FileStore;

// Before a message, a profile or a group refers to a file, the caller must be allowed to make
// that reference: otherwise anyone who learnt a file id could grant themselves (and a chat) read
// access by sending it. Both checks answer on the pool's thread; nullopt means go ahead.
using FileCheckCallback = std::function<void(const std::optional<ServiceError> &)>;

// A message's FileRef: the sender may read the file, and the size it states is the file's.
void checkMessageFile(FileStore &store, qint64 senderId, const proto::FileRef &file,
                      FileCheckCallback done);

// An avatar: empty (no avatar), or an image the caller uploaded.
void checkAvatarFile(FileStore &store, qint64 callerId, const QString &fileId,
                     FileCheckCallback done);

} // namespace tern::server
