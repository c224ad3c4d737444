// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QString>
#include <QUrl>

// The `fanout` scenario: `groups` groups of `groupSize` members, everyone online; the owner of
// each group sends to it. Closed loop (rate 0): each sender keeps `window` messages on their
// way, a message counting as on its way until the last member has it. Open loop: `rate`
// messages per second in all. Reports deliveries per second (one per member reached) and the
// time from send until the last member got the message.
struct FanoutOptions
{
    QUrl url;
    int groups = 1;
    int groupSize = 500;
    int window = 2;
    int rate = 0;
    int durationS = 10;
    int textBytes = 100;
    QString tag;
    // ternd's and its PostgreSQL postmaster's process ids on this machine (0: unknown): the
    // report adds their CPU per delivery (CpuBudget).
    qint64 serverPid = 0;
    qint64 databasePid = 0;
};

struct FanoutResult
{
    bool ok = false;
    QString error;
    QJsonObject json;
    QString table;
};

FanoutResult runFanout(const FanoutOptions &options);
