// SPDX-License-Identifier: Apache-2.0
// libternclient's transfers against a real ternd and PostgreSQL: a file sent as a message
// uploads with progress, survives the app quitting halfway (it continues from the server's
// committed offset), can be paused and resumed; the receiver downloads it with progress,
// quits halfway, continues, and gets every byte (SHA-256 checked); an image gets a preview;
// an avatar is cropped square, uploaded, and shown round at two sizes on another device; an
// upload waits while the account's other devices hold every transfer slot.
#include "account.h"
#include "clientfixture.h"
#include "serverconnection.h"
#include "throttledproxy.h"

#include "support/testclient.h"
#include "support/testusers.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>

using namespace tern;
using namespace tern::client;

namespace {

constexpr qint64 kFileBytes = 64 << 20;
constexpr qint64 kQuitAfterBytes = 8 << 20;

// Writes `size` bytes that differ from chunk to chunk (no run repeats at a chunk size).
bool writeContent(const QString &path, qint64 size)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    QByteArray block(1 << 20, Qt::Uninitialized);
    for (qint64 at = 0; at < size; at += block.size()) {
        char *bytes = block.data();
        for (qint64 i = 0; i < block.size(); ++i)
            bytes[i] = char(((at + i) * 131 + ((at + i) >> 11)) % 251);
        if (file.write(block.constData(), std::min<qint64>(block.size(), size - at)) < 0)
            return false;
    }
    return true;
}

QByteArray sha256Of(const QString &path)
{
    QFile file(path);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!file.open(QIODevice::ReadOnly) || !hash.addData(&file))
        return {};
    return hash.result();
}

qint64 doneBytes(Account &account, const QString &id)
{
    const auto r = account.transfers().record(id);
    return r ? r->doneBytes : -1;
}

} // namespace

class tst_ClientTransfers : public QObject
{
    Q_OBJECT

    ClientFixture m_fx;
    QTemporaryDir m_files;
    // Shared by the cases, in order: the sent file and its message.
    QString m_senderName;
    QString m_receiverName;
    quint64 m_conversation = 0;
    QString m_path;
    proto::FileRef m_sent;

    // A protocol connection of an account's user (to make friends quickly).
    TestUser rawUser(Account &account, const QString &name)
    {
        TestUser user {nullptr, account.userId(), name, ClientFixture::kPassword};
        user.client = loginDevice(m_fx.url, user, name + QStringLiteral("-raw"));
        return user;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = m_fx.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(m_files.isValid());
        m_path = m_files.filePath(QStringLiteral("holiday video.bin"));
        QVERIFY(writeContent(m_path, kFileBytes));
    }

    void refusesWhatCannotBeSent()
    {
        m_senderName = m_fx.nextName("sender");
        auto alice = m_fx.registered(m_senderName, QStringLiteral("sender-device"));
        QVERIFY(alice);
        QString error;
        QVERIFY(alice->transfers()
                    .sendFile(1, m_files.filePath(QStringLiteral("missing")), &error)
                    .isEmpty());
        QVERIFY(error.contains(u"cannot be read"));
        const QString empty = m_files.filePath(QStringLiteral("empty.txt"));
        QFile(empty).open(QIODevice::WriteOnly);
        QVERIFY(alice->transfers().sendFile(1, empty, &error).isEmpty());
        QVERIFY(error.contains(u"empty"));
        QVERIFY(alice->outboxStore().list().empty());
    }

