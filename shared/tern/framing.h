// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QByteArray>
#include <QString>

#include <optional>

// Turning Frames into WebSocket binary messages and back. Decoding never throws and never
// trusts its input: anything that is not a well-formed Frame within the size limit is refused
// with a reason that can go into an Error.

namespace tern {

QByteArray encodeFrame(const proto::Frame &frame);

struct DecodeResult
{
    std::optional<proto::Frame> frame;
    ErrorCode error = proto::ERROR_CODE_UNSPECIFIED; // set when frame is empty
    QString reason;
};

DecodeResult decodeFrame(const QByteArray &bytes, quint32 maxFrameBytes);

// A frame answering request `requestId` with an Error (requestId 0 for a push).
proto::Frame makeErrorFrame(quint64 requestId, ErrorCode code, const QString &message,
                            quint32 retryAfterMs = 0);

// The name of the payload case, for logs and error messages ("login", "hello", ...).
QString payloadName(const proto::Frame &frame);

// True for payloads a client sends as requests (as opposed to results and pushes).
bool isRequestPayload(proto::Frame::PayloadCase payload);

} // namespace tern
