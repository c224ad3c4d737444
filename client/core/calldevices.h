// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

typedef struct _GstElement GstElement;

namespace tern::client {

// The microphones, cameras and speakers GStreamer can see (its device monitor: PulseAudio or
// ALSA, V4L2...). A device is chosen by its name, as people see it; an empty name is the
// system's default.
class CallDevices : public QObject
{
    Q_OBJECT
    QML_ELEMENT
public:
    enum class Kind { Microphone, Camera, Speaker };
    Q_ENUM(Kind)

    using QObject::QObject;

    // The names of the devices of a kind, the default first (looked up afresh each time:
    // headsets come and go).
    Q_INVOKABLE static QStringList names(tern::client::CallDevices::Kind kind);
    // A source or sink element for the device called `name`, or the default one for "" or
    // when `name` is not there (unplugged: *usedDefault says so); null when there is none.
    static GstElement *createElement(Kind kind, const QString &name, bool *usedDefault = nullptr);
};

} // namespace tern::client
