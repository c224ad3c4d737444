// SPDX-License-Identifier: Apache-2.0
// RFC 6455, server side: the opening handshake and the frame header rules.
#include "net/wsprotocol.h"

#include <QByteArrayView>
#include <QCryptographicHash>
#include <QList>

#include <cstring>

namespace tern::server::ws {

namespace {

// The GUID every server appends to the client's key (RFC 6455 section 1.3).
constexpr char kAcceptGuid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

Upgrade refuse(qsizetype consumed, QByteArrayView status, QByteArrayView why,
               QByteArrayView extraHeader = {})
{
    Upgrade upgrade;
    upgrade.status = Upgrade::Refused;
    upgrade.consumed = consumed;
    const QByteArray body = why.toByteArray() + '\n';
    upgrade.response = "HTTP/1.1 " + status.toByteArray()
        + "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n"
        + extraHeader.toByteArray() + "Content-Length: " + QByteArray::number(body.size())
        + "\r\n\r\n" + body;
    return upgrade;
}

// Whether a comma-separated header value lists `token` (case-insensitive), as Connection and
// Upgrade do ("keep-alive, Upgrade").
bool listsToken(QByteArrayView value, QByteArrayView token)
{
    for (const QByteArrayView part : QByteArray(value.toByteArray()).split(',')) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

quint64 readBigEndian(const char *data, int bytes)
{
    quint64 value = 0;
    for (int i = 0; i < bytes; ++i)
        value = (value << 8) | quint8(data[i]);
    return value;
}

} // namespace

QByteArray acceptKey(const QByteArray &clientKey)
{
    const QByteArray keyed = clientKey + kAcceptGuid;
    return QCryptographicHash::hash(keyed, QCryptographicHash::Sha1).toBase64();
}

Upgrade parseUpgrade(const QByteArray &received)
{
    const qsizetype end = received.indexOf("\r\n\r\n");
    if (end < 0 || end + 4 > kMaxHandshakeBytes) {
        if (end < 0 && received.size() <= kMaxHandshakeBytes)
            return {};
        return refuse(received.size(), "431 Request Header Fields Too Large",
                      "the WebSocket handshake is too long");
    }
    const qsizetype consumed = end + 4;
    const QList<QByteArray> lines = received.left(end).split('\n');

    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1."))
        return refuse(consumed, "400 Bad Request", "not an HTTP request");
    if (requestLine[0] != "GET")
        return refuse(consumed, "405 Method Not Allowed",
                      "this is a WebSocket endpoint; upgrade with GET", "Allow: GET\r\n");
    if (requestLine[2] == "HTTP/1.0")
        return refuse(consumed, "400 Bad Request", "WebSocket needs HTTP/1.1");

    QByteArray upgrade, connection, version, key;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return refuse(consumed, "400 Bad Request", "malformed header line");
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "upgrade")
            upgrade = value;
        else if (name == "connection")
            connection = value;
        else if (name == "sec-websocket-version")
            version = value;
        else if (name == "sec-websocket-key")
            key = value;
    }
    if (!listsToken(upgrade, "websocket") || !listsToken(connection, "upgrade"))
        return refuse(consumed, "426 Upgrade Required",
                      "this is a WebSocket endpoint (Upgrade: websocket)",
                      "Upgrade: websocket\r\nConnection: Upgrade\r\n");
    if (version != "13")
        return refuse(consumed, "426 Upgrade Required", "WebSocket version 13 only",
                      "Sec-WebSocket-Version: 13\r\n");
    const auto decoded =
        QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 16)
        return refuse(consumed, "400 Bad Request", "Sec-WebSocket-Key must be 16 bytes in base64");

    Upgrade accepted;
    accepted.status = Upgrade::Accepted;
    accepted.consumed = consumed;
    accepted.response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                        "Connection: Upgrade\r\nSec-WebSocket-Accept: "
        + acceptKey(key) + "\r\n\r\n";
    return accepted;
}

