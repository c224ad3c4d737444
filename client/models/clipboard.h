// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace tern::client {

// The system clipboard for QML, which has none of its own in Qt 6.4: a text exactly as given
// (a message's own text, a link's address), not the rich text a view made of it.
class Clipboard : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
public:
    explicit Clipboard(QObject *parent = nullptr);

    Q_INVOKABLE void setText(const QString &text);
};

} // namespace tern::client
