// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QString>
#include <QUrl>

// The `storm` scenario: `devices` authenticated devices drop at once (as when a network comes
// back) and all reconnect together: Hello, Resume with the device token, then
// SyncConversations from the cursor each held. Reports the time until every device is resumed
// and synced, and resumes per second. Then the token resume alone: the devices' connections
// greeted first, their Resume requests all at once (in rounds), resumes per second.
struct StormOptions
{
    QUrl url;
    int devices = 1000;
    QString tag;
};

struct StormResult
{
    bool ok = false;
    QString error;
    QJsonObject json;
    QString table;
};

StormResult runStorm(const StormOptions &options);
