// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "avatarcache.h"
#include "calls.h"
#include "contactactions.h"
#include "conversationstore.h"
#include "draftstore.h"
#include "friendrequeststore.h"
#include "groupactions.h"
#include "groupstore.h"
#include "localcache.h"
#include "messageactions.h"
#include "messagestore.h"
#include "outbox.h"
#include "outboxstore.h"
#include "ownpresence.h"
#include "presencetracker.h"
#include "serverconnection.h"
#include "session.h"
#include "syncengine.h"
#include "transfers.h"
#include "transferstore.h"
#include "typingtracker.h"
#include "userstore.h"

#include <QObject>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace tern::client {

class TokenStore;

// One account on one server, with everything it owns: the connection, the session, the local
// cache and its stores, the sync engine and the outbox. Models and QML talk to this object;
// it holds no UI state. Opening it shows the cached state at once, online or not.
class Account : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Accounts are made by the AccountManager")
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
    Q_PROPERTY(QString statusText READ statusText NOTIFY statusChanged)
    Q_PROPERTY(qint64 retryAtMs READ retryAtMs NOTIFY statusChanged)
    Q_PROPERTY(bool syncing READ isSyncing NOTIFY syncingChanged)
    // While syncing: how many chats still have messages to fetch.
    Q_PROPERTY(int chatsToSync READ chatsToSync NOTIFY chatsToSyncChanged)
    Q_PROPERTY(double userId READ userIdNumber NOTIFY sessionChanged) // a number in QML
    // The server's rule for new passwords (its Welcome; the protocol's default before one).
    Q_PROPERTY(int minPasswordLength READ minPasswordLength NOTIFY sessionChanged)
    Q_PROPERTY(QString username READ username CONSTANT)
    Q_PROPERTY(QString displayName READ displayName NOTIFY profileChanged)
    Q_PROPERTY(QString statusLine READ statusLine NOTIFY profileChanged)
    Q_PROPERTY(QUrl server READ server CONSTANT)
    // Privacy (tern.v1.Audience numbers: 1 everyone, 2 friends, 3 nobody; 0 not known yet).
    Q_PROPERTY(int searchableBy READ searchableBy NOTIFY profileChanged)
    Q_PROPERTY(int presenceVisibleTo READ presenceVisibleTo NOTIFY profileChanged)
    Q_PROPERTY(int groupAdders READ groupAdders NOTIFY profileChanged)
    // How this device shows the user (OwnPresence::Choice numbers: 0 online, away by itself
    // after a while without input; 1 away; 2 invisible, appearing offline). Kept for the
    // account on this device, not shared with the user's other devices.
    Q_PROPERTY(
        int presenceChoice READ presenceChoice WRITE setPresenceChoice NOTIFY presenceChoiceChanged)
    // Share when I read (and see others' receipts); the same on all my devices. As last heard
    // from the server (kept in the cache); true before it ever said.
    Q_PROPERTY(bool readReceipts READ readReceipts NOTIFY messagingSettingsChanged)
    // The own avatar's file id ("" = none); see avatarUrl().
    Q_PROPERTY(QString avatarFileId READ avatarFileId NOTIFY profileChanged)
    // Goes up whenever an avatar arrived: bindings that call avatarUrl() pass it along so that
    // they are evaluated again.
    Q_PROPERTY(int avatarRevision READ avatarRevision NOTIFY avatarsChanged)
    // Where this account keeps media of its own on this device: recorded voice notes, voice
    // notes fetched for playing.
    Q_PROPERTY(QString mediaFolder READ mediaFolder CONSTANT)
    // Where open() put a damaged cache before making a new one; empty when it did not.
    Q_PROPERTY(QString cacheSetAside READ cacheSetAside CONSTANT)
    // Voice and video calls of this device.
    Q_PROPERTY(tern::client::Calls *calls READ callsObject CONSTANT)
