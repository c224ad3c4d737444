// SPDX-License-Identifier: Apache-2.0
#include "calltext.h"

#include <QCoreApplication>

namespace tern::client {

namespace {

// The context these texts are translated in (lupdate files them under it; a free tr()
// helper would be filed under the namespace, and never found at run time).
struct CallText
{
    Q_DECLARE_TR_FUNCTIONS(CallText)
};

QString clock(quint32 ms)
{
    const quint32 s = (ms + 500) / 1000;
    return s >= 3600 ? QStringLiteral("%1:%2:%3")
                           .arg(s / 3600)
                           .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
                           .arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

QString describeCallRecord(const proto::CallRecord &record, bool mine)
{
    const bool video = record.media() == proto::CALL_MEDIA_VIDEO;
    switch (record.outcome()) {
    case proto::CallRecord::OUTCOME_COMPLETED:
        return (video ? CallText::tr("Video call") : CallText::tr("Voice call"))
            + QStringLiteral(" · ") + clock(record.duration_ms());
    case proto::CallRecord::OUTCOME_MISSED:
        if (mine)
            return CallText::tr("Call not answered");
        return video ? CallText::tr("Missed video call") : CallText::tr("Missed voice call");
    case proto::CallRecord::OUTCOME_DECLINED:
        return mine ? CallText::tr("Call declined") : CallText::tr("You declined the call");
    case proto::CallRecord::OUTCOME_BUSY:
        return mine ? CallText::tr("Busy: they were in another call")
                    : CallText::tr("Missed call while in a call");
    default:
        return CallText::tr("Call failed");
    }
}

} // namespace tern::client
