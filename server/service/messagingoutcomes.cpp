// SPDX-License-Identifier: Apache-2.0
#include "service/messagingoutcomes.h"

#include "core/logging.h"

#include <limits>

namespace tern::server {

ServiceError notFound(const QString &what)
{
    return {proto::ERROR_CODE_NOT_FOUND, what};
}

ServiceError invalidArgument(const QString &message)
{
    return {proto::ERROR_CODE_INVALID_ARGUMENT, message};
}

namespace {

ServiceError describeOutcome(const QString &outcome, const MessagingPolicy &policy)
{
    const auto denied = [](const QString &message) {
        return ServiceError {proto::ERROR_CODE_PERMISSION_DENIED, message};
    };
    if (outcome == QLatin1String("no_conversation"))
        return notFound(QStringLiteral("no such conversation"));
    if (outcome == QLatin1String("no_user"))
        return notFound(QStringLiteral("no such user"));
    if (outcome == QLatin1String("self"))
        return invalidArgument(QStringLiteral("a direct conversation needs another user"));
    if (outcome == QLatin1String("left"))
        return denied(QStringLiteral("you are no longer a member of this group"));
    if (outcome == QLatin1String("blocked"))
        return denied(QStringLiteral("one of you has blocked the other"));
    if (outcome == QLatin1String("not_friends"))
        return denied(QStringLiteral("on this server you can only message your friends"));
    if (outcome == QLatin1String("muted"))
        return denied(QStringLiteral("the group is muted: only admins may post"));
    if (outcome == QLatin1String("mention_all"))
        return denied(QStringLiteral("only group admins may mention @all"));
    if (outcome == QLatin1String("bad_mention"))
        return invalidArgument(QStringLiteral("mentions must name members of the conversation"));
    if (outcome == QLatin1String("no_reply_target"))
        return notFound(QStringLiteral("reply_to_seq names no message you can see"));
    if (outcome == QLatin1String("no_target"))
        return notFound(QStringLiteral("target_seq names no message you can see"));
    if (outcome == QLatin1String("not_sender"))
        return denied(QStringLiteral("you may only edit your own messages"));
    if (outcome == QLatin1String("not_text"))
        return invalidArgument(QStringLiteral("only text messages and captions can be edited"));
    if (outcome == QLatin1String("window"))
        return denied(QStringLiteral("too late: messages may be edited for %1 s and recalled "
                                     "for %2 s after sending")
                          .arg(policy.editWindowSeconds)
                          .arg(policy.recallWindowSeconds));
    if (outcome == QLatin1String("recalled"))
        return {proto::ERROR_CODE_CONFLICT, QStringLiteral("the message was recalled")};
    if (outcome == QLatin1String("not_admin"))
        return denied(QStringLiteral("only its sender or a group admin may recall a message"));
    if (outcome == QLatin1String("changed"))
        return {proto::ERROR_CODE_CONFLICT, QStringLiteral("the message changed meanwhile")};
    qCWarning(lcMessaging) << "unexpected outcome" << outcome;
    return {proto::ERROR_CODE_INTERNAL, QStringLiteral("internal error")};
}

} // namespace

ServiceError messagingError(const QString &outcome, const MessagingPolicy &policy)
{
    ServiceError error = describeOutcome(outcome, policy);
    if (error.code != proto::ERROR_CODE_INTERNAL)
        error.reason = QStringLiteral("messaging/") + outcome;
    return error;
}

ServiceError messagingStoreError(const PgError &error)
{
    if (error.kind == PgError::Kind::Unavailable)
        return unavailableError();
    qCWarning(lcMessaging).noquote() << "database error" << error.sqlState << error.message;
    return {proto::ERROR_CODE_INTERNAL, QStringLiteral("internal error")};
}

qint64 toDatabaseId(quint64 id)
{
    return id > quint64(std::numeric_limits<qint64>::max()) ? 0 : qint64(id);
}

} // namespace tern::server
