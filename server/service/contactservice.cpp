// SPDX-License-Identifier: Apache-2.0
// ContactService: rules for friends, requests and blocks; runs on its I/O worker. The
// decisions that must be atomic with the write (blocks, pending requests, friendship) are
// taken inside the SQL functions; this maps their outcomes to protocol errors.
#include "service/contactservice.h"

#include "cluster/connectionregistry.h"
#include "service/peopleservice.h"
#include "service/presencetracker.h"
#include "tern/limits.h"
#include "tern/validation.h"

namespace tern::server {

namespace {
constexpr int kMaxSyncLimit = 500;
constexpr int kDefaultSyncLimit = 200;
// Enough to hold everything between two users.
constexpr int kPairHistoryLimit = 1000;

ServiceError error(ErrorCode code, const QString &message)
{
    return {code, message};
}

// A page's size from a request's limit (0: the default); nullopt when over the maximum.
std::optional<int> pageLimit(quint32 requested)
{
    if (requested > quint32(kMaxSyncLimit))
        return std::nullopt;
    return requested == 0 ? kDefaultSyncLimit : int(requested);
}

ServiceError limitTooLarge()
{
    return error(proto::ERROR_CODE_INVALID_ARGUMENT,
                 QStringLiteral("limit may be at most %1").arg(kMaxSyncLimit));
}

// Ids arrive as uint64; anything beyond bigint cannot exist.
qint64 toId(quint64 id)
{
    return id > quint64(std::numeric_limits<qint64>::max()) ? 0 : qint64(id);
}

std::optional<ServiceError> describeOutcome(const QString &outcome)
{
    if (outcome == QLatin1String("self"))
        return error(proto::ERROR_CODE_INVALID_ARGUMENT, QStringLiteral("that is you"));
    if (outcome == QLatin1String("no_user"))
        return error(proto::ERROR_CODE_NOT_FOUND, QStringLiteral("no such user"));
    if (outcome == QLatin1String("not_found"))
        return error(proto::ERROR_CODE_NOT_FOUND, QStringLiteral("no such friend request"));
    if (outcome == QLatin1String("refused"))
        return error(proto::ERROR_CODE_PERMISSION_DENIED,
                     QStringLiteral("cannot send a friend request to this user"));
    if (outcome == QLatin1String("you_block"))
        return error(proto::ERROR_CODE_CONFLICT,
                     QStringLiteral("you block this user; unblock first"));
    if (outcome == QLatin1String("not_pending"))
        return error(proto::ERROR_CODE_CONFLICT,
                     QStringLiteral("the request is no longer pending (answered, cancelled or "
                                    "expired)"));
    if (outcome == QLatin1String("not_friends"))
        return error(proto::ERROR_CODE_NOT_FOUND, QStringLiteral("you are not friends"));
    if (outcome == QLatin1String("too_many"))
        return error(proto::ERROR_CODE_LIMIT_EXCEEDED,
                     QStringLiteral("at most 200 friend requests may wait at once"));
    return std::nullopt;
}

std::optional<ServiceError> outcomeError(const QString &outcome)
{
    std::optional<ServiceError> refusal = describeOutcome(outcome);
    if (refusal)
        refusal->reason = QStringLiteral("contacts/")
            + (outcome == QLatin1String("not_found") ? QStringLiteral("no_request") : outcome);
    return refusal;
}
} // namespace

ContactService::ContactService(ContactStore &store, ConnectionRegistry &registry,
                               PresenceTracker *presence, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_registry(registry)
    , m_presence(presence)
{ }

void ContactService::pushChanges(const FriendOutcome &outcome, qint64 a, qint64 b, bool both)
{
    for (const auto &[user, peer] : {std::pair {a, b}, std::pair {b, a}}) {
        if (user == b && !both)
            break;
        if (!m_registry.isOnline(user))
            continue; // devices that are away catch up with SyncContacts
        m_store.changes(
            user, outcome.versionsBefore.value(user), kPairHistoryLimit, peer,
            [this, user](const Stored<proto::ContactChanges> &stored) {
                if (!stored.value
                    || (stored.value->contacts_size() == 0 && stored.value->requests_size() == 0))
                    return;
                proto::Frame push;
                auto *changed = push.mutable_contacts_changed();
                *changed->mutable_contacts() = stored.value->contacts();
                *changed->mutable_requests() = stored.value->requests();
                changed->set_version(stored.value->version());
                m_registry.pushToUsers({user}, push);
            });
    }
}

void ContactService::finishRequestOperation(const Caller &caller, const FriendOutcome &outcome,
                                            ResultCallback<proto::FriendRequestResult> done)
{
    if (auto failure = outcomeError(outcome.outcome))
        return done(*failure);
    const qint64 peer = outcome.peerId;
    pushChanges(outcome, caller.userId, peer, true);
    if (m_presence
        && (outcome.outcome == QLatin1String("became_friends")
            || outcome.outcome == QLatin1String("accepted"))) {
        m_presence->audienceChanged(caller.userId, {peer});
        m_presence->audienceChanged(peer, {caller.userId});
    }
    const qint64 requestId = outcome.requestId;
    m_store.changes(caller.userId, 0, kPairHistoryLimit, peer,
                    [done, requestId](const Stored<proto::ContactChanges> &stored) {
                        if (!stored.value)
                            return done(storeFailure(stored.error));
                        proto::FriendRequestResult result;
                        for (const auto &request : stored.value->requests()) {
                            if (qint64(request.request_id()) == requestId)
                                *result.mutable_request() = request;
                        }
                        for (const auto &contact : stored.value->contacts()) {
                            if (contact.is_friend())
                                *result.mutable_contact() = contact;
                        }
                        done(result);
                    });
}

void ContactService::finishContactOperation(const Caller &caller, const FriendOutcome &outcome,
                                            bool peerAffected, ResultCallback<proto::Contact> done)
{
    if (auto failure = outcomeError(outcome.outcome))
        return done(*failure);
    const qint64 peer = outcome.peerId;
    pushChanges(outcome, caller.userId, peer, peerAffected);
    if (m_presence && peerAffected) {
        // Friendship ended or a block changed: the two may see each other differently now.
        m_presence->audienceChanged(caller.userId, {peer});
        m_presence->audienceChanged(peer, {caller.userId});
    }
    m_store.changes(caller.userId, 0, kPairHistoryLimit, peer,
                    [done](const Stored<proto::ContactChanges> &stored) {
                        if (!stored.value)
                            return done(storeFailure(stored.error));
                        if (stored.value->contacts_size() == 0)
                            return done(*outcomeError(QStringLiteral("no_user")));
                        done(stored.value->contacts(0));
                    });
}

void ContactService::sendRequest(const Caller &caller,
                                 const proto::SendFriendRequestRequest &request,
                                 ResultCallback<proto::FriendRequestResult> done)
{
    if (auto problem =
            validation::checkLabel(request.greeting(), "greeting", limits::kMaxGreetingLength))
        return done(error(proto::ERROR_CODE_INVALID_ARGUMENT, *problem));
    const qint64 peer = toId(request.user_id());
    if (peer <= 0)
        return done(*outcomeError(QStringLiteral("no_user")));
    m_store.sendRequest(caller.userId, peer, QString::fromStdString(request.greeting()),
                        [this, caller, done](const Stored<FriendOutcome> &stored) {
                            if (!stored.value)
                                return done(storeFailure(stored.error));
                            finishRequestOperation(caller, *stored.value, done);
                        });
}

void ContactService::answerRequest(const Caller &caller,
                                   const proto::AnswerFriendRequestRequest &request,
                                   ResultCallback<proto::FriendRequestResult> done)
{
    m_store.answerRequest(caller.userId, toId(request.request_id()), request.accept(),
                          [this, caller, done](const Stored<FriendOutcome> &stored) {
                              if (!stored.value)
                                  return done(storeFailure(stored.error));
                              finishRequestOperation(caller, *stored.value, done);
                          });
}

void ContactService::cancelRequest(const Caller &caller,
                                   const proto::CancelFriendRequestRequest &request,
                                   ResultCallback<proto::FriendRequestResult> done)
{
    m_store.cancelRequest(caller.userId, toId(request.request_id()),
                          [this, caller, done](const Stored<FriendOutcome> &stored) {
                              if (!stored.value)
                                  return done(storeFailure(stored.error));
                              finishRequestOperation(caller, *stored.value, done);
                          });
}

void ContactService::listRequests(const Caller &caller,
                                  ResultCallback<proto::FriendRequestList> done)
{
    m_store.pendingRequests(caller.userId, [done](const Stored<proto::FriendRequestList> &stored) {
        if (!stored.value)
            return done(storeFailure(stored.error));
        done(*stored.value);
    });
}

void ContactService::listContacts(const Caller &caller, const proto::ListContactsRequest &request,
                                  ResultCallback<proto::ContactList> done)
{
    const std::optional<int> limit = pageLimit(request.limit());
    if (!limit)
        return done(limitTooLarge());
    m_store.contactPage(caller.userId, toId(request.after_user_id()), *limit,
                        [done](const Stored<proto::ContactList> &stored) {
                            if (!stored.value)
                                return done(storeFailure(stored.error));
                            done(*stored.value);
                        });
}

void ContactService::updateContact(const Caller &caller, const proto::UpdateContactRequest &request,
                                   ResultCallback<proto::Contact> done)
{
    std::optional<QString> remark;
    if (request.has_remark()) {
        if (auto problem =
                validation::checkLabel(request.remark(), "remark", limits::kMaxRemarkLength))
            return done(error(proto::ERROR_CODE_INVALID_ARGUMENT, *problem));
        remark = QString::fromStdString(request.remark()).trimmed();
    }
    std::optional<QStringList> tags;
    if (request.replace_tags()) {
        if (request.tags_size() > limits::kMaxTagsPerContact) {
            return done(error(
                proto::ERROR_CODE_LIMIT_EXCEEDED,
                QStringLiteral("at most %1 tags per contact").arg(limits::kMaxTagsPerContact)));
        }
        QStringList list;
        for (const std::string &tag : request.tags()) {
            if (auto problem = validation::checkLabel(tag, "tag", limits::kMaxTagLength))
                return done(error(proto::ERROR_CODE_INVALID_ARGUMENT, *problem));
            const QString trimmed = QString::fromStdString(tag).trimmed();
            if (trimmed.isEmpty())
                return done(error(proto::ERROR_CODE_INVALID_ARGUMENT,
                                  QStringLiteral("tags may not be empty")));
            if (!list.contains(trimmed))
                list.append(trimmed);
        }
        tags = list;
    }
    const qint64 peer = toId(request.user_id());
    const qint64 userId = caller.userId;
    m_store.updateContact(userId, peer, remark, tags,
                          [this, userId, peer, done](const Stored<bool> &stored) {
                              if (!stored.value)
                                  return done(storeFailure(stored.error));
                              if (!*stored.value)
                                  return done(*outcomeError(QStringLiteral("no_user")));
                              // Only the user's own devices see a remark or tags change.
                              FriendOutcome outcome;
                              outcome.outcome = QStringLiteral("done");
                              outcome.peerId = peer;
                              finishContactOperation(Caller {userId, 0}, outcome, false, done);
                          });
}

void ContactService::removeFriend(const Caller &caller, quint64 userId,
                                  ResultCallback<proto::Contact> done)
{
    m_store.removeFriend(caller.userId, toId(userId),
                         [this, caller, done](const Stored<FriendOutcome> &stored) {
                             if (!stored.value)
                                 return done(storeFailure(stored.error));
                             finishContactOperation(caller, *stored.value, true, done);
                         });
}

void ContactService::setBlocked(const Caller &caller, quint64 userId, bool blocked,
                                ResultCallback<proto::Contact> done)
{
    m_store.setBlocked(caller.userId, toId(userId), blocked,
                       [this, caller, done](const Stored<FriendOutcome> &stored) {
                           if (!stored.value)
                               return done(storeFailure(stored.error));
                           finishContactOperation(caller, *stored.value, true, done);
                       });
}

void ContactService::sync(const Caller &caller, const proto::SyncContactsRequest &request,
                          ResultCallback<proto::ContactChanges> done)
{
    const std::optional<int> limit = pageLimit(request.limit());
    if (!limit)
        return done(limitTooLarge());
    m_store.changes(caller.userId, toId(request.since_version()), *limit, 0,
                    [done](const Stored<proto::ContactChanges> &stored) {
                        if (!stored.value)
                            return done(storeFailure(stored.error));
                        done(*stored.value);
                    });
}

} // namespace tern::server
