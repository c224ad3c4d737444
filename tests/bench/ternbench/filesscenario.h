// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QString>
#include <QUrl>

// The `files` scenario: one user uploads a generated file of `fileMiB` MiB (one chunk in
// flight, as the desktop client does), sends it to a second user, who downloads it (one read
// in flight) and checks its SHA-256. Meanwhile the sender sends a text message every 100 ms
// on the same connection, to show what a transfer does to chat latency, and the server's
// resident memory is sampled every 20 ms (needs the server's process id, same machine).
struct FilesOptions
{
    QUrl url;
    qint64 fileMiB = 1024;
    quint32 chunkBytes = 240 * 1024;
    qint64 serverPid = 0;
    QString tag;
};

struct FilesResult
{
    bool ok = false;
    QString error;
    QJsonObject json;
    QString table;
};

FilesResult runFiles(const FilesOptions &options);
