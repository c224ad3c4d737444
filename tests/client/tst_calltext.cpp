// SPDX-License-Identifier: Apache-2.0
// How call records read in the timeline, for the caller and for the callee.
#include "calltext.h"
#include "messagefile.h"

#include <QCoreApplication>
#include <QTest>
#include <QTranslator>

using namespace tern;
using namespace tern::client;

namespace {

proto::CallRecord record(proto::CallRecord::Outcome outcome, proto::CallMedia media,
                         quint32 durationMs = 0)
{
    proto::CallRecord r;
    r.set_outcome(outcome);
    r.set_media(media);
    r.set_duration_ms(durationMs);
    return r;
}

} // namespace

class TestCallText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void completedShowsItsLength()
    {
        QCOMPARE(describeCallRecord(
                     record(proto::CallRecord::OUTCOME_COMPLETED, proto::CALL_MEDIA_VIDEO, 192'400),
                     true),
                 QStringLiteral("Video call · 3:12"));
        QCOMPARE(describeCallRecord(record(proto::CallRecord::OUTCOME_COMPLETED,
                                           proto::CALL_MEDIA_AUDIO, 3'725'000),
                                    false),
                 QStringLiteral("Voice call · 1:02:05"));
    }

    void eachSideReadsItsOwnWay()
    {
        const auto missed = record(proto::CallRecord::OUTCOME_MISSED, proto::CALL_MEDIA_AUDIO);
        QCOMPARE(describeCallRecord(missed, false), QStringLiteral("Missed voice call"));
        QCOMPARE(describeCallRecord(missed, true), QStringLiteral("Call not answered"));
        const auto declined = record(proto::CallRecord::OUTCOME_DECLINED, proto::CALL_MEDIA_VIDEO);
        QCOMPARE(describeCallRecord(declined, true), QStringLiteral("Call declined"));
        QCOMPARE(describeCallRecord(declined, false), QStringLiteral("You declined the call"));
        QCOMPARE(describeCallRecord(
                     record(proto::CallRecord::OUTCOME_FAILED, proto::CALL_MEDIA_AUDIO), true),
                 QStringLiteral("Call failed"));
    }

    // With the app's Chinese loaded, these texts (translated outside any QObject) are found
    // in their contexts.
    void readsInChinese()
    {
        QTranslator translator;
        QVERIFY(translator.load(QStringLiteral(":/i18n/tern_zh_CN.qm")));
        QCoreApplication::installTranslator(&translator);
        const QString missed = describeCallRecord(
            record(proto::CallRecord::OUTCOME_MISSED, proto::CALL_MEDIA_AUDIO), false);
        const QString progress = transferProgressText(512, 2048, 0);
        const QString someone = QCoreApplication::translate("GroupEvent", "Someone");
        QCoreApplication::removeTranslator(&translator);
        QCOMPARE(missed, QStringLiteral("未接语音通话"));
        QVERIFY2(progress.contains(QStringLiteral(" / ")), qPrintable(progress));
        QCOMPARE(someone, QStringLiteral("有人"));
    }
};

QTEST_GUILESS_MAIN(TestCallText)
#include "tst_calltext.moc"
