// SPDX-License-Identifier: Apache-2.0
// How presence reads in the UI ("online", "last seen 5 minutes ago" ...), at fixed times.
#include "presencetracker.h"

#include <QDateTime>
#include <QLocale>
#include <QTest>

using tern::client::PresenceTracker;
namespace proto = tern::proto;

class TestPresenceText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom)); }

    void describe_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<qint64>("agoMs");
        QTest::addColumn<QString>("expected");
        const qint64 minute = 60000;
        QTest::newRow("unknown") << int(proto::PRESENCE_STATE_UNSPECIFIED) << qint64(0) << "";
        QTest::newRow("online") << int(proto::PRESENCE_STATE_ONLINE) << qint64(0) << "online";
        QTest::newRow("away") << int(proto::PRESENCE_STATE_AWAY) << qint64(0) << "away";
        QTest::newRow("hidden") << int(proto::PRESENCE_STATE_OFFLINE) << qint64(-1) << "offline";
        QTest::newRow("just now") << int(proto::PRESENCE_STATE_OFFLINE) << qint64(20000)
                                  << "last seen just now";
        QTest::newRow("minutes") << int(proto::PRESENCE_STATE_OFFLINE) << 5 * minute
                                 << "last seen 5 min ago";
        QTest::newRow("today") << int(proto::PRESENCE_STATE_OFFLINE) << 3 * 60 * minute
                               << "last seen today at 09:00";
        QTest::newRow("yesterday") << int(proto::PRESENCE_STATE_OFFLINE) << 20 * 60 * minute
                                   << "last seen yesterday at 16:00";
    }

    void describe()
    {
        QFETCH(int, state);
        QFETCH(qint64, agoMs);
        QFETCH(QString, expected);
        // Noon, local time, so "today" and "yesterday" do not depend on when the test runs.
        const qint64 now = QDateTime(QDate(2026, 3, 14), QTime(12, 0)).toMSecsSinceEpoch();
        proto::UserPresence p;
        p.set_state(proto::PresenceState(state));
        if (agoMs > 0)
            p.set_last_seen_at_ms(now - agoMs);
        QCOMPARE(PresenceTracker::describe(p, now), expected);
    }
};

QTEST_GUILESS_MAIN(TestPresenceText)
#include "tst_presencetext.moc"
