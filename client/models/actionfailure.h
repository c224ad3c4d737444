// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QPointer>
#include <QString>

#include <functional>

namespace tern::client {

// The completion a model hands to a user action: a refusal reaches the UI through the
// model's actionFailed(reason) signal; success is seen in the cache, so it needs nothing. Safe
// when the model is gone before the server answered.
template<typename Model> std::function<void(const QString &)> reportFailureTo(Model *model)
{
    return [self = QPointer<Model>(model)](const QString &error) {
        if (self && !error.isEmpty())
            Q_EMIT self->actionFailed(error);
    };
}

// The same for an action whose success the UI waits for too (a dialog that closes then):
// `succeeded` is the model's signal for it.
template<typename Model>
std::function<void(const QString &)> reportOutcomeTo(Model *model, void (Model::*succeeded)())
{
    return [self = QPointer<Model>(model), succeeded](const QString &error) {
        if (!self)
            return;
        if (error.isEmpty())
            Q_EMIT(self.data()->*succeeded)();
        else
            Q_EMIT self->actionFailed(error);
    };
}

} // namespace tern::client
