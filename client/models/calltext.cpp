// SPDX-License-Identifier: Apache-2.0
#include "calltext.h"

#include <QCoreApplication>

namespace tern::client {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CallText", text);
}

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
        return (video ? tr("Video call") : tr("Voice call")) + QStringLiteral(" · ")
            + clock(record.duration_ms());
    case proto::CallRecord::OUTCOME_MISSED:
        if (mine)
            return tr("Call not answered");
        return video ? tr("Missed video call") : tr("Missed voice call");
    case proto::CallRecord::OUTCOME_DECLINED:
        return mine ? tr("Call declined") : tr("You declined the call");
    case proto::CallRecord::OUTCOME_BUSY:
        return mine ? tr("Busy: they were in another call") : tr("Missed call while in a call");
    default:
        return tr("Call failed");
    }
}

} // namespace tern::client
