// SPDX-License-Identifier: Apache-2.0
// LastOpenChat over a real cache and no server: the chat open when the app quit is opened
// again at the next start (the cache closed and opened again), if it is still listed; a chat
// opened before that wins; each account remembers its own.
#include "account.h"
#include "lastopenchat.h"
#include "offlineaccount.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace tern;
using namespace tern::client;

namespace {

constexpr quint64 kFirst = 42;
constexpr quint64 kSecond = 43;
constexpr quint64 kNotListed = 99;

proto::ConversationState directChat(quint64 id)
{
    proto::ConversationState s;
    s.set_conversation_id(id);
    s.set_kind(proto::CONVERSATION_KIND_DIRECT);
    s.set_peer_user_id(1000 + id);
    s.set_active(true);
    return s;
}

// The chats reopen() asked for, in order.
QList<double> asked(const QSignalSpy &spy)
{
    QList<double> ids;
    for (const QList<QVariant> &call : spy)
        ids.append(call.at(0).toDouble());
    return ids;
}

} // namespace

class tst_LastOpenChat : public QObject
{
    Q_OBJECT

    OfflineAccount m_account;

    // Quits and starts again: the account and its cache closed, then opened on the same folder.
    bool restart() { return m_account.reopen(); }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_account.open());
        m_account->conversations().upsert(directChat(kFirst));
        m_account->conversations().upsert(directChat(kSecond));
    }

    void cleanup() { m_account.close(); }

    // Nothing remembered at first; the last chat opened is, also once every chat is closed.
    void theChatOpenAtQuitOpensAgain()
    {
        {
            LastOpenChat last;
            QSignalSpy reopen(&last, &LastOpenChat::reopen);
            last.setAccount(m_account.get());
            QCOMPARE(reopen.size(), 0);
            QCOMPARE(last.remembered(), 0.0);
            last.setCurrent(double(kFirst));
            last.setCurrent(double(kSecond));
            last.setCurrent(0);
            QCOMPARE(last.remembered(), double(kSecond));
        }
        QVERIFY(restart());
        LastOpenChat last;
        QSignalSpy reopen(&last, &LastOpenChat::reopen);
        last.setAccount(m_account.get());
        QCOMPARE(asked(reopen), QList<double> {double(kSecond)});
    }

    // A chat that is not in the list (opened before its row came, or the cache was made anew
    // since) is not opened: nothing is, as on a first start.
    void aChatNotListedIsNotOpened()
    {
        {
            LastOpenChat last;
            last.setAccount(m_account.get());
            last.setCurrent(double(kNotListed));
        }
        QVERIFY(restart());
        LastOpenChat last;
        QSignalSpy reopen(&last, &LastOpenChat::reopen);
        last.setAccount(m_account.get());
        QCOMPARE(reopen.size(), 0);
        QCOMPARE(last.remembered(), 0.0);
    }

    // Made by QML: asked once, when complete, after the bindings; not when something (a
    // notification, another start) opened a chat before.
    void openedOnceWhenComplete()
    {
        {
            LastOpenChat last;
            last.setAccount(m_account.get());
            last.setCurrent(double(kFirst));
        }
        QVERIFY(restart());
        {
            LastOpenChat last;
            QSignalSpy reopen(&last, &LastOpenChat::reopen);
            last.classBegin();
            last.setAccount(m_account.get());
            QCOMPARE(reopen.size(), 0);
            last.componentComplete();
            QCOMPARE(asked(reopen), QList<double> {double(kFirst)});
        }
        LastOpenChat last;
        QSignalSpy reopen(&last, &LastOpenChat::reopen);
        last.classBegin();
        last.setAccount(m_account.get());
        last.setCurrent(double(kSecond));
        last.componentComplete();
        QCOMPARE(reopen.size(), 0);
        QCOMPARE(last.remembered(), double(kSecond)); // and it is what is remembered now
    }

    // Two accounts on this computer, in one window: switching opens the other's own last chat;
    // the chat still open from the account before is not remembered for the new one.
    void eachAccountRemembersItsOwn()
    {
        OfflineAccount other;
        QVERIFY(other.open());
        other->conversations().upsert(directChat(kFirst));
        other->conversations().upsert(directChat(kSecond));

        LastOpenChat last;
        QSignalSpy reopen(&last, &LastOpenChat::reopen);
        last.setAccount(m_account.get());
        last.setCurrent(double(kFirst));
        last.setAccount(other.get());
        QCOMPARE(reopen.size(), 0); // nothing remembered there yet
        QCOMPARE(last.remembered(), 0.0);
        last.setCurrent(double(kSecond));
        last.setAccount(m_account.get());
        QCOMPARE(asked(reopen), QList<double> {double(kFirst)});
        last.setCurrent(double(kFirst)); // as the page does on reopen()
        last.setAccount(other.get());
        QCOMPARE(asked(reopen), (QList<double> {double(kFirst), double(kSecond)}));
        last.setAccount(nullptr);
        QCOMPARE(reopen.size(), 2);
    }
};

QTEST_GUILESS_MAIN(tst_LastOpenChat)
#include "tst_lastopenchat.moc"
