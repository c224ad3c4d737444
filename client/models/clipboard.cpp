// SPDX-License-Identifier: Apache-2.0
#include "clipboard.h"

#include <QClipboard>
#include <QGuiApplication>

namespace tern::client {

Clipboard::Clipboard(QObject *parent)
    : QObject(parent)
{ }

void Clipboard::setText(const QString &text)
{
    QGuiApplication::clipboard()->setText(text);
}

} // namespace tern::client
