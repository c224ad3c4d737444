// SPDX-License-Identifier: Apache-2.0
// AvatarCache: avatars fetched once and kept as round pictures, GUI thread.
#include "avatarcache.h"

#include "clientlog.h"
#include "refusals.h"
#include "serverconnection.h"
#include "session.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QPainter>
#include <QPainterPath>
#include <QUrl>

namespace tern::client {

namespace {

// File ids are the server's ([A-Za-z0-9_-]); anything else never becomes a path.
bool isPlainId(const QString &id)
{
    if (id.isEmpty() || id.size() > 64)
        return false;
    for (const QChar c : id) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'-' && c != u'_')
            return false;
    }
    return true;
}

QImage round(const QImage &square, int side)
{
    QImage out(side, side, QImage::Format_ARGB32_Premultiplied);
    out.fill(Qt::transparent);
    QPainter painter(&out);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    QPainterPath circle;
    circle.addEllipse(QRectF(0, 0, side, side));
    painter.setClipPath(circle);
    painter.drawImage(QRect(0, 0, side, side), square);
    return out;
}

} // namespace

AvatarCache::AvatarCache(ServerConnection &connection, Session &session, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_session(session)
{
    // A new session may see avatars the last one could not (a new friend, a new group).
    connect(&m_session, &Session::authenticated, this, [this] { m_unavailable.clear(); });
}

QString AvatarCache::pathFor(const QString &fileId, bool large) const
{
    return QDir(m_folder).filePath(
        fileId + (large ? QStringLiteral("-large.png") : QStringLiteral("-small.png")));
}

QString AvatarCache::url(const QString &fileId, bool large)
{
    if (!isPlainId(fileId) || m_folder.isEmpty())
        return {};
    const QString path = pathFor(fileId, large);
    if (QFile::exists(path))
        return QUrl::fromLocalFile(path).toString();
    fetch(fileId);
    return {};
}

void AvatarCache::fetch(const QString &fileId)
{
    if (m_fetching.contains(fileId) || m_unavailable.contains(fileId)
        || !m_session.isAuthenticated())
        return;
    m_fetching.insert(fileId);
    m_queue.append(fileId);
    pump();
}

void AvatarCache::pump()
{
    while (!m_queue.isEmpty() && m_fetching.size() - m_queue.size() < kConcurrentFetches)
        readFrom(m_queue.takeFirst(), {});
}

void AvatarCache::readFrom(const QString &fileId, QByteArray data)
{
    proto::Frame frame;
    frame.mutable_read_file()->set_file_id(fileId.toStdString());
    frame.mutable_read_file()->set_offset(quint64(data.size()));
    frame.mutable_read_file()->set_length(
        std::max<quint32>(16 * 1024, m_connection.welcome().limits().max_file_chunk_bytes()));
    m_connection.send(
        frame,
        [this, fileId, data](const proto::Frame &answer) mutable {
            if (!answer.has_file_chunk()) {
                m_fetching.remove(fileId);
                const auto code = answer.error().code();
                // Gone or not allowed: asked again after the next login. Busy or offline:
                // asked again the next time it is shown.
                if (code != proto::ERROR_CODE_UNAVAILABLE
                    && code != proto::ERROR_CODE_LIMIT_EXCEEDED
                    && code != proto::ERROR_CODE_RATE_LIMITED)
                    m_unavailable.insert(fileId);
                return pump();
            }
            data += QByteArray::fromStdString(answer.file_chunk().data());
            if (!answer.file_chunk().eof() && data.size() < kMaxAvatarBytes)
                return readFrom(fileId, data);
            m_fetching.remove(fileId);
            pump();
            if (!answer.file_chunk().eof() || !store(fileId, data)) {
                qCInfo(lcSync) << "avatar" << fileId << "is not a usable picture";
                m_unavailable.insert(fileId);
                return;
            }
            Q_EMIT ready(fileId);
        },
        this);
}

bool AvatarCache::store(const QString &fileId, const QByteArray &data)
{
    QImage image = QImage::fromData(data);
    if (image.isNull() || !QDir().mkpath(m_folder))
        return false;
    // Whatever was uploaded (another client may not crop), the centre square is shown.
    const int side = std::min(image.width(), image.height());
    const QImage square =
        image.copy((image.width() - side) / 2, (image.height() - side) / 2, side, side);
    return round(square, kSmallSide).save(pathFor(fileId, false), "PNG")
        && round(square, std::min(side, kLargeSide)).save(pathFor(fileId, true), "PNG");
}

void AvatarCache::upload(const QString &imagePath,
                         std::function<void(const QString &fileId, const QString &error)> done)
{
    QImageReader reader(imagePath);
    reader.setAutoTransform(true);
    const QImage image = reader.read();
    if (image.isNull())
        return done({}, tr("%1 is not a picture this app can read").arg(imagePath));
    const int side = std::min(image.width(), image.height());
    const QImage square =
        image.copy((image.width() - side) / 2, (image.height() - side) / 2, side, side)
            .scaled(std::min(side, kLargeSide), std::min(side, kLargeSide), Qt::IgnoreAspectRatio,
                    Qt::SmoothTransformation)
            .convertToFormat(QImage::Format_RGB32);
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    square.save(&buffer, "JPEG", 88);
    const quint32 chunk = m_connection.welcome().limits().max_file_chunk_bytes();
    if (jpeg.isEmpty() || (chunk > 0 && quint32(jpeg.size()) > chunk))
        return done({}, tr("the picture could not be prepared"));
    const QByteArray sha = QCryptographicHash::hash(jpeg, QCryptographicHash::Sha256);
    proto::Frame start;
    auto *announce = start.mutable_start_upload();
    announce->set_name("avatar.jpg");
    announce->set_mime_type("image/jpeg");
    announce->set_size(quint64(jpeg.size()));
    announce->set_sha256(sha.toStdString());
    // One chunk holds it: announce, then (unless the server has it) send it whole.
    const auto finish = [this, jpeg, done](const proto::Frame &answer) {
        if (!answer.has_upload_state() || !answer.upload_state().has_file())
            return done({},
                        answer.has_error() ? refusalText(answer.error())
                                           : tr("the upload did not complete"));
        const QString fileId = QString::fromStdString(answer.upload_state().file().file_id());
        store(fileId, jpeg); // shown at once, without fetching it back
        done(fileId, {});
    };
    m_connection.send(
        start,
        [this, jpeg, sha, finish](const proto::Frame &answer) {
            if (!answer.has_upload_state() || answer.upload_state().has_file())
                return finish(answer);
            proto::Frame frame;
            auto *c = frame.mutable_upload_chunk();
            c->set_upload_id(answer.upload_state().upload_id());
            c->set_offset(0);
            c->set_data(jpeg.toStdString());
            c->set_sha256(sha.toStdString());
            m_connection.send(frame, finish, this);
        },
        this);
}

} // namespace tern::client
