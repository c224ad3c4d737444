// SPDX-License-Identifier: Apache-2.0
// Account: wires one account's parts together, GUI thread.
#include "account.h"

#include "refusals.h"
#include "tokenstore.h"

#include "tern/limits.h"
#include "tern/validation.h"

#include <QDateTime>
#include <QDir>
#include <QPointer>

namespace tern::client {

namespace {

QString userMessageFor(proto::ErrorCode code, const QString &serverMessage, quint32 retryAfterMs)
{
    switch (code) {
    case proto::ERROR_CODE_INVALID_CREDENTIALS:
        return Account::tr("Wrong username or password.");
    case proto::ERROR_CODE_USERNAME_TAKEN:
        return Account::tr("That username is taken.");
    case proto::ERROR_CODE_ACCOUNT_BANNED:
        return Account::tr("This account is suspended.");
    case proto::ERROR_CODE_RATE_LIMITED:
        return Account::tr("Too many attempts. Try again in %n second(s).", nullptr,
                           int((retryAfterMs + 999) / 1000));
    default:
        return serverMessage;
    }
}

} // namespace

Account::Account(const Options &options, TokenStore *tokens, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_tokens(tokens)
    , m_conversations(m_cache)
    , m_messages(m_cache)
    , m_outboxStore(m_cache)
    , m_drafts(m_cache)
    , m_transferStore(m_cache)
    , m_users(m_cache)
    , m_groups(m_cache)
    , m_requests(m_cache)
    , m_session(m_connection, *tokens)
    , m_sync(m_connection, m_session,
             {m_cache, m_conversations, m_messages, m_users, m_groups, m_requests})
    , m_outbox(m_connection, m_session, {m_cache, m_outboxStore, m_messages, m_conversations})
    , m_transfers(m_connection, m_session, m_transferStore, m_outboxStore, m_outbox)
    , m_contactActions(m_connection, m_users, m_requests)
    , m_groupActions(m_connection, m_groups, m_sync, m_users)
    , m_messageActions(m_connection, m_session, m_messages, m_conversations)
    , m_typing(m_connection)
    , m_presence(m_connection)
    , m_ownPresence(m_connection, m_session, m_cache)
    , m_avatars(m_connection, m_session)
    , m_calls(m_connection, m_session, m_users)
{
    m_calls.setMediaOptions(options.callMedia);
    m_avatars.setFolder(folder() + QStringLiteral("/avatars"));
    connect(&m_avatars, &AvatarCache::ready, this, [this] {
        ++m_avatarRevision;
        Q_EMIT avatarsChanged();
    });
    ServerConnection::Options c;
    c.url = options.server;
    c.deviceId = options.deviceId;
    c.deviceName = options.deviceName;
    c.initialBackoffMs = options.initialBackoffMs;
    c.maxBackoffMs = options.maxBackoffMs;
    m_connection.setOptions(c);
    m_session.setAccountKey(key());

    connect(&m_connection, &ServerConnection::stateChanged, this, &Account::statusChanged);
    connect(&m_session, &Session::stateChanged, this, &Account::statusChanged);
    connect(&m_session, &Session::authenticated, this, [this] {
        m_cache.setMeta(QStringLiteral("user_id"), QByteArray::number(m_session.userId()));
        Q_EMIT sessionChanged();
        fetchProfile();
        sendMessagingSettings({}); // reads them
    });
    connect(&m_ownPresence, &OwnPresence::choiceChanged, this, &Account::presenceChoiceChanged);
    connect(&m_sync, &SyncEngine::syncingChanged, this, &Account::syncingChanged);
    connect(&m_sync, &SyncEngine::chatsToFetchChanged, this, &Account::chatsToSyncChanged);
    connect(&m_sync, &SyncEngine::caughtUp, this, &Account::caughtUp);
    connect(&m_connection, &ServerConnection::pushReceived, this,
            [this](const proto::Frame &frame) {
                if (frame.has_my_profile())
                    setProfile(frame.my_profile()); // changed on another device
                if (frame.has_messaging_settings())
                    setMessagingSettings(frame.messaging_settings());
            });
    connect(&m_session, &Session::failed, this,
            [this](proto::ErrorCode code, const QString &message, quint32 retryAfterMs) {
                m_connection.stop();
                Q_EMIT loginFailed(userMessageFor(code, message, retryAfterMs), int(retryAfterMs));
            });
    connect(&m_session, &Session::loggedOut, this, [this](const QString &reason) {
        m_connection.stop();
        Q_EMIT sessionChanged();
        Q_EMIT loggedOut(reason);
    });
}

Account::~Account()
{
    // Quitting or switching accounts mid-call: hung up while the connection can still say so,
    // or the peer waits through the server's reconnect grace. The connection's destructor
    // closes the socket cleanly, and closing flushes the HangUp out first. A call ringing here
    // is left to ring on the user's other devices.
    if (m_calls.state() != Calls::State::Ringing)
        m_calls.hangUp();
}

void Account::disconnectReceiver(QObject *receiver)
{
    const QObject *parts[] = {this,        &m_connection,  &m_session,       &m_conversations,
                              &m_messages, &m_outboxStore, &m_users,         &m_groups,
                              &m_requests, &m_sync,        &m_outbox,        &m_typing,
                              &m_presence, &m_transfers,   &m_transferStore, &m_avatars,
                              &m_calls,    &m_drafts,      &m_ownPresence};
    for (const QObject *part : parts)
        QObject::disconnect(part, nullptr, receiver, nullptr);
}

QString Account::keyFor(const QUrl &server, const QString &username)
{
    return username.toLower() + QLatin1Char('@') + server.host() + QLatin1Char(':')
        + QString::number(server.port(server.scheme() == QLatin1String("wss") ? 443 : 80));
}

QString Account::key() const
{
    return keyFor(m_options.server, m_options.username);
}

QString Account::folderFor(const QString &dataDir, const QString &key)
{
    QString name = key;
    name.replace(QLatin1Char(':'), QLatin1Char('_')); // not in file names everywhere
    return QDir(dataDir).filePath(name);
}

bool Account::open()
{
    const QString path = QDir(folder()).filePath(QStringLiteral("cache.sqlite"));
    if (!m_cache.open(path)) {
        m_error = m_cache.error();
        return false;
    }
    if (const QByteArray receipts = m_cache.meta(QStringLiteral("read_receipts"));
        !receipts.isEmpty()) {
        m_messagingSettings.set_read_receipts(receipts == "1");
        m_haveMessagingSettings = true;
    }
    m_ownPresence.load(); // before the session resumes: its flags go out right after
    // A stored session connects as soon as its token is read; without one, login() connects.
    connect(&m_session, &Session::stateChanged, this, [this](Session::State s) {
        if (s == Session::State::Authenticating)
            startConnection();
    });
    m_session.resumeStored();
    return true;
}

void Account::startConnection()
{
    m_connection.start();
}

void Account::login(const QString &password)
{
    m_session.login(m_options.username, password);
}

void Account::registerAccount(const QString &password, const QString &displayName)
{
    m_session.registerAccount(m_options.username, password, displayName);
}

void Account::createGroup(const QString &name, const QVariantList &memberIds)
{
    if (name.trimmed().isEmpty()) {
        Q_EMIT actionFailed(tr("Give the group a name."));
        Q_EMIT groupCreateFailed();
        return;
    }
    std::vector<quint64> ids;
    for (const QVariant &v : memberIds)
        ids.push_back(quint64(v.toDouble()));
    QPointer<Account> self(this);
    m_groupActions.createGroup(name, ids, [self](quint64 conversationId, const QString &error) {
        if (!self)
            return;
        if (conversationId) {
            Q_EMIT self->groupCreated(double(conversationId));
        } else {
            Q_EMIT self->actionFailed(error);
            Q_EMIT self->groupCreateFailed();
        }
    });
}

void Account::joinGroupByCode(const QString &code)
{
    if (code.trimmed().isEmpty()) {
        Q_EMIT actionFailed(tr("Enter the group's invite code."));
        return;
    }
    QPointer<Account> self(this);
    m_groupActions.joinByCode(code, [self](quint64 conversationId, const QString &error) {
        if (!self)
            return;
        if (conversationId)
            Q_EMIT self->groupCreated(double(conversationId));
        else
            Q_EMIT self->actionFailed(error);
    });
}

void Account::requestToJoinGroup(const QString &groupNumber, const QString &message)
{
    bool isNumber = false;
    const quint64 groupId = groupNumber.trimmed().toULongLong(&isNumber);
    if (!isNumber || groupId == 0) {
        Q_EMIT actionFailed(tr("A group number has only digits."));
        return;
    }
    QPointer<Account> self(this);
    m_groupActions.requestToJoin(
        groupId, message,
        [self](std::optional<proto::JoinApplication> application, const QString &error) {
            if (!self)
                return;
            if (application)
                Q_EMIT self->joinRequested(QString::fromStdString(application->group().name()));
            else
                Q_EMIT self->actionFailed(error);
        });
}

void Account::setConversationPinned(double conversationId, bool pinned)
{
    updateConversationSettings(quint64(conversationId), pinned, std::nullopt);
}

void Account::setConversationMuted(double conversationId, bool muted)
{
    updateConversationSettings(quint64(conversationId), std::nullopt, muted);
}

void Account::updateConversationSettings(quint64 conversationId, std::optional<bool> pinned,
                                         std::optional<bool> muted)
{
    proto::Frame frame;
    auto *req = frame.mutable_update_conversation_settings();
    req->set_conversation_id(conversationId);
    if (pinned)
        req->set_pinned(*pinned);
    if (muted)
        req->set_muted(*muted);
    QPointer<Account> self(this);
    m_connection.send(
        frame,
        [self, conversationId](const proto::Frame &answer) {
            if (!self)
                return;
            if (answer.has_conversation_state())
                self->m_conversations.upsert(answer.conversation_state());
            else
                Q_EMIT self->conversationSettingsFailed(double(conversationId),
                                                        refusalText(answer.error()));
        },
        this);
}

void Account::logout()
{
    // Hung up while the session can still say so: after the logout the server would take the
    // call for a lost connection and keep the peer waiting through the reconnect grace.
    m_calls.hangUp();
    m_session.logout();
}

QByteArray Account::logoutLocally()
{
    m_calls.hangUp(); // as in logout()
    return m_session.logoutLocally();
}

Account::Status Account::status() const
{
    if (m_session.state() == Session::State::LoggedOut
        || m_session.state() == Session::State::LoadingToken)
        return Status::LoggedOut;
    if (m_connection.state() == ServerConnection::State::WaitingToRetry)
        return Status::WaitingToRetry;
    return m_session.isAuthenticated() ? Status::Online : Status::Connecting;
}

int Account::minPasswordLength() const
{
    const quint32 shortest = m_connection.welcome().limits().min_password_length();
    return shortest > 0 ? int(shortest) : limits::kMinPasswordLength;
}

QString Account::statusText() const
{
    switch (status()) {
    case Status::LoggedOut:
        return tr("Logged out");
    case Status::Connecting:
        // Stopped for good while the session wants in: the server refused this app (its
        // protocol version); retrying cannot help, so say why.
        if (m_connection.state() == ServerConnection::State::Offline
            && !m_connection.lastError().isEmpty())
            return tr("Cannot connect: %1").arg(m_connection.lastError());
        return tr("Connecting…");
    case Status::Online:
        return tr("Online");
    case Status::WaitingToRetry: {
        const qint64 s =
            std::max<qint64>(1, (retryAtMs() - QDateTime::currentMSecsSinceEpoch() + 999) / 1000);
        // Why the last attempt failed (refused, no route, timed out): a wrong address and a
        // server that is down look different.
        if (const QString why = m_connection.lastError(); !why.isEmpty())
            return tr("Offline (%1) — retrying in %n s", nullptr, int(s)).arg(why);
        return tr("Offline — retrying in %n s", nullptr, int(s));
    }
    }
    return {};
}

quint64 Account::userId() const
{
    if (m_session.userId() != 0)
        return m_session.userId();
    // Offline with a cached session: who we were last time.
    return const_cast<LocalCache &>(m_cache).meta(QStringLiteral("user_id")).toULongLong();
}

QString Account::groupName(quint64 groupId) const
{
    const auto m = m_groups.get(groupId);
    return m && !m->group().name().empty() ? QString::fromStdString(m->group().name())
                                           : tr("Group");
}

void Account::fetchProfile()
{
    proto::Frame frame;
    frame.mutable_get_my_profile();
    m_connection.send(
        frame,
        [this](const proto::Frame &answer) {
            if (answer.has_my_profile())
                setProfile(answer.my_profile());
        },
        this);
}

void Account::setProfile(const proto::MyProfile &profile)
{
    m_profile = profile.profile();
    m_privacy = profile.privacy();
    Q_EMIT profileChanged();
}

void Account::setReadReceipts(bool on)
{
    sendMessagingSettings(on);
}

void Account::sendMessagingSettings(std::optional<bool> readReceipts)
{
    proto::Frame frame;
    auto *request = frame.mutable_update_messaging_settings();
    if (readReceipts)
        request->set_read_receipts(*readReceipts);
    m_connection.send(
        frame,
        [this, changing = readReceipts.has_value()](const proto::Frame &answer) {
            if (answer.has_messaging_settings())
                return setMessagingSettings(answer.messaging_settings());
            if (changing) {
                Q_EMIT messagingSettingsChanged(); // a switch shows the setting again
                Q_EMIT actionFailed(refusalText(answer.error()));
            }
        },
        this);
}

void Account::setMessagingSettings(const proto::MessagingSettings &settings)
{
    m_messagingSettings = settings;
    m_haveMessagingSettings = true;
    // Shown as it was when the app starts offline next time.
    m_cache.setMeta(QStringLiteral("read_receipts"), settings.read_receipts() ? "1" : "0");
    Q_EMIT messagingSettingsChanged();
}

void Account::setPresenceChoice(int choice)
{
    using Choice = OwnPresence::Choice;
    if (choice >= int(Choice::Automatic) && choice <= int(Choice::Invisible))
        m_ownPresence.setChoice(Choice(choice));
}

void Account::setPrivacy(int searchableBy, int presenceVisibleTo, int groupAdders)
{
    proto::Frame frame;
    auto *privacy = frame.mutable_update_profile()->mutable_privacy();
    privacy->set_searchable_by(proto::Audience(searchableBy));
    privacy->set_presence_visible_to(proto::Audience(presenceVisibleTo));
    privacy->set_group_adders(proto::Audience(groupAdders));
    sendProfileUpdate(frame);
}

void Account::changePassword(const QString &oldPassword, const QString &newPassword)
{
    const proto::ServerLimits &limits = m_connection.welcome().limits();
    if (limits.max_password_length() > 0) {
        if (auto problem = validation::checkPassword(newPassword.toStdString(),
                                                     int(limits.min_password_length()),
                                                     int(limits.max_password_length())))
            return Q_EMIT passwordChangeFailed(*problem);
    }
    proto::Frame frame;
    frame.mutable_change_password()->set_old_password(oldPassword.toStdString());
    frame.mutable_change_password()->set_new_password(newPassword.toStdString());
    QPointer<Account> self(this);
    m_connection.send(
        frame,
        [self](const proto::Frame &answer) {
            if (!self)
                return;
            if (answer.has_change_password_result()) {
                Q_EMIT self->passwordChanged(
                    int(answer.change_password_result().revoked_sessions()));
            } else {
                const auto &e = answer.error();
                Q_EMIT self->passwordChangeFailed(e.code() == proto::ERROR_CODE_INVALID_CREDENTIALS
                                                      ? tr("The current password is wrong.")
                                                      : refusalText(e));
            }
        },
        this);
}

void Account::sendProfileUpdate(const proto::Frame &frame)
{
    QPointer<Account> self(this);
    m_connection.send(
        frame,
        [self](const proto::Frame &answer) {
            if (!self)
                return;
            if (answer.has_my_profile())
                self->setProfile(answer.my_profile());
            else
                Q_EMIT self->actionFailed(refusalText(answer.error()));
        },
        this);
}

void Account::updateProfile(const QString &displayName, const QString &statusLine)
{
    proto::Frame frame;
    frame.mutable_update_profile()->set_display_name(displayName.trimmed().toStdString());
    frame.mutable_update_profile()->set_status_line(statusLine.trimmed().toStdString());
    sendProfileUpdate(frame);
}

void Account::setAvatar(const QUrl &picture)
{
    const QString path = picture.isLocalFile() ? picture.toLocalFile() : picture.toString();
    m_avatars.upload(path, [this](const QString &fileId, const QString &error) {
        if (!error.isEmpty())
            return Q_EMIT actionFailed(error);
        proto::Frame frame;
        frame.mutable_update_profile()->set_avatar_file_id(fileId.toStdString());
        sendProfileUpdate(frame);
    });
}

void Account::removeAvatar()
{
    proto::Frame frame;
    frame.mutable_update_profile()->set_avatar_file_id("");
    sendProfileUpdate(frame);
}

QString Account::avatarUrl(const QString &fileId, bool large, int)
{
    return m_avatars.url(fileId, large);
}

QString Account::displayName() const
{
    if (!m_profile.display_name().empty())
        return QString::fromStdString(m_profile.display_name());
    const QString name = QString::fromStdString(m_session.info().display_name());
    return name.isEmpty() ? m_options.username : name;
}

} // namespace tern::client