FrameHeader parseFrameHeader(const char *data, qsizetype available, quint64 maxPayload)
{
    FrameHeader header;
    if (available < 2)
        return header;
    const auto invalid = [&header](CloseCode code, const char *reason) {
        header.status = FrameHeader::Invalid;
        header.closeCode = code;
        header.reason = reason;
        return header;
    };
    const quint8 first = quint8(data[0]);
    const quint8 second = quint8(data[1]);
    header.fin = first & 0x80;
    header.opcode = first & 0x0F;
    if (first & 0x70)
        return invalid(CloseProtocolError, "reserved bits set (no extension was agreed)");
    switch (header.opcode) {
    case Continuation:
    case Text:
    case Binary:
    case Close:
    case Ping:
    case Pong:
        break;
    default:
        return invalid(CloseProtocolError, "unknown opcode");
    }
    if (!(second & 0x80))
        return invalid(CloseProtocolError, "client frames must be masked");

    const quint8 length7 = second & 0x7F;
    const int extendedBytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
    header.headerBytes = 2 + extendedBytes + 4;
    if (available < 2 + extendedBytes)
        return header;
    header.payloadBytes = extendedBytes ? readBigEndian(data + 2, extendedBytes) : length7;
    if (extendedBytes == 8 && (header.payloadBytes >> 63))
        return invalid(CloseProtocolError, "payload length out of range");

    const bool control = header.opcode & 0x8;
    if (control && !header.fin)
        return invalid(CloseProtocolError, "fragmented control frame");
    if (control && header.payloadBytes > 125)
        return invalid(CloseProtocolError, "control frame longer than 125 bytes");
    if (header.payloadBytes > maxPayload)
        return invalid(CloseTooBig, "message too big");

    if (available < header.headerBytes
        || quint64(available - header.headerBytes) < header.payloadBytes)
        return header;
    header.status = FrameHeader::Complete;
    return header;
}

char *unmask(char *frame, const FrameHeader &header)
{
    char *payload = frame + header.headerBytes;
    quint8 key[4];
    std::memcpy(key, payload - 4, 4);
    const qsizetype size = qsizetype(header.payloadBytes);
    qsizetype i = 0;
    // Eight bytes at a time: the key repeats every four, so a doubled key lines up.
    quint64 wide;
    const quint8 doubled[8] = {key[0], key[1], key[2], key[3], key[0], key[1], key[2], key[3]};
    std::memcpy(&wide, doubled, 8);
    for (; i + 8 <= size; i += 8) {
        quint64 chunk;
        std::memcpy(&chunk, payload + i, 8);
        chunk ^= wide;
        std::memcpy(payload + i, &chunk, 8);
    }
    for (; i < size; ++i)
        payload[i] = char(quint8(payload[i]) ^ key[i % 4]);
    return payload;
}

int writeServerHeader(char *out, Opcode opcode, quint64 payloadBytes)
{
    out[0] = char(0x80 | opcode);
    if (payloadBytes < 126) {
        out[1] = char(payloadBytes);
        return 2;
    }
    if (payloadBytes <= 0xFFFF) {
        out[1] = char(126);
        out[2] = char(payloadBytes >> 8);
        out[3] = char(payloadBytes);
        return 4;
    }
    out[1] = char(127);
    for (int i = 0; i < 8; ++i)
        out[2 + i] = char(payloadBytes >> (56 - 8 * i));
    return 10;
}

QByteArray closePayload(CloseCode code, const QByteArray &reason)
{
    QByteArray payload;
    payload.append(char(code >> 8)).append(char(code & 0xFF));
    qsizetype keep = std::min<qsizetype>(reason.size(), 123);
    // Never cut a UTF-8 sequence in half.
    while (keep < reason.size() && keep > 0 && (quint8(reason[keep]) & 0xC0) == 0x80)
        --keep;
    return payload.append(reason.left(keep));
}

} // namespace tern::server::ws
