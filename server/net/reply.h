// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "net/connection.h"
#include "service/result.h"

#include <QPointer>

namespace tern::server {

// A service callback that answers request `requestId` on `connection`: on success `fill`
// puts the value into the response frame, on failure the ServiceError becomes an Error.
// Does nothing if the connection closed while the service worked.
template<typename T, typename Fill>
ResultCallback<T> replyWith(Connection &connection, quint64 requestId, Fill fill)
{
    QPointer<Connection> guard(&connection);
    return [guard, requestId, fill](const Result<T> &result) {
        if (!guard)
            return;
        if (!result.ok())
            return guard->replyError(requestId, result.error());
        proto::Frame frame;
        fill(frame, result.value());
        guard->reply(requestId, frame);
    };
}

// replyWith() for a value that goes whole into the Frame field that `field` (a mutable_x
// accessor) names.
template<typename T>
ResultCallback<T> replyInField(Connection &connection, quint64 requestId,
                               T *(proto::Frame::*field)())
{
    return replyWith<T>(connection, requestId,
                        [field](proto::Frame &f, const T &value) { *(f.*field)() = value; });
}

} // namespace tern::server
