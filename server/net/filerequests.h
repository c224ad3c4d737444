// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

namespace tern::server {

class Connection;
class FileService;

// Files requests (files.proto) -> FileService; each answered once on the connection.
void handleFileRequest(FileService &files, Connection &connection, quint64 requestId,
                       const proto::Frame &frame);

} // namespace tern::server
