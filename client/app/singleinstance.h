// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLocalServer>
#include <QObject>

namespace tern::client {

// One tern per profile: the first instance listens on a local socket named after the profile;
// a second one finds it there, asks it to show its window, and exits. A socket left behind by
// a crashed instance answers nobody and is replaced.
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    explicit SingleInstance(const QString &profileDir, QObject *parent = nullptr);

    // True when this process is the instance; false when another one runs (it was asked to
    // come to the front).
    bool claim();

Q_SIGNALS:
    // Another start of the same profile wants the window shown.
    void activationRequested();

private:
    QString m_name;
    QLocalServer m_server;
};

} // namespace tern::client