    // The app quits a few MiB into a 64 MiB upload; reopened, the message is still there
    // (sending), the upload continues from where the server had it, pauses and resumes on
    // request, and the message goes once the file is verified.
    void uploadContinuesAfterRestart()
    {
        auto alice = m_fx.makeAccount(m_senderName, QStringLiteral("sender-device"));
        QVERIFY(alice->open());
        QTRY_COMPARE_WITH_TIMEOUT(alice->status(), Account::Status::Online, 10000);
        m_receiverName = m_fx.nextName("receiver");
        auto bob = m_fx.registered(m_receiverName, QStringLiteral("receiver-device"));
        QVERIFY(bob);
        TestUser aliceRaw = rawUser(*alice, m_senderName);
        TestUser bobRaw = rawUser(*bob, m_receiverName);
        QVERIFY(aliceRaw.client && bobRaw.client);
        QVERIFY(befriend(aliceRaw, bobRaw));
        m_conversation = ClientFixture::openFrom(*alice, bob->userId());
        QVERIFY(m_conversation);

        QString error;
        const QString id = alice->transfers().sendFile(m_conversation, m_path, &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        QCOMPARE(alice->outboxStore().list(m_conversation).size(), size_t(1));
        QList<qint64> seen;
        double fastest = 0;
        connect(&alice->transfers(), &Transfers::changed, this, [&](const QString &changed) {
            if (changed == id) {
                seen.append(doneBytes(*alice, id));
                fastest = std::max(fastest, alice->transfers().bytesPerSecond(id));
            }
        });
        QVERIFY(QTest::qWaitFor([&] { return doneBytes(*alice, id) >= kQuitAfterBytes; }, 30000));
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QVERIFY2(fastest > 0, "no speed was measured");
        const qint64 reached = doneBytes(*alice, id);
        QVERIFY2(reached < kFileBytes, "finished before the app could quit: make the file larger");
        alice.reset(); // the app quits mid-upload

        auto reopened = m_fx.makeAccount(m_senderName, QStringLiteral("sender-device"));
        QVERIFY(reopened->open());
        // Shown at once, from the cache: the message, and how far its upload got.
        QCOMPARE(reopened->outboxStore().list(m_conversation).size(), size_t(1));
        const qint64 cached = doneBytes(*reopened, id);
        QVERIFY2(cached > 0, "the progress was not kept");
        QList<qint64> after;
        connect(&reopened->transfers(), &Transfers::changed, this, [&](const QString &changed) {
            if (changed == id)
                after.append(doneBytes(*reopened, id));
        });
        QVERIFY(
            QTest::qWaitFor([&] { return doneBytes(*reopened, id) > cached + (4 << 20); }, 30000));
        // It continued: never back to zero.
        QVERIFY(!after.isEmpty());
        QVERIFY2(*std::min_element(after.begin(), after.end()) >= cached,
                 qPrintable(QStringLiteral("restarted from %1, had %2")
                                .arg(*std::min_element(after.begin(), after.end()))
                                .arg(cached)));

        // Paused and resumed at once, its chunk still out: it runs on, and says so (not
        // "waiting" for the rest of the upload).
        reopened->transfers().pause(id);
        reopened->transfers().resume(id);
        QCOMPARE(reopened->transfers().record(id)->state, TransferRecord::State::Running);
        const qint64 resumedAt = doneBytes(*reopened, id);
        QVERIFY(QTest::qWaitFor([&] { return doneBytes(*reopened, id) > resumedAt + (1 << 20); },
                                30000));
        QCOMPARE(reopened->transfers().record(id)->state, TransferRecord::State::Running);

        // Paused: nothing moves; resumed: it finishes and the message is sent.
        reopened->transfers().pause(id);
        QCOMPARE(reopened->transfers().record(id)->state, TransferRecord::State::Paused);
        QTest::qWait(300); // a chunk in flight comes back
        const qint64 paused = doneBytes(*reopened, id);
        QTest::qWait(700);
        QCOMPARE(doneBytes(*reopened, id), paused);
        QVERIFY(paused < kFileBytes);
        reopened->transfers().resume(id);
        QVERIFY(QTest::qWaitFor([&] { return reopened->outboxStore().list().empty(); }, 60000));
        QCOMPARE(reopened->transfers().record(id)->state, TransferRecord::State::Done);
        const auto page = reopened->messages().page(m_conversation, 0, 10);
        QVERIFY(!page.empty());
        const proto::Message &sent = page.back();
        QVERIFY(sent.content().has_file());
        QVERIFY(!sent.content().file().file_id().empty());
        QCOMPARE(sent.content().file().size(), quint64(kFileBytes));
        QCOMPARE(QString::fromStdString(sent.content().file().name()),
                 QStringLiteral("holiday video.bin"));
        m_sent = sent.content().file();
        QCOMPARE(reopened->transfers().localFileFor(QString::fromStdString(m_sent.file_id())),
                 QFileInfo(m_path).absoluteFilePath());
    }

    // The receiver quits a few MiB into the download; reopened, it continues from its partial
    // file and the result is byte-identical.
    void downloadContinuesAfterRestart()
    {
        QVERIFY(!m_sent.file_id().empty());
        auto bob = m_fx.makeAccount(m_receiverName, QStringLiteral("receiver-device"));
        QVERIFY(bob->open());
        QVERIFY(QTest::qWaitFor(
            [&] {
                const auto page = bob->messages().page(m_conversation, 0, 10);
                return !page.empty() && page.back().content().has_file();
            },
            20000));
        const QString folder = m_files.filePath(QStringLiteral("Downloads"));
        QString error;
        const QString id = bob->transfers().download(m_sent, folder, &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        QVERIFY(QTest::qWaitFor([&] { return doneBytes(*bob, id) >= kQuitAfterBytes; }, 30000));
        QVERIFY(doneBytes(*bob, id) < kFileBytes);
        const QString target = bob->transfers().record(id)->localPath;
        QCOMPARE(target, QDir(folder).filePath(QStringLiteral("holiday video.bin")));
        QVERIFY(QFile::exists(target + QStringLiteral(".part")));
        bob.reset(); // quits mid-download

        auto reopened = m_fx.makeAccount(m_receiverName, QStringLiteral("receiver-device"));
        QSignalSpy downloaded(&reopened->transfers(), &Transfers::downloaded);
        QVERIFY(reopened->open());
        QVERIFY(downloaded.wait(60000));
        QCOMPARE(downloaded.first().at(1).toString(), target);
        QCOMPARE(reopened->transfers().record(id)->state, TransferRecord::State::Done);
        QCOMPARE(sha256Of(target), sha256Of(m_path));
        QVERIFY(!QFile::exists(target + QStringLiteral(".part")));
        QCOMPARE(reopened->transfers().localFileFor(QString::fromStdString(m_sent.file_id())),
                 target);

        // Downloading again reuses the finished copy; a second file of the same name does
        // not overwrite it.
        QCOMPARE(reopened->transfers().download(m_sent, folder, &error), id);
    }

    // A picture becomes an image message with its size and a small JPEG preview.
    void imagesGetAPreview()
    {
        auto alice = m_fx.makeAccount(m_senderName, QStringLiteral("sender-device"));
        QVERIFY(alice->open());
        QTRY_COMPARE_WITH_TIMEOUT(alice->status(), Account::Status::Online, 10000);
        QImage picture(1200, 800, QImage::Format_RGB32);
        picture.fill(QColor(30, 120, 200));
        const QString path = m_files.filePath(QStringLiteral("lake.png"));
        QVERIFY(picture.save(path, "PNG"));
        QString error;
        const QString id = alice->transfers().sendFile(m_conversation, path, &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        QVERIFY(QTest::qWaitFor([&] { return alice->outboxStore().list().empty(); }, 20000));
        const auto page = alice->messages().page(m_conversation, 0, 10);
        const proto::MessageContent &content = page.back().content();
        QCOMPARE(content.kind(), proto::MessageContent::KIND_IMAGE);
        QCOMPARE(content.file().width(), 1200u);
        QCOMPARE(content.file().height(), 800u);
        QCOMPARE(QString::fromStdString(content.file().mime_type()), QStringLiteral("image/png"));
        const QImage preview =
            QImage::fromData(QByteArray::fromStdString(content.file().thumbnail()));
        QCOMPARE(preview.size(), QSize(320, 213));
        QVERIFY(content.file().thumbnail().size() <= 16 * 1024);
    }

    void avatarsAreSquareRoundAndShared()
    {
        auto alice = m_fx.makeAccount(m_senderName, QStringLiteral("sender-device"));
        QVERIFY(alice->open());
        QTRY_COMPARE_WITH_TIMEOUT(alice->status(), Account::Status::Online, 10000);
        // A wide picture: red left third, green middle, blue right third.
        QImage wide(900, 300, QImage::Format_RGB32);
        wide.fill(Qt::green);
        for (int y = 0; y < 300; ++y) {
            for (int x = 0; x < 300; ++x) {
                wide.setPixel(x, y, qRgb(255, 0, 0));
                wide.setPixel(600 + x, y, qRgb(0, 0, 255));
            }
        }
        const QString path = m_files.filePath(QStringLiteral("wide.png"));
        QVERIFY(wide.save(path, "PNG"));
        QSignalSpy profile(alice.get(), &Account::profileChanged);
        alice->setAvatar(QUrl::fromLocalFile(path));
        QVERIFY(QTest::qWaitFor([&] { return !alice->avatarFileId().isEmpty(); }, 10000));
        const QString fileId = alice->avatarFileId();
        // Shown at once on this device, without fetching it back: the centre square, round.
        const QUrl large(alice->avatarUrl(fileId, true));
        QVERIFY(large.isLocalFile());
        const QImage big(large.toLocalFile());
        QCOMPARE(big.size(), QSize(300, 300)); // never scaled up past the picture
        QCOMPARE(QColor(big.pixel(150, 150)).green(), 255);
        QCOMPARE(qAlpha(big.pixel(2, 2)), 0);

        // Another device of someone who sees the profile fetches it once and gets both sizes.
        auto bob = m_fx.makeAccount(m_receiverName, QStringLiteral("receiver-device"));
        QVERIFY(bob->open());
        QTRY_COMPARE_WITH_TIMEOUT(bob->status(), Account::Status::Online, 10000);
        QSignalSpy arrived(bob.get(), &Account::avatarsChanged);
        QVERIFY(bob->avatarUrl(fileId, false).isEmpty()); // not here yet: fetched now
        QVERIFY(arrived.wait(10000));
        const QUrl small(bob->avatarUrl(fileId, false, bob->avatarRevision()));
        QVERIFY(small.isLocalFile());
        const QImage icon(small.toLocalFile());
        QCOMPARE(icon.size(), QSize(AvatarCache::kSmallSide, AvatarCache::kSmallSide));
        QCOMPARE(qAlpha(icon.pixel(1, 1)), 0);
        QVERIFY(QColor(icon.pixel(48, 48)).green() > 200);

        // Not a picture: refused with a reason, the avatar stays.
        QSignalSpy failed(alice.get(), &Account::actionFailed);
        alice->setAvatar(QUrl::fromLocalFile(m_path));
        QVERIFY(failed.wait(5000) || !failed.isEmpty());
        QVERIFY(failed.first().first().toString().contains(u"not a picture"));
        QCOMPARE(alice->avatarFileId(), fileId);
        alice->removeAvatar();
        QTRY_VERIFY_WITH_TIMEOUT(alice->avatarFileId().isEmpty(), 10000);
    }

    // The account's other device holds every transfer slot the server allows a user: the app's
    // upload is refused "busy" (Error.reason files/busy), waits instead of failing, and goes
    // once a slot is free.
    void waitsForATransferSlot()
    {
        auto alice = m_fx.makeAccount(m_senderName, QStringLiteral("sender-device"));
        QVERIFY(alice->open());
        QTRY_COMPARE_WITH_TIMEOUT(alice->status(), Account::Status::Online, 10000);
        const int slots = int(alice->connection().welcome().limits().max_concurrent_transfers());
        QVERIFY(slots > 0);
        TestUser other = rawUser(*alice, m_senderName);
        QVERIFY(other.client);
        std::vector<std::string> held;
        for (int i = 0; i < slots; ++i) {
            QByteArray data(4000, char('a' + i));
            proto::Frame start;
            auto *r = start.mutable_start_upload();
            r->set_name("held.bin");
            r->set_size(quint64(data.size()));
            r->set_sha256(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toStdString());
            const std::string uploadId = other.client->request(start).upload_state().upload_id();
            QVERIFY(!uploadId.empty());
            proto::Frame chunk;
            auto *c = chunk.mutable_upload_chunk();
            c->set_upload_id(uploadId);
            c->set_data(data.left(1000).toStdString());
            c->set_sha256(QCryptographicHash::hash(data.left(1000), QCryptographicHash::Sha256)
                              .toStdString());
            QVERIFY(other.client->request(chunk).has_upload_state());
            held.push_back(uploadId);
        }

        const QString path = m_files.filePath(QStringLiteral("while busy.bin"));
        QVERIFY(writeContent(path, 300000));
        QString error;
        const QString id = alice->transfers().sendFile(m_conversation, path, &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        QTest::qWait(2000); // refused meanwhile: waiting, not failed
        QVERIFY(alice->transfers().record(id)->state != TransferRecord::State::Failed);
        QVERIFY(alice->transfers().record(id)->state != TransferRecord::State::Done);
        proto::Frame cancel;
        cancel.mutable_cancel_upload()->set_upload_id(held.front());
        QVERIFY(!other.client->request(cancel).has_error());
        QTRY_COMPARE_WITH_TIMEOUT(alice->transfers().record(id)->state, TransferRecord::State::Done,
                                  20000);
        QTRY_VERIFY_WITH_TIMEOUT(alice->outboxStore().list().empty(), 10000);
    }

    // A file that changes during its upload fails; retried with other content, the server's
    // upload of the old content is cancelled (it counted against the quota) and the new one
    // goes through.
    void aChangedFileRetriedDropsItsOldUpload()
    {
        auto alice = m_fx.makeAccount(m_senderName, QStringLiteral("sender-device"));
        QVERIFY(alice->open());
        QTRY_COMPARE_WITH_TIMEOUT(alice->status(), Account::Status::Online, 10000);
        constexpr qint64 kSize = 24 << 20;
        const QString path = m_files.filePath(QStringLiteral("edited while sent.bin"));
        QVERIFY(writeContent(path, kSize));
        QString error;
        const QString id = alice->transfers().sendFile(m_conversation, path, &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        QVERIFY(QTest::qWaitFor([&] { return doneBytes(*alice, id) > 0; }, 30000));
        {
            QFile grow(path); // edited meanwhile: longer now
            QVERIFY(grow.open(QIODevice::Append));
            QVERIFY(grow.write("more") == 4);
        }
        QTRY_COMPARE_WITH_TIMEOUT(alice->transfers().record(id)->state,
                                  TransferRecord::State::Failed, 30000);
        const QString oldUpload = alice->transfers().record(id)->uploadId;
        QVERIFY(!oldUpload.isEmpty());

        {
            QFile other(path); // back to its size, other bytes
            QVERIFY(other.open(QIODevice::WriteOnly));
            QVERIFY(other.write(QByteArray(kSize, 'z')) == kSize);
        }
        alice->transfers().resume(id);
        TestUser raw = rawUser(*alice, m_senderName);
        QVERIFY(raw.client);
        proto::Frame ask;
        ask.mutable_get_upload()->set_upload_id(oldUpload.toStdString());
        QTRY_COMPARE_WITH_TIMEOUT(raw.client->request(ask).error().code(),
                                  proto::ERROR_CODE_NOT_FOUND, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(alice->transfers().record(id)->state, TransferRecord::State::Done,
                                  60000);
        QTRY_VERIFY_WITH_TIMEOUT(alice->outboxStore().list().empty(), 20000);
    }

    // A cancel made while offline reaches the server once the device is back: the pending
    // upload goes (it counted against the quota until the janitor expired it a day later).
    void aCancelMadeOfflineReachesTheServer()
    {
        auto alice = m_fx.makeAccount(m_senderName, QStringLiteral("sender-device"));
        QVERIFY(alice->open());
        QTRY_COMPARE_WITH_TIMEOUT(alice->status(), Account::Status::Online, 10000);
        TestUser raw = rawUser(*alice, m_senderName);
        QVERIFY(raw.client);
        const QString path = m_files.filePath(QStringLiteral("cancelled offline.bin"));
        QVERIFY(writeContent(path, 24 << 20));
        QString error;
        const QString id = alice->transfers().sendFile(m_conversation, path, &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        QVERIFY(QTest::qWaitFor([&] { return doneBytes(*alice, id) > 0; }, 30000));
        alice->transfers().pause(id);
        QTRY_COMPARE_WITH_TIMEOUT(alice->transfers().record(id)->state,
                                  TransferRecord::State::Paused, 10000);
        const QString upload = alice->transfers().record(id)->uploadId;
        QVERIFY(!upload.isEmpty());
        proto::Frame ask;
        ask.mutable_get_upload()->set_upload_id(upload.toStdString());
        QVERIFY(raw.client->request(ask).has_upload_state());

        alice->connection().abortConnection();
        alice->connection().stop(); // no reconnecting until the server was asked below
        QVERIFY(!alice->connection().isConnected());
        alice->transfers().cancel(id);
        QVERIFY(!alice->transfers().record(id));
        QCOMPARE(alice->transferStore().uploadCancels(), QStringList {upload});
        // Still on the server while the device is away ...
        QVERIFY(raw.client->request(ask).has_upload_state());
        // ... and gone once it is back.
        alice->connection().start();
        QTRY_COMPARE_WITH_TIMEOUT(alice->status(), Account::Status::Online, 15000);
        QTRY_COMPARE_WITH_TIMEOUT(raw.client->request(ask).error().code(),
                                  proto::ERROR_CODE_NOT_FOUND, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(alice->transferStore().uploadCancels().isEmpty(), 10000);
    }

    // A slow uplink (a throttled relay in front of ternd) carrying chunks for longer than the
    // request timeout: the chunks queued behind the first wait for the link, not for a dead
    // server, and the connection stays up until every one is answered.
    void aSlowUplinkIsNotTakenForADeadServer()
    {
        const QString name = m_fx.nextName("slowlink");
        QVERIFY(m_fx.registered(name, QStringLiteral("slowlink-device")));
        ThrottledProxy proxy(m_fx.port, 80 * 1024);
        const quint16 proxyPort = proxy.listen();
        QVERIFY(proxyPort);
        ServerConnection connection;
        ServerConnection::Options options;
        options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(proxyPort));
        options.deviceId = QStringLiteral("slow-uplink");
        options.deviceName = options.deviceId;
        options.requestTimeoutMs = 1500;
        connection.setOptions(options);
        QSignalSpy connected(&connection, &ServerConnection::connected);
        QSignalSpy dropped(&connection, &ServerConnection::disconnected);
        connection.start();
        QVERIFY(connected.wait(10000));
        const auto ask = [&connection](proto::Frame frame) {
            std::optional<proto::Frame> answer;
            connection.send(std::move(frame), [&answer](const proto::Frame &f) { answer = f; });
            if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 10000))
                qWarning("no answer within 10 s");
            return answer.value_or(proto::Frame {});
        };
        proto::Frame login;
        login.mutable_login()->set_username(name.toStdString());
        login.mutable_login()->set_password(ClientFixture::kPassword.toStdString());
        QVERIFY(ask(login).has_session());

        // Three uploads at once, each with one chunk in flight (the protocol's rule): every
        // chunk queues behind the other two, 192 KiB at 80 KiB/s, about 2.4 s, longer than
        // the request timeout, while the answers to the ones ahead keep coming.
        constexpr int kChunk = 64 * 1024;
        constexpr int kChunks = 3;
        constexpr int kUploads = 3;
        struct Upload
        {
            QByteArray content;
            std::string id;
            int sent = 0;
            bool done = false;
        };
        std::vector<Upload> uploads(kUploads);
        for (int u = 0; u < kUploads; ++u) {
            Upload &up = uploads[size_t(u)];
            up.content.resize(kChunk * kChunks);
            for (int i = 0; i < up.content.size(); ++i)
                up.content[i] = char((i * 7919 + u * 13) % 251);
            proto::Frame start;
            start.mutable_start_upload()->set_name("slow.bin");
            start.mutable_start_upload()->set_size(quint64(up.content.size()));
            start.mutable_start_upload()->set_sha256(
                QCryptographicHash::hash(up.content, QCryptographicHash::Sha256).toStdString());
            const proto::Frame started = ask(start);
            up.id = started.upload_state().upload_id();
            QVERIFY2(!up.id.empty(), started.ShortDebugString().c_str());
        }
        QString failure;
        std::function<void(Upload &)> sendNext = [&](Upload &up) {
            const int i = up.sent++;
            proto::Frame chunk;
            auto *c = chunk.mutable_upload_chunk();
            c->set_upload_id(up.id);
            c->set_offset(quint64(i) * kChunk);
            const QByteArray data = up.content.mid(i * kChunk, kChunk);
            c->set_data(data.toStdString());
            c->set_sha256(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toStdString());
            connection.send(std::move(chunk), [&, i](const proto::Frame &f) {
                if (!f.has_upload_state()) {
                    failure = QString::fromStdString(f.ShortDebugString());
                    return;
                }
                if (i + 1 < kChunks)
                    sendNext(up);
                else
                    up.done = f.upload_state().has_file();
            });
        };
        for (Upload &up : uploads)
            sendNext(up);
        QTRY_VERIFY_WITH_TIMEOUT(!failure.isEmpty()
                                     || std::all_of(uploads.begin(), uploads.end(),
                                                    [](const Upload &u) { return u.done; }),
                                 20000);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QCOMPARE(dropped.count(), 0);
        connection.stop();
    }

    // On a slow uplink two large uploads take their time; a small file sent meanwhile (a voice
    // note, a screenshot) goes at once in its own lane instead of waiting for one of them.
    void smallFilesDoNotWaitBehindLargeOnes()
    {
        const QString name = m_fx.nextName("lanes");
        auto direct = m_fx.registered(name, QStringLiteral("lanes-direct"));
        const QString peerName = m_fx.nextName("lanespeer");
        auto peer = m_fx.registered(peerName, QStringLiteral("lanespeer-device"));
        QVERIFY(direct && peer);
        TestUser me = rawUser(*direct, name);
        TestUser other = rawUser(*peer, peerName);
        QVERIFY(me.client && other.client);
        QVERIFY(befriend(me, other));
        direct.reset();

        ThrottledProxy proxy(m_fx.port, 1 << 20);
        const quint16 proxyPort = proxy.listen();
        QVERIFY(proxyPort);
        Account::Options o;
        o.server = QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(proxyPort));
        o.username = name;
        o.dataDir = m_fx.data.filePath(QStringLiteral("lanes-slow"));
        o.deviceId = QStringLiteral("lanes-slow");
        o.deviceName = o.deviceId;
        Account slow(o, m_fx.tokens.get());
        QVERIFY(slow.open());
        slow.login(ClientFixture::kPassword);
        QTRY_COMPARE_WITH_TIMEOUT(slow.status(), Account::Status::Online, 10000);
        const quint64 conversation = ClientFixture::openFrom(slow, peer->userId());
        QVERIFY(conversation);

        // Two of 8 MiB share 1 MiB/s: about 16 s. The small one is 100 kB.
        QString error;
        QStringList large;
        for (const char *file : {"first video.bin", "second video.bin"}) {
            const QString path = m_files.filePath(QLatin1String(file));
            QVERIFY(writeContent(path, 8 << 20));
            large.append(slow.transfers().sendFile(conversation, path, &error));
            QVERIFY2(!large.last().isEmpty(), qPrintable(error));
        }
        QTRY_VERIFY_WITH_TIMEOUT(doneBytes(slow, large[0]) > 0 && doneBytes(slow, large[1]) > 0,
                                 10000);
        const QString voice = m_files.filePath(QStringLiteral("voice note.wav"));
        QVERIFY(writeContent(voice, 100000));
        const QString small = slow.transfers().sendFile(conversation, voice, &error);
        QVERIFY2(!small.isEmpty(), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(slow.transfers().record(small)->state,
                                  TransferRecord::State::Done, 6000);
        for (const QString &id : large) {
            QVERIFY(slow.transfers().record(id)->state != TransferRecord::State::Done);
            slow.transfers().cancel(id);
        }
    }

    // The server's database goes away while the connection stays up: the upload is answered
    // "unavailable", waits (not failed), and finishes by itself once the database is back.
    void waitsOutADatabaseRestart()
    {
        auto alice = m_fx.makeAccount(m_senderName, QStringLiteral("sender-device"));
        QVERIFY(alice->open());
        QTRY_COMPARE_WITH_TIMEOUT(alice->status(), Account::Status::Online, 10000);
        QSignalSpy dropped(&alice->connection(), &ServerConnection::disconnected);
        QString error = m_fx.pg.stop();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QString path = m_files.filePath(QStringLiteral("while the database was down.bin"));
        QVERIFY(writeContent(path, 200000));
        const QString id = alice->transfers().sendFile(m_conversation, path, &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        QTest::qWait(2500); // refused meanwhile, more than once: waiting, not failed
        QVERIFY(alice->transfers().record(id)->state != TransferRecord::State::Failed);
        QVERIFY(alice->transfers().record(id)->state != TransferRecord::State::Done);
        error = m_fx.pg.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(alice->transfers().record(id)->state, TransferRecord::State::Done,
                                  40000);
        QTRY_VERIFY_WITH_TIMEOUT(alice->outboxStore().list().empty(), 20000);
        QCOMPARE(dropped.count(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_ClientTransfers)
#include "tst_clienttransfers.moc"
