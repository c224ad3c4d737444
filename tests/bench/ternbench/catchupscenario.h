// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QString>
#include <QUrl>

// The `catchup` scenario: one device is away while `messages` arrive spread over
// `conversations` direct conversations; then it reconnects (Resume with its token) and catches
// up as a client does: SyncConversations from its cursor, then GetMessages after the seq it
// held in every changed conversation, in pages. Reports the time from reconnecting to holding
// every message; fails unless exactly the missed messages arrive.
struct CatchupOptions
{
    QUrl url;
    int messages = 10000;
    int conversations = 100;
    int window = 32; // sends in flight per sender while the device is away
    QString tag;
};

struct CatchupResult
{
    bool ok = false;
    QString error;
    QJsonObject json;
    QString table;
};

CatchupResult runCatchup(const CatchupOptions &options);
