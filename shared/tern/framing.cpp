// SPDX-License-Identifier: Apache-2.0
#include "tern/framing.h"

#include <QSet>

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
    // The contract (frame.proto): requests are Hello and the messages named *Request.
    static const QSet<int> requests = [] {
        QSet<int> numbers;
        const auto *oneof = proto::Frame::descriptor()->FindOneofByName("payload");
        for (int i = 0; i < oneof->field_count(); ++i) {
            const auto *type = oneof->field(i)->message_type();
            const QString name = QString::fromStdString(type->name());
            if (name == QLatin1String("Hello") || name.endsWith(QLatin1String("Request")))
                numbers.insert(oneof->field(i)->number());
        }
        return numbers;
    }();
    return requests.contains(int(payload));
}

} // namespace tern
