// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "net/wsprotocol.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <vector>

class QSocketNotifier;

namespace tern::server {

// The server end of one WebSocket on a TCP descriptor: the opening handshake, frames in and
// out, ping/pong and the closing handshake (RFC 6455; wsprotocol.h has the byte-level rules).
//
// Why not QWebSocket: with Qt's QTcpSocket + QWebSocket an idle authenticated connection cost
// ternd 18.1 KiB, with this class 3.7 KiB (docs/benchmarks.md, idle), and each frame went
// through Qt's ring buffers, a signal and a write watch turned on and off. Here an idle
// connection holds one read notifier and empty buffers: bytes are
// read into one buffer per thread, whole frames are handed on from there without a copy, and
// only a partial frame is kept. Frames are queued and written to the kernel once per event-loop
// turn (TurnFlusher), so that the acknowledgements and pushes a batch commit produces for one
// client go out in one system call and one TCP segment; what the kernel does not take waits
// for a write notifier.
//
// Lives on its owner's thread; the owner (`context`) must outlive it.
class WsSocket
{
public:
    class Handler
    {
    public:
        // `payload` may point into a read buffer: valid during the call only.
        virtual void onMessage(const QByteArray &payload, bool binary) = 0;
        virtual void onPong() = 0;
        // The peer broke the protocol: a close frame is on its way and the socket waits for
        // the peer to end the connection.
        virtual void onFailed() = 0;
        // Once, from the event loop (never from inside a call on this socket).
        virtual void onDisconnected() = 0;

    protected:
        ~Handler() = default;
    };

    // Takes ownership of `descriptor`, an accepted TCP connection. Messages (and frames) over
    // `maxMessageBytes` close the connection with code 1009 without being buffered.
    WsSocket(qintptr descriptor, QObject *context, Handler &handler, quint64 maxMessageBytes);
    ~WsSocket();
    WsSocket(const WsSocket &) = delete;
    WsSocket &operator=(const WsSocket &) = delete;

    // The peer's address ("127.0.0.1", "::1"; IPv4-mapped addresses as IPv4).
    QString peerAddress() const;
    // Bytes accepted by sendBinary() and friends that the kernel has not taken yet.
    qint64 queuedBytes() const { return m_out.size() - m_outOffset; }

    void sendBinary(const QByteArray &payload);
    void ping();
    // Sends a close frame, then ends the connection once it is out (before the upgrade: at
    // once).
    void close(ws::CloseCode code, const QByteArray &reason);
    // Drops the TCP connection at once.
    void abort();

private:
    // Closing: our close frame (or an HTTP refusal) is queued; nothing more is read.
    enum class State : quint8 { Handshaking, Open, Closing, Closed };
    enum class AfterFlush : quint8 { Nothing, ShutdownWrite, Teardown };

    void onReadable();
    void consume(char *data, qsizetype size);
    qsizetype consumeHandshake(char *data, qsizetype size);
    void handleFrame(const ws::FrameHeader &header, char *payload);
    void sendFrame(ws::Opcode opcode, const char *payload, qsizetype size);
    void sendClose(const QByteArray &payload);
    void write(const char *first, qsizetype firstSize, const char *second, qsizetype secondSize);
    // Hands the queue to the kernel (TurnFlusher, or the write notifier once it has room).
    void flush();
    friend class TurnFlusher;
    // Fails the connection: a close frame with `code`, then no more reading of frames.
    void fail(ws::CloseCode code, const char *reason);
    void whenFlushed(AfterFlush action);
    void teardown();

    int m_fd;
    State m_state = State::Handshaking;
    AfterFlush m_afterFlush = AfterFlush::Nothing;
    bool m_closeSent = false;
    bool m_flushPending = false; // in this thread's TurnFlusher
    quint8 m_messageOpcode = 0; // Text or Binary while a fragmented message is incomplete
    QObject *m_context;
    Handler &m_handler;
    const quint64 m_maxMessageBytes;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr; // made on the first write the kernel refuses
    QByteArray m_in; // the handshake so far, or the start of an incomplete frame
    QByteArray m_message; // the fragments of an incomplete message
    QByteArray m_out; // what the kernel has not taken yet, from m_outOffset on
    qsizetype m_outOffset = 0;
};

// The sockets of one thread that queued frames during the current event-loop turn. The first
// queues one posted call, which runs after the work of the turn (socket and database
// notifications, posted pushes) and flushes them all.
class TurnFlusher
{
public:
    static TurnFlusher &forThisThread();
    void add(WsSocket *socket);
    void remove(WsSocket *socket);

private:
    void flush();

    std::vector<WsSocket *> m_dirty;
    QObject m_context; // posts to this thread
    bool m_scheduled = false;
};

} // namespace tern::server
