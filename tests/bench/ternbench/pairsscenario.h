// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QString>
#include <QUrl>

// The `pairs` scenario: users in pairs, each sending 1:1 messages to its partner over a direct
// conversation. Closed loop (rate 0: every user keeps `window` sends in flight, to find the
// maximum) or open loop (`rate` messages per second in all, for latency at a known load).
// Every message is tracked from send to ack and to its push at the partner: lost (acked, never
// delivered) and duplicated deliveries are counted, and must be zero.
struct PairsOptions
{
    QUrl url;
    int users = 100; // even
    int window = 8;
    int rate = 0; // messages/s in all; 0 = closed loop
    int durationS = 10;
    int textBytes = 100;
    // Each pair becomes friends first, so that the server may keep its production rule (1:1
    // messages between friends only) and checks the friendship of every send.
    bool friends = false;
    QString tag; // makes this run's usernames unique
    // When set, every ack is written there as "<conversation_id> <seq> <client_msg_id>": what
    // the server promised is stored (the durability test checks it after a SIGKILL).
    QString ackedLog;
    // When set, every ack is written there as "<sent_ms> <send_to_ack_ms>" (sent_ms from the
    // start of the load): when in the run the slow ones were, which a percentile hides.
    QString latencyLog;
    // ternd's and its PostgreSQL postmaster's process ids on this machine (0: unknown): the
    // report adds their CPU per message (CpuBudget).
    qint64 serverPid = 0;
    qint64 databasePid = 0;
};

struct PairsResult
{
    bool completed = false;
    QString error;
    QJsonObject json; // the one-line report
    QString table; // the same for people
    qint64 lost = 0;
    qint64 duplicated = 0;
    qint64 errors = 0;
};

PairsResult runPairs(const PairsOptions &options);