public:
    enum class Status {
        LoggedOut,
        Connecting, // socket opening or authenticating
        Online, // authenticated
        WaitingToRetry, // offline; retryAtMs says when the next attempt is
    };
    Q_ENUM(Status)

    struct Options
    {
        QUrl server;
        QString username;
        // The app's data folder: the account keeps its files in a folder of its own there
        // (folder()).
        QString dataDir;
        QString deviceId;
        QString deviceName;
        int initialBackoffMs = 1000;
        int maxBackoffMs = 60000;
        // Devices (or test sources) for calls.
        MediaOptions callMedia;
    };

    Account(const Options &options, TokenStore *tokens, QObject *parent = nullptr);
    ~Account() override;

    // Disconnects `receiver` from this account and every part of it (a model switching accounts).
    void disconnectReceiver(QObject *receiver);

    // "alice@chat.example.org:8765": the token store key and the account's identity here.
    static QString keyFor(const QUrl &server, const QString &username);
    QString key() const;
    // The account's folder in `dataDir` ("alice@chat.example.org_8765"): all it keeps on this
    // device (cache, media, pasted pictures, avatars), so that it can be removed as one.
    static QString folderFor(const QString &dataDir, const QString &key);
    QString folder() const { return folderFor(m_options.dataDir, key()); }

    // Opens the cache (false with error() if it cannot), then resumes a stored session.
    bool open();
    QString error() const { return m_error; }

    Q_INVOKABLE void login(const QString &password);
    Q_INVOKABLE void registerAccount(const QString &password, const QString &displayName);
    Q_INVOKABLE void logout();
    // Logs out on this device only and returns the device token (empty when there was none)
    // for the caller to revoke on the server, also later: see ServerLogouts.
    QByteArray logoutLocally();
    Q_INVOKABLE void retryNow() { m_connection.retryNow(); }
    // Changes the own display name and status line; profileChanged or actionFailed follows.
    Q_INVOKABLE void updateProfile(const QString &displayName, const QString &statusLine);
    // Changes privacy settings; 0 leaves one as it is. profileChanged or actionFailed follows.
    Q_INVOKABLE void setPrivacy(int searchableBy, int presenceVisibleTo, int groupAdders);
    // messagingSettingsChanged follows (also on a refusal, with actionFailed).
    Q_INVOKABLE void setReadReceipts(bool on);
    // See presenceChoice; other numbers are ignored.
    void setPresenceChoice(int choice);
    // The user gave the app no input for a while (IdleWatcher, through AccountManager): away
    // while the choice is automatic.
    void setIdle(bool idle) { m_ownPresence.setIdle(idle); }
    // Every other device is logged out; passwordChanged or passwordChangeFailed follows.
    Q_INVOKABLE void changePassword(const QString &oldPassword, const QString &newPassword);
    // A new own avatar from a picture file (cropped to its centre square); "" removes it.
    // profileChanged or actionFailed follows.
    Q_INVOKABLE void setAvatar(const QUrl &picture);
    Q_INVOKABLE void removeAvatar();
    // A file: URL of the round avatar `fileId` (large: 512 px, else 96 px), or "" until it has
    // been fetched (avatarsChanged follows). `revision`: pass avatarRevision (see there).
    Q_INVOKABLE QString avatarUrl(const QString &fileId, bool large, int revision = 0);
    // Pins or mutes a conversation on all of the user's devices.
    Q_INVOKABLE void setConversationPinned(double conversationId, bool pinned);
    Q_INVOKABLE void setConversationMuted(double conversationId, bool muted);
    // A group with the given friends (ids as numbers); groupCreated or actionFailed follows.
    Q_INVOKABLE void createGroup(const QString &name, const QVariantList &memberIds);
    // Joins an open group with its invite code; groupCreated (its chat opens) or actionFailed.
    Q_INVOKABLE void joinGroupByCode(const QString &code);
    // Asks to join a group that admins approve, by its number (shown in its info pane to its
    // members); joinRequested (with the group's name) or actionFailed follows.
    Q_INVOKABLE void requestToJoinGroup(const QString &groupNumber, const QString &message);

    Status status() const;
    QString statusText() const;
    int minPasswordLength() const;
    qint64 retryAtMs() const { return m_connection.retryAtMs(); }
    bool isSyncing() const { return m_sync.isSyncing(); }
    int chatsToSync() const { return m_sync.chatsToFetch(); }
    quint64 userId() const;
    double userIdNumber() const { return double(userId()); }
    QString username() const { return m_options.username; }
    QString displayName() const;
    QString statusLine() const { return QString::fromStdString(m_profile.status_line()); }
    QUrl server() const { return m_options.server; }
    QString mediaFolder() const { return folder() + QStringLiteral("/media"); }
    QString cacheSetAside() const { return m_cache.setAsidePath(); }
    bool readReceipts() const
    {
        return !m_haveMessagingSettings || m_messagingSettings.read_receipts();
    }
    int searchableBy() const { return int(m_privacy.searchable_by()); }
    int presenceVisibleTo() const { return int(m_privacy.presence_visible_to()); }
    int groupAdders() const { return int(m_privacy.group_adders()); }
    int presenceChoice() const { return int(m_ownPresence.choice()); }
    QString avatarFileId() const { return QString::fromStdString(m_profile.avatar_file_id()); }
    int avatarRevision() const { return m_avatarRevision; }

    ServerConnection &connection() { return m_connection; }
    Session &session() { return m_session; }
    LocalCache &cache() { return m_cache; }
    ConversationStore &conversations() { return m_conversations; }
    MessageStore &messages() { return m_messages; }
    OutboxStore &outboxStore() { return m_outboxStore; }
    DraftStore &drafts() { return m_drafts; }
    UserStore &users() { return m_users; }
    GroupStore &groups() { return m_groups; }
    FriendRequestStore &friendRequests() { return m_requests; }
    ContactActions &contactActions() { return m_contactActions; }
    GroupActions &groupActions() { return m_groupActions; }
    MessageActions &messageActions() { return m_messageActions; }
    TypingTracker &typing() { return m_typing; }
    PresenceTracker &presence() { return m_presence; }
    OwnPresence &ownPresence() { return m_ownPresence; }
    AvatarCache &avatars() { return m_avatars; }
    // A group's name as cached ("Group" until known).
    QString groupName(quint64 groupId) const;
    SyncEngine &sync() { return m_sync; }
    Outbox &outbox() { return m_outbox; }
    Transfers &transfers() { return m_transfers; }
    Calls &calls() { return m_calls; }
    Calls *callsObject() { return &m_calls; }
    TransferStore &transferStore() { return m_transferStore; }

