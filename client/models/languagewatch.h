// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "preferences.h"

#include <QAbstractListModel>

namespace tern::client {

// Strings made in C++ (previews, presence, group events) are in the language of the moment
// they were made, and a QML retranslation does not re-read them: a model re-announces every
// row when the language changes.
inline void refreshOnLanguageChange(QAbstractListModel *model)
{
    Preferences *preferences = Preferences::instance();
    if (!preferences)
        return; // tests without preferences: one language
    QObject::connect(preferences, &Preferences::languageChanged, model, [model] {
        if (const int rows = model->rowCount())
            Q_EMIT model->dataChanged(model->index(0), model->index(rows - 1));
    });
}

} // namespace tern::client
