// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "support/testusers.h"
#include "tern/protocol.h"
#include "tern/v1/messaging.pb.h"

#include <QObject>
#include <QTemporaryDir>
#include <QUrl>
#include <QVariantList>

// Another person in a UI test (QML type TestPeer in module Tern.Test): an independent client
// of the same real ternd (the test support's protocol client), driven from QML to befriend the
// app's user, send to it and read what the app sent. Calls block until the server answered.
class TestPeer : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString server READ server CONSTANT)
    Q_PROPERTY(double userId READ userId CONSTANT)
public:
    // The server every TestPeer made from QML talks to.
    static void setDefaultUrl(const QUrl &url);

    explicit TestPeer(QObject *parent = nullptr);

    QString server() const { return m_url.authority(); }
    double userId() const { return double(m_me.id); }

    // Registers the peer; false on failure.
    Q_INVOKABLE bool registerAs(const QString &username);
    // Becomes friends with the app's user (accepting on a second device of theirs).
    Q_INVOKABLE bool befriend(const QString &username, const QString &password);
    // Asks `username` to be friends; true once the request is stored.
    Q_INVOKABLE bool requestFriendship(const QString &username, const QString &greeting);
    // Accepts every pending incoming request; returns how many.
    Q_INVOKABLE int acceptIncoming();
    // Sends text in the direct conversation with the befriended user.
    Q_INVOKABLE bool sendText(const QString &text);
    // Tells the befriended user "typing" (true) or "stopped" (false) in the direct conversation.
    Q_INVOKABLE bool setTyping(bool typing);
    // Calls the befriended user (the signaling only: the peer has no media engine); true once
    // it rings. nextCallEnd(): why the call ended ("DECLINED"...), "" after 10 s.
    Q_INVOKABLE bool startCall(bool video);
    Q_INVOKABLE QString nextCallEnd();
    // Creates a group with the befriended user as a plain member; true once it exists.
    Q_INVOKABLE bool createGroupWithFriend(const QString &name);
    // Creates a group with user `userId` in it (added, or invited when their settings say so).
    Q_INVOKABLE bool createGroupWith(const QString &name, double userId);
    // Creates an open group (anyone with the code joins); returns its invite code.
    Q_INVOKABLE QString createOpenGroup(const QString &name);
    // Creates a group whose admins approve requests to join; returns its id (0 on failure).
    Q_INVOKABLE double createApprovalGroup(const QString &name);
    // As its owner: answers the oldest pending request to join the group; true once answered.
    Q_INVOKABLE bool answerJoinRequest(double groupId, bool approve);
    // Asks to join the befriended user's group named `name` (its policy must take requests).
    Q_INVOKABLE bool requestToJoin(double groupId, const QString &message);
    // As the group's owner: its join policy (tern.v1.GroupJoinPolicy), and the befriended user
    // made an admin.
    Q_INVOKABLE bool setJoinPolicy(double groupId, int policy);
    Q_INVOKABLE bool makeFriendAdmin(double groupId);
    // The text of the next message pushed to the peer ("" after 10 s without one).
    Q_INVOKABLE QString nextReceivedText();
    // Who the message nextReceivedText() returned mentions (ids as numbers), and whether @all.
    Q_INVOKABLE QVariantList lastMentions() const { return m_lastMentions; }
    Q_INVOKABLE bool lastMentionedAll() const { return m_lastMentionAll; }
    // Items in it when that message was a merged forward (0 otherwise); whether it was forwarded.
    Q_INVOKABLE int lastBundleSize() const { return m_lastBundleSize; }
    Q_INVOKABLE bool lastForwarded() const { return m_lastForwarded; }
    // The file of the message nextReceivedText() returned ("" if none), and the SHA-256 (hex)
    // of its content as the peer downloads it from the server ("" if it cannot).
    Q_INVOKABLE QString lastFileName() const { return QString::fromStdString(m_lastFile.name()); }
    Q_INVOKABLE QString downloadLastFile();

    // Uploads a width x height PNG and sends it as an image message with a JPEG preview.
    Q_INVOKABLE bool sendImage(int width, int height);
    // A file of `size` bytes in the peer's temporary folder, for the app to send: its file URL.
    Q_INVOKABLE QUrl writeFile(const QString &name, int size);
    // A width x height PNG (a colour gradient) in the peer's temporary folder: its file URL.
    Q_INVOKABLE QUrl writePicture(const QString &name, int width, int height);
    // Puts a width x height picture on the clipboard (as a screenshot tool does).
    Q_INVOKABLE void copyPicture(int width, int height);
    // What a spreadsheet puts on the clipboard for copied cells: their text and a picture.
    Q_INVOKABLE void copyCells(const QString &text, int width, int height);
    // SHA-256 (hex) of a local file; a folder in the temporary folder (made): its path.
    Q_INVOKABLE QString sha256Of(const QUrl &file) const;
    Q_INVOKABLE QString folder(const QString &name) const;

private:
    QUrl m_url;
    TestUser m_me;
    TestUser m_friend;
    quint64 m_conversationId = 0;
    QVariantList m_lastMentions;
    bool m_lastMentionAll = false;
    int m_lastBundleSize = 0;
    bool m_lastForwarded = false;
    tern::proto::FileRef m_lastFile;
    QTemporaryDir m_files;
};