Q_SIGNALS:
    void statusChanged();
    void syncingChanged();
    void chatsToSyncChanged();
    void sessionChanged();
    // A login or registration failed: for the login page.
    void loginFailed(const QString &message, int retryAfterMs);
    // The session ended (logged out here or elsewhere); reason empty for an own logout.
    void loggedOut(const QString &reason);
    void caughtUp();
    void profileChanged();
    void messagingSettingsChanged();
    void presenceChoiceChanged();
    void avatarsChanged();
    void groupCreated(double conversationId);
    // createGroup failed (actionFailed says why): the answer to that request, not another.
    void groupCreateFailed();
    void joinRequested(const QString &groupName);
    void passwordChanged(int otherDevicesLoggedOut);
    void passwordChangeFailed(const QString &message);
    // A user action the server refused, with its reason (for a toast or an inline error).
    void actionFailed(const QString &message);
    // Pinning or muting a chat was refused (or the server could not be reached): the chat
    // shows the reason where the button was pressed.
    void conversationSettingsFailed(double conversationId, const QString &message);

private:
    void startConnection();
    void fetchProfile();
    void setProfile(const proto::MyProfile &profile);
    // UpdateMessagingSettings: no value only reads them.
    void sendMessagingSettings(std::optional<bool> readReceipts);
    void setMessagingSettings(const proto::MessagingSettings &settings);
    // Sends an UpdateProfile; the answer becomes the profile, a refusal actionFailed.
    void sendProfileUpdate(const proto::Frame &frame);
    void updateConversationSettings(quint64 conversationId, std::optional<bool> pinned,
                                    std::optional<bool> muted);

    Options m_options;
    TokenStore *m_tokens;
    QString m_error;
    proto::UserProfile m_profile; // own profile, once fetched or pushed
    proto::PrivacySettings m_privacy;
    proto::MessagingSettings m_messagingSettings;
    bool m_haveMessagingSettings = false;
    ServerConnection m_connection;
    LocalCache m_cache;
    ConversationStore m_conversations;
    MessageStore m_messages;
    OutboxStore m_outboxStore;
    DraftStore m_drafts;
    TransferStore m_transferStore;
    UserStore m_users;
    GroupStore m_groups;
    FriendRequestStore m_requests;
    Session m_session;
    SyncEngine m_sync;
    Outbox m_outbox;
    Transfers m_transfers;
    ContactActions m_contactActions;
    GroupActions m_groupActions;
    MessageActions m_messageActions;
    TypingTracker m_typing;
    PresenceTracker m_presence;
    OwnPresence m_ownPresence;
    AvatarCache m_avatars;
    Calls m_calls;
    int m_avatarRevision = 0;
};

} // namespace tern::client
