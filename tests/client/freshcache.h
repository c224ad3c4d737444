// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "localcache.h"

#include <QFile>
#include <QTemporaryDir>

// For the unit tests of the cache's stores: the cache reopened on a new, empty file in `dir`
// (each test function starts from nothing). Empty on success, else why it failed.
inline QString reopenFresh(tern::client::LocalCache &cache, const QTemporaryDir &dir)
{
    if (!dir.isValid())
        return QStringLiteral("no temporary directory");
    cache.close();
    const QString path = dir.filePath(QStringLiteral("cache.sqlite"));
    QFile::remove(path);
    return cache.open(path) ? QString() : cache.error();
}
