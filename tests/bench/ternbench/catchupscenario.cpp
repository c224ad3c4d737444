// SPDX-License-Identifier: Apache-2.0
#include "catchupscenario.h"

#include "benchusers.h"
#include "tern/clientmsgid.h"

#include <QElapsedTimer>

#include <map>

using namespace tern;

namespace {
constexpr quint32 kPageSize = 200;
}

CatchupResult runCatchup(const CatchupOptions &options)
{
    CatchupResult result;
    const int k = std::max(1, options.conversations);
    const int perConversation = std::max(1, options.messages / k);
    const qint64 total = qint64(perConversation) * k;
    // User 0 is the device that goes away; users 1..k each talk to it.
    std::vector<BenchUser> users = connectUsers(options.url, k + 1, options.tag, result.error);
    if (users.empty())
        return result;
    BenchUser &away = users.front();

    int opened = 0;
    for (int i = 1; i <= k; ++i) {
        proto::Frame open;
        open.mutable_open_conversation()->set_peer_user_id(away.id);
        users[size_t(i)].connection->request(open, [&, i](const proto::Frame &answer) {
            if (!answer.has_conversation_state()) {
                result.error = QString::fromStdString(answer.ShortDebugString());
                return;
            }
            users[size_t(i)].conversationId = answer.conversation_state().conversation_id();
            ++opened;
        });
    }
    // The device's cursor before it goes away.
    quint64 cursor = 0;
    bool synced = false;
    if (!waitUntil([&] { return opened == k || !result.error.isEmpty(); }, 60000)
        || !result.error.isEmpty())
        return result;
    proto::Frame sync;
    sync.mutable_sync_conversations()->set_since(0);
    away.connection->request(sync, [&](const proto::Frame &answer) {
        cursor = answer.conversation_changes().next_since();
        synced = answer.has_conversation_changes();
    });
    if (!waitUntil([&] { return synced; }, 30000)) {
        result.error = QStringLiteral("the first sync failed");
        return result;
    }
    away.connection.reset(); // away

    // Messages arrive while it is away.
    qint64 acked = 0;
    std::function<void(int, int)> send = [&](int sender, int number) {
        proto::Frame frame;
        auto *message = frame.mutable_send_message();
        message->set_conversation_id(users[size_t(sender)].conversationId);
        message->set_client_msg_id(tern::messages::newClientMsgId());
        message->mutable_content()->set_kind(proto::MessageContent::KIND_TEXT);
        message->mutable_content()->set_text("missed " + std::to_string(number));
        users[size_t(sender)].connection->request(
            frame, [&, sender, number](const proto::Frame &answer) {
                if (!answer.has_message_ack()) {
                    result.error = QString::fromStdString(answer.ShortDebugString());
                    return;
                }
                ++acked;
                if (number + options.window < perConversation)
                    send(sender, number + options.window);
            });
    };
    for (int i = 1; i <= k; ++i) {
        for (int w = 0; w < std::min(options.window, perConversation); ++w)
            send(i, w);
    }
    if (!waitUntil([&] { return acked == total || !result.error.isEmpty(); }, 600000)
        || !result.error.isEmpty())
        return result;

    // Back: resume, sync from the cursor, then page every changed conversation forwards.
    QElapsedTimer clock;
    clock.start();
    qint64 received = 0;
    int requests = 0;
    int pending = 0;
    bool failed = false;
    std::function<void(quint64, quint64)> page = [&](quint64 conversation, quint64 after) {
        proto::Frame get;
        get.mutable_get_messages()->set_conversation_id(conversation);
        get.mutable_get_messages()->set_after_seq(after);
        get.mutable_get_messages()->set_limit(kPageSize);
        ++pending;
        ++requests;
        away.connection->request(get, [&, conversation](const proto::Frame &answer) {
            --pending;
            if (!answer.has_message_list()) {
                failed = true;
                result.error = QString::fromStdString(answer.ShortDebugString());
                return;
            }
            const auto &list = answer.message_list();
            received += list.messages_size();
            if (list.has_more() && list.messages_size() > 0)
                page(conversation, list.messages(list.messages_size() - 1).seq());
        });
    };
    std::function<void(quint64)> syncFrom = [&](quint64 afterId) {
        proto::Frame changes;
        changes.mutable_sync_conversations()->set_since(cursor);
        changes.mutable_sync_conversations()->set_after_conversation_id(afterId);
        ++pending;
        ++requests;
        away.connection->request(changes, [&](const proto::Frame &answer) {
            --pending;
            if (!answer.has_conversation_changes()) {
                failed = true;
                result.error = QString::fromStdString(answer.ShortDebugString());
                return;
            }
            quint64 last = 0;
            for (const auto &state : answer.conversation_changes().conversations()) {
                page(state.conversation_id(), 0); // it held nothing of these conversations
                last = state.conversation_id();
            }
            if (answer.conversation_changes().has_more())
                syncFrom(last);
        });
    };
    bool resumed = false;
    resumeUser(options.url, away, QStringLiteral("bench-0"), [&](bool ok) {
        resumed = ok;
        if (!ok) {
            failed = true;
            result.error = QStringLiteral("resume failed");
            return;
        }
        syncFrom(0);
    });
    const bool done =
        waitUntil([&] { return failed || (resumed && pending == 0 && received >= total); }, 120000);
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    result.ok = done && !failed && received == total;
    if (!result.ok && result.error.isEmpty())
        result.error = QStringLiteral("caught up %1 of %2 messages").arg(received).arg(total);
    result.json = {{QStringLiteral("scenario"), QStringLiteral("catchup")},
                   {QStringLiteral("messages"), total},
                   {QStringLiteral("conversations"), k},
                   {QStringLiteral("received"), received},
                   {QStringLiteral("requests"), requests},
                   {QStringLiteral("catchup_ms"), ms}};
    result.table = QStringLiteral("catchup: %1 messages in %2 conversations\n"
                                  "  caught up %3 in %4 ms with %5 requests (resume, sync, pages)")
                       .arg(total)
                       .arg(k)
                       .arg(received)
                       .arg(ms, 0, 'f', 1)
                       .arg(requests);
    return result;
}
