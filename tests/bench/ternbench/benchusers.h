// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "benchconnection.h"

#include <QString>
#include <QUrl>

#include <functional>
#include <memory>
#include <vector>

// Users of a run, each with one authenticated connection, registered over the real protocol
// (names carry a per-run tag so that runs against one server never collide).
struct BenchUser
{
    std::unique_ptr<BenchConnection> connection;
    quint64 id = 0;
    std::string token; // the device token, for Resume
    quint64 conversationId = 0; // pairs: the conversation with the partner
};

// Spins the event loop until `done` holds or `timeoutMs` passes; false on timeout.
bool waitUntil(const std::function<bool()> &done, int timeoutMs);

// Opens a connection for `user` again and says Hello; calls `done` with true once welcomed
// (not yet authenticated).
void greetUser(const QUrl &url, BenchUser &user, const QString &deviceId,
               std::function<void(bool)> done);
// Resumes the session of `user` on its greeted connection; `done` with true on success.
void resumeGreeted(BenchUser &user, std::function<void(bool)> done);

// Opens a connection for `user` again and resumes its session (Hello, Resume); calls `done`
// with true once authenticated.
void resumeUser(const QUrl &url, BenchUser &user, const QString &deviceId,
                std::function<void(bool)> done);

// Each even user and the next become friends (each asks the other: the second request makes
// them friends at once), over the protocol, as people do; false with `error` set when any
// failed or the time ran out. Needed where the server keeps 1:1 messages between friends (its
// default, messaging/allow_strangers=0).
bool befriendPairs(std::vector<BenchUser> &users, QString &error);

// Each even user opens the direct conversation with the next (without befriendPairs, the
// server must allow strangers) and both get its id; false with `error` set when any failed or
// the time ran out.
bool openPairConversations(std::vector<BenchUser> &users, QString &error);

// The username and password connectUsers() gives user `index` of a run.
std::string benchUsername(const QString &tag, int index);
inline constexpr const char *kBenchPassword = "ternbench password";

// Opens a connection for `user` again and logs in with the password (Hello, Login); calls
// `done` with true once authenticated (the new token replaces user.token).
void loginUser(const QUrl &url, BenchUser &user, const std::string &username,
               const QString &deviceId, std::function<void(bool)> done);

// Connects and registers `count` users; an empty vector and `error` set on failure.
// At most `maxInFlight` are being set up at any time (keep it near what the server can hash
// within its authentication deadline when Argon2 is expensive).
std::vector<BenchUser> connectUsers(const QUrl &url, int count, const QString &tag, QString &error,
                                    int maxInFlight = 1000);
