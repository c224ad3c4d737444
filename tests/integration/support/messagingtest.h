// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "testusers.h"

#include <QList>
#include <QString>

#include <vector>

// Messaging conveniences for integration tests, over the real protocol. Each returns the raw
// answer Frame (so tests can assert on error codes) or a plain value that is 0/empty on failure,
// with a qWarning naming what went wrong.

// A fresh client_msg_id (a UUID in text form).
QString newClientMsgId();

// A one-line description of a frame, for failure messages.
QString describeFrame(const tern::proto::Frame &frame);

// OpenConversation with a user / a group; the conversation id, 0 on failure.
quint64 openDirect(TestClient &client, quint64 peerUserId);
quint64 openGroupConversation(TestClient &client, quint64 groupId);

// The SendMessage request frame for a text message (not sent); for post() pipelines.
tern::proto::Frame textMessageFrame(quint64 conversationId, const QString &text,
                                    const QString &clientMsgId);
// Sends a text message and returns the answer (message_ack or error).
tern::proto::Frame sendText(TestClient &client, quint64 conversationId, const QString &text,
                            const QString &clientMsgId = {});

// GetMessages after `afterSeq` (0 and before 0: the newest page).
tern::proto::Frame getMessagesAfter(TestClient &client, quint64 conversationId, quint64 afterSeq,
                                    quint32 limit = 200);
tern::proto::Frame getMessagesBefore(TestClient &client, quint64 conversationId, quint64 beforeSeq,
                                     quint32 limit = 200);
// Every entry after `afterSeq`, read in pages of `pageSize`; `pages` (optional) gets the count
// of requests made. Stops (and warns) on an error.
std::vector<tern::proto::Message> fetchAllAfter(TestClient &client, quint64 conversationId,
                                                quint64 afterSeq, quint32 pageSize = 200,
                                                int *pages = nullptr);

// SyncConversations through every page from `since`; returns the states and sets *nextSince to
// the round's cursor (the smallest next_since of its pages).
std::vector<tern::proto::ConversationState> syncAll(TestClient &client, quint64 since,
                                                    quint64 *nextSince = nullptr);

// Lets everyone add `user` to groups (so groups can be created with members directly).
bool allowGroupAddsFromEveryone(TestUser &user);
// Creates a group owned by `owner` with `members` added directly; the group id, 0 on failure.
quint64 createGroupWith(TestUser &owner, const QList<TestUser *> &members,
                        const QString &name = QStringLiteral("team"));

// Uploads `data` (at most one chunk) as a file of the client's user; its file id, or empty.
// Messages and avatars may only refer to files their sender may read.
std::string uploadTestFile(TestClient &client, const QByteArray &data, const QString &name,
                           const char *mimeType = "application/octet-stream");
