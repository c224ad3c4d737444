// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "testclient.h"

#include <QUrl>

#include <memory>

// Users for integration tests: registered over the real protocol, each with a connected,
// authenticated device.
struct TestUser
{
    std::unique_ptr<TestClient> client;
    quint64 id = 0; // 0 when registration failed
    QString name;
    QString password;
};

TestUser registerTestUser(const QUrl &url, const QString &name, const QString &password,
                          const QString &displayName = {}, const QString &deviceId = {});

// Another device of `user`, logged in; nullptr when that failed.
std::unique_ptr<TestClient> loginDevice(const QUrl &url, const TestUser &user,
                                        const QString &deviceId);

// Makes `a` and `b` friends (a asks, b accepts); false when any step failed.
bool befriend(TestUser &a, TestUser &b);
