// SPDX-License-Identifier: Apache-2.0
#include "tern/framing.h"

#include <google/protobuf/descriptor.h>

namespace tern {

QByteArray encodeFrame(const proto::Frame &frame)
{
    QByteArray out;
    out.resize(qsizetype(frame.ByteSizeLong()));
    frame.SerializeWithCachedSizesToArray(reinterpret_cast<quint8 *>(out.data()));
    return out;
}

DecodeResult decodeFrame(const QByteArray &bytes, quint32 maxFrameBytes)
{
    DecodeResult result;
    if (quint64(bytes.size()) > maxFrameBytes) {
        result.error = proto::ERROR_CODE_FRAME_TOO_LARGE;
        result.reason = QStringLiteral("frame of %1 bytes exceeds the limit of %2 bytes")
                            .arg(bytes.size())
                            .arg(maxFrameBytes);
        return result;
    }
    proto::Frame frame;
    // ParseFromArray also rejects invalid UTF-8 in proto3 string fields.
    if (!frame.ParseFromArray(bytes.constData(), int(bytes.size()))) {
        result.error = proto::ERROR_CODE_MALFORMED_FRAME;
        result.reason = QStringLiteral("binary message is not a valid tern.v1.Frame");
        return result;
    }
    if (frame.payload_case() == proto::Frame::PAYLOAD_NOT_SET) {
        // Unknown field numbers (a newer client) also land here: say so rather than guess.
        result.error = proto::ERROR_CODE_UNKNOWN_REQUEST;
        result.reason = QStringLiteral("frame carries no payload this server understands");
        return result;
    }
    result.frame = std::move(frame);
    return result;
}

proto::Frame makeErrorFrame(quint64 requestId, ErrorCode code, const QString &message,
                            quint32 retryAfterMs)
{
    proto::Frame frame;
    frame.set_request_id(requestId);
    auto *error = frame.mutable_error();
    error->set_code(code);
    error->set_message(message.toStdString());
    error->set_retry_after_ms(retryAfterMs);
    return frame;
}

QString payloadName(const proto::Frame &frame)
{
    const auto *field = proto::Frame::descriptor()->FindFieldByNumber(int(frame.payload_case()));
    return field ? QString::fromStdString(field->name()) : QStringLiteral("(none)");
}

bool isRequestPayload(proto::Frame::PayloadCase payload)
{
    switch (payload) {
    case proto::Frame::kHello:
    case proto::Frame::kRegister:
    case proto::Frame::kLogin:
    case proto::Frame::kResume:
    case proto::Frame::kLogout:
    case proto::Frame::kListSessions:
    case proto::Frame::kRevokeSession:
    case proto::Frame::kChangePassword:
        return true;
    default:
        return false;
    }
}

} // namespace tern
