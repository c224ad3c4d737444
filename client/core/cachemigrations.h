// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QStringList>

#include <vector>

namespace tern::client {

// The local cache's schema history: migration N (1-based) is cacheMigrations()[N - 1], a list
// of statements run in one transaction. Append only; never edit a released migration.
const std::vector<QStringList> &cacheMigrations();

} // namespace tern::client
