// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QUrl>

#include <functional>

class QSocketNotifier;

// One load-generator connection: a real WebSocket (RFC 6455 client: the HTTP upgrade, masked
// frames out, pongs to pings) speaking real tern.v1 frames. Requests are pipelined; each
// answer goes to the callback given with its request. Pushes go to onPush. Everything runs on
// the generator's event loop; nothing blocks.
//
// Written over a non-blocking socket rather than QWebSocket because the generator shares the
// machine's two cores with ternd and PostgreSQL: whatever it spends per frame is taken from the
// server it measures (see docs/benchmarks.md). The test suite and the desktop app use
// QWebSocket, so ternd is still checked against Qt's client.
class BenchConnection : public QObject
{
    Q_OBJECT
public:
    using Answer = std::function<void(const tern::proto::Frame &)>;

    explicit BenchConnection(QObject *parent = nullptr);
    ~BenchConnection() override;

    // ws://host:port with a numeric IPv4 or IPv6 host.
    void open(const QUrl &url);
    bool isOpen() const { return m_state == State::Open; }
    void request(tern::proto::Frame frame, Answer answer);
    int inFlight() const { return int(m_pending.size()); }

    std::function<void(const tern::proto::Frame &)> onPush;

Q_SIGNALS:
    void opened();
    void closed(); // once, also for a connection that never opened

private:
    enum class State : quint8 { Idle, Connecting, Upgrading, Open, Closed };

    void onWritable();
    void onReadable();
    void readFrames();
    // Takes the HTTP answer from m_in; false while it is incomplete.
    bool takeUpgradeAnswer();
    void takeFrames();
    void sendFrame(quint8 opcode, const char *payload, qsizetype size);
    void write(const QByteArray &bytes);
    void queued();
    void flushOut();
    void setWriteWatch(bool on);
    void fail();

    int m_fd = -1;
    State m_state = State::Idle;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QByteArray m_key;
    QByteArray m_request; // the upgrade request, sent once connected
    QByteArray m_in;
    QByteArray m_out;
    bool m_reading = false;
    bool m_waitingWritable = false;
    quint32 m_maskState;
    QHash<quint64, Answer> m_pending;
    quint64 m_nextId = 1;
};
