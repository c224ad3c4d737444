// SPDX-License-Identifier: Apache-2.0
// Going to one message of a timeline (a quote's original, a search hit) against a real ternd:
// MessageModel::ensureLoaded pages back through the cache and the server, in pages as large as
// the gap, until the entry is loaded and names its row (rowOfSeq agrees); a recalled,
// deleted-for-me or unknown entry is answered with -1; setting the chat drops a request still under
// way.
#include "account.h"
#include "clientfixture.h"
#include "messagemodel.h"

#include "support/messagingtest.h"
#include "support/testusers.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <vector>

using namespace tern;
using namespace tern::client;

class tst_TimelineJump : public QObject
{
    Q_OBJECT

    ClientFixture m_fx;

    // The row seqLoaded named for `seq`; -2 when it did not come (or came for another seq).
    static int answeredRow(QSignalSpy &spy, quint64 seq)
    {
        if (spy.isEmpty() && !spy.wait(15000))
            return -2;
        const QVariantList answer = spy.takeFirst();
        return answer.at(0).toDouble() == double(seq) ? answer.at(1).toInt() : -2;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString error = m_fx.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void loadsOlderPagesUntilTheMessageIsThere()
    {
        TestUser ann = registerTestUser(m_fx.url, m_fx.nextName("ann"), ClientFixture::kPassword);
        TestUser ben = registerTestUser(m_fx.url, m_fx.nextName("ben"), ClientFixture::kPassword);
        QVERIFY(ann.id && ben.id);
        QVERIFY(befriend(ann, ben));
        const quint64 conversation = openDirect(*ann.client, ben.id);
        QVERIFY(conversation);
        // More than the pages a new device syncs: the oldest stay on the server.
        std::vector<quint64> seqs;
        for (int i = 0; i < 130; ++i) {
            const proto::Frame ack =
                sendText(*ann.client, conversation, QStringLiteral("j%1").arg(i));
            QVERIFY(ack.has_message_ack());
            seqs.push_back(ack.message_ack().seq());
        }
        // j1 recalled by its sender, j2 deleted by ben for himself.
        proto::Frame recall;
        recall.mutable_recall_message()->set_conversation_id(conversation);
        recall.mutable_recall_message()->set_target_seq(seqs[1]);
        recall.mutable_recall_message()->set_client_msg_id(newClientMsgId().toStdString());
        QVERIFY(ann.client->request(recall).has_message_ack());
        proto::Frame hide;
        hide.mutable_hide_messages()->set_conversation_id(conversation);
        hide.mutable_hide_messages()->add_seqs(seqs[2]);
        QVERIFY(ben.client->request(hide).has_conversation_state());

        auto account = m_fx.makeAccount(ben.name, QStringLiteral("jump-device"));
        QVERIFY(account->open());
        QSignalSpy caughtUp(account.get(), &Account::caughtUp);
        account->login(ClientFixture::kPassword);
        QVERIFY(caughtUp.wait(15000));
        QVERIFY(!account->messages().get(conversation, seqs[3]));

        // No QAbstractItemModelTester here: it calls fetchMore on every change, and the paging
        // is what this test watches (tst_clientsync runs the tester over the model).
        MessageModel timeline;
        timeline.setAccount(account.get());
        timeline.setConversationId(conversation);
        QVERIFY(timeline.rowCount() > 0);
        QCOMPARE(timeline.rowOfSeq(double(seqs.back())), timeline.rowCount() - 1);
        QCOMPARE(timeline.rowOfSeq(double(seqs[3])), -1);
        QCOMPARE(timeline.rowOfSeq(0), -1);
        QSignalSpy loaded(&timeline, &MessageModel::seqLoaded);

        // Loaded already: the answer comes all the same, from the event loop.
        timeline.ensureLoaded(double(seqs.back()));
        QCOMPARE(loaded.size(), 0);
        QCOMPARE(answeredRow(loaded, seqs.back()), timeline.rowCount() - 1);

        // Far back: pages come from the server until j3 is among the rows; one page, as large
        // as the gap (up to a server page), not 50 entries at a time.
        const int rowsBefore = timeline.rowCount();
        int pages = 0;
        const auto counting = connect(&timeline, &MessageModel::loadingOlderChanged, this,
                                      [&timeline, &pages] { pages += timeline.isLoadingOlder(); });
        timeline.ensureLoaded(double(seqs[3]));
        const int row = answeredRow(loaded, seqs[3]);
        disconnect(counting);
        QVERIFY2(row >= 0, qPrintable(QString::number(row)));
        // More than one 50-entry page back from what the device synced.
        QVERIFY2(int(seqs.size()) - rowsBefore > MessageModel::kPageSize,
                 qPrintable(QStringLiteral("%1 rows synced").arg(rowsBefore)));
        QCOMPARE(pages, 1);
        QVERIFY(timeline.rowCount() > rowsBefore);
        QCOMPARE(timeline.rowOfSeq(double(seqs[3])), row);
        QCOMPARE(timeline.data(timeline.index(row), MessageModel::SeqRole).toULongLong(), seqs[3]);
        QCOMPARE(timeline.data(timeline.index(row), MessageModel::TextRole).toString(),
                 QStringLiteral("j3"));
        QVERIFY(!timeline.isLoadingOlder());

        // Nothing to show: recalled, deleted for me, not in the history.
        timeline.ensureLoaded(double(seqs[1]));
        QCOMPARE(answeredRow(loaded, seqs[1]), -1);
        timeline.ensureLoaded(double(seqs[2]));
        QCOMPARE(answeredRow(loaded, seqs[2]), -1);
        timeline.ensureLoaded(double(seqs.back() + 1000));
        QCOMPARE(answeredRow(loaded, seqs.back() + 1000), -1);
        timeline.ensureLoaded(0);
        QCOMPARE(answeredRow(loaded, 0), -1);

        // A request for the chat shown before the chat was set again is dropped.
        MessageModel other;
        other.setAccount(account.get());
        other.setConversationId(conversation);
        QCOMPARE(other.rowOfSeq(double(seqs[3])), -1);
        QSignalSpy otherLoaded(&other, &MessageModel::seqLoaded);
        other.ensureLoaded(double(seqs[3]));
        other.setConversationId(0);
        QVERIFY(!otherLoaded.wait(1000));
        QCOMPARE(other.rowCount(), 0);
    }

    void cleanupTestCase()
    {
        if (m_fx.ternd)
            QCOMPARE(m_fx.ternd->terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_TimelineJump)
#include "tst_timelinejump.moc"
