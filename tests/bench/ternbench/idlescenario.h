// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QString>
#include <QUrl>

// The `idle` scenario: `connections` authenticated connections that then do nothing (the
// server keeps pinging them). Reports the server's resident memory per connection and its CPU
// while idle; both need the server's process id (same machine).
struct IdleOptions
{
    QUrl url;
    int connections = 1000;
    int idleSeconds = 10;
    qint64 serverPid = 0;
    QString tag;
};

struct IdleResult
{
    bool ok = false;
    QString error;
    QJsonObject json;
    QString table;
};

IdleResult runIdle(const IdleOptions &options);
