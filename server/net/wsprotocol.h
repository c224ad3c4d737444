// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QtGlobal>

// The server side of RFC 6455 as pure functions over bytes: the opening handshake and the
// frame format. No I/O here (WsSocket does that), so every rule is unit-testable.
namespace tern::server::ws {

enum Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

// Close codes this server sends (RFC 6455 section 7.4.1).
enum CloseCode : quint16 {
    CloseNormal = 1000,
    CloseGoingAway = 1001,
    CloseProtocolError = 1002,
    CloseNoStatus = 1005, // never sent: "the peer's close frame had no code"
    ClosePolicyViolated = 1008,
    CloseTooBig = 1009,
};

// A client's opening handshake may not be longer than this (request line and headers).
constexpr qsizetype kMaxHandshakeBytes = 8192;

struct Upgrade
{
    enum Status { Incomplete, Accepted, Refused };
    Status status = Incomplete;
    // Bytes of the request (up to and including the blank line) when not Incomplete.
    qsizetype consumed = 0;
    // Accepted: the whole 101 answer. Refused: a complete HTTP error answer that says why.
    QByteArray response;
};

// Parses the start of `received` as a WebSocket opening handshake (GET, HTTP/1.1, Upgrade:
// websocket, Connection: Upgrade, Sec-WebSocket-Version: 13, a 16-byte Sec-WebSocket-Key).
// Incomplete until the blank line arrives; Refused when it is malformed, asks for something
// else, or grows past kMaxHandshakeBytes without ending.
Upgrade parseUpgrade(const QByteArray &received);

// The Sec-WebSocket-Accept value for a client's key.
QByteArray acceptKey(const QByteArray &clientKey);

struct FrameHeader
{
    enum Status { NeedMore, Complete, Invalid };
    Status status = NeedMore;
    bool fin = false;
    quint8 opcode = 0;
    qsizetype headerBytes = 0;
    quint64 payloadBytes = 0;
    // Invalid: the close code to fail the connection with, and why.
    CloseCode closeCode = CloseProtocolError;
    const char *reason = nullptr;
};

// Reads the header of the client frame at `data`. Complete once the header and the whole
// payload are there (the payload still masked; see unmask). Invalid for what a server must
// refuse: reserved bits or opcodes, an unmasked frame, a fragmented or long control frame, and
// a payload over `maxPayload` (CloseTooBig, decided from the header alone so that nothing of it
// is buffered).
FrameHeader parseFrameHeader(const char *data, qsizetype available, quint64 maxPayload);

// Unmasks a Complete frame's payload in place; returns its first byte.
char *unmask(char *frame, const FrameHeader &header);

// Writes a server frame header (FIN set, unmasked) for `payloadBytes` into `out`, which holds
// at least kMaxServerHeaderBytes; returns its length.
constexpr int kMaxServerHeaderBytes = 10;
int writeServerHeader(char *out, Opcode opcode, quint64 payloadBytes);

// A close frame's payload: the code, then as much of `reason` as fits a control frame.
QByteArray closePayload(CloseCode code, const QByteArray &reason);

} // namespace tern::server::ws
