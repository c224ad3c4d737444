// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonObject>
#include <QString>
#include <QUrl>

// The `login` scenario, on `users` registered users (run it against a server with its
// production Argon2 settings: scripts/bench does so for this scenario):
// 1. every user logs in with their password (a few in flight, as many as keep the server's
//    Argon2 threads busy): password logins per second;
// 2. every one of those devices drops and resumes with its token at once: resumes per second;
// 3. the users in pairs send 1:1 messages at `rate` per second in all, first `durationS`
//    seconds undisturbed, then while every user logs in with the password again on another
//    device as fast as the server hashes: send->receive latency of the two stretches, side by
//    side (Argon2 runs off the I/O threads, so the burst should barely show).
struct LoginOptions
{
    QUrl url;
    int users = 200;
    int rate = 200;
    int durationS = 5;
    QString tag;
};

struct LoginResult
{
    bool ok = false;
    QString error;
    QJsonObject json;
    QString table;
};

LoginResult runLogin(const LoginOptions &options);
