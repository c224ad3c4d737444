// SPDX-License-Identifier: Apache-2.0
// PeopleService: rules for profiles and search (input limits, audiences); runs on its I/O
// worker. Who may see what is evaluated in SQL (store/profilesql.h), per viewer.
#include "service/peopleservice.h"

#include "cluster/connectionregistry.h"
#include "core/logging.h"
#include "service/filereferences.h"
#include "service/presencetracker.h"
#include "tern/limits.h"
#include "tern/validation.h"

namespace tern::server {

namespace {
ServiceError invalid(const QString &message)
{
    return {proto::ERROR_CODE_INVALID_ARGUMENT, message};
}

bool validAudience(proto::Audience audience, bool allowUnspecified)
{
    return (allowUnspecified && audience == proto::AUDIENCE_UNSPECIFIED)
        || audience == proto::AUDIENCE_EVERYONE || audience == proto::AUDIENCE_FRIENDS
        || audience == proto::AUDIENCE_NOBODY;
}
} // namespace

ServiceError storeFailure(const PgError &error)
{
    if (error.kind == PgError::Kind::Unavailable)
        return unavailableError();
    qCWarning(lcServer).noquote() << "database error" << error.sqlState << error.message;
    return {proto::ERROR_CODE_INTERNAL, QStringLiteral("internal error")};
}

PeopleService::PeopleService(PeopleStore &store, FileStore &files, ConnectionRegistry &registry,
                             PresenceTracker *presence)
    : m_store(store)
    , m_files(files)
    , m_registry(registry)
    , m_presence(presence)
{ }

void PeopleService::myProfile(const Caller &caller, ResultCallback<proto::MyProfile> done)
{
    m_store.myProfile(caller.userId, [done](const Stored<proto::MyProfile> &stored) {
        if (!stored.value)
            return done(storeFailure(stored.error));
        done(*stored.value);
    });
}

void PeopleService::updateProfile(const Caller &caller, quint64 connectionId,
                                  const proto::UpdateProfileRequest &request,
                                  ResultCallback<proto::MyProfile> done)
{
    ProfileUpdate update;
    if (request.has_display_name()) {
        const std::string &name = request.display_name();
        if (auto problem = validation::checkDisplayName(name, limits::kMaxDisplayNameLength))
            return done(invalid(*problem));
        if (QString::fromStdString(name).trimmed().isEmpty())
            return done(invalid(QStringLiteral("display name may not be empty")));
        update.displayName = QString::fromStdString(name).trimmed();
    }
    if (request.has_status_line()) {
        if (auto problem = validation::checkLabel(request.status_line(), "status line",
                                                  limits::kMaxStatusLineLength))
            return done(invalid(*problem));
        update.statusLine = QString::fromStdString(request.status_line());
    }
    if (request.has_avatar_file_id()) {
        if (auto problem = validation::checkLabel(request.avatar_file_id(), "avatar file id",
                                                  limits::kMaxAvatarFileIdLength))
            return done(invalid(*problem));
        update.avatarFileId = QString::fromStdString(request.avatar_file_id());
    }
    const proto::PrivacySettings &privacy = request.privacy();
    if (!validAudience(privacy.searchable_by(), true)
        || !validAudience(privacy.presence_visible_to(), true)
        || !validAudience(privacy.group_adders(), true)) {
        return done(invalid(QStringLiteral("unknown privacy audience")));
    }
    update.searchableBy = privacy.searchable_by();
    update.presenceVisibleTo = privacy.presence_visible_to();
    update.groupAdders = privacy.group_adders();

    const qint64 userId = caller.userId;
    const bool audienceChanged = update.presenceVisibleTo != 0;
    const auto write = [this, userId, connectionId, audienceChanged, update, done] {
        m_store.updateProfile(userId, update,
                              [this, userId, connectionId, audienceChanged,
                               done](const Stored<proto::MyProfile> &stored) {
                                  if (!stored.value)
                                      return done(storeFailure(stored.error));
                                  proto::Frame push;
                                  *push.mutable_my_profile() = *stored.value;
                                  m_registry.pushToUsers({userId}, push, connectionId);
                                  if (audienceChanged && m_presence)
                                      m_presence->audienceChanged(userId);
                                  done(*stored.value);
                              });
    };
    if (!update.avatarFileId)
        return write();
    checkAvatarFile(m_files, userId, *update.avatarFileId,
                    [write, done](const std::optional<ServiceError> &problem) {
                        if (problem)
                            return done(*problem);
                        write();
                    });
}

void PeopleService::profiles(const Caller &caller, const proto::GetProfilesRequest &request,
                             ResultCallback<proto::ProfileList> done)
{
    if (request.user_ids_size() > limits::kMaxProfilesPerRequest) {
        return done(ServiceError {
            proto::ERROR_CODE_LIMIT_EXCEEDED,
            QStringLiteral("at most %1 user ids per request").arg(limits::kMaxProfilesPerRequest)});
    }
    QList<qint64> ids;
    for (quint64 id : request.user_ids()) {
        if (id > quint64(std::numeric_limits<qint64>::max()))
            continue; // cannot exist
        ids.append(qint64(id));
    }
    m_store.profiles(caller.userId, ids, [done](const Stored<proto::ProfileList> &stored) {
        if (!stored.value)
            return done(storeFailure(stored.error));
        done(*stored.value);
    });
}

void PeopleService::search(const Caller &caller, const proto::SearchUsersRequest &request,
                           ResultCallback<proto::UserSearchResult> done)
{
    const QString query = QString::fromStdString(request.query()).trimmed();
    if (query.isEmpty())
        return done(invalid(QStringLiteral("search query is empty")));
    if (auto problem =
            validation::checkLabel(request.query(), "search query", limits::kMaxSearchQueryLength))
        return done(invalid(*problem));
    if (request.limit() > 50)
        return done(invalid(QStringLiteral("limit may be at most 50")));
    const int limit = request.limit() == 0 ? 20 : int(request.limit());
    qint64 afterId = 0;
    if (!request.page_token().empty()) {
        bool ok = false;
        afterId = QByteArray::fromStdString(request.page_token()).toLongLong(&ok);
        if (!ok || afterId <= 0)
            return done(invalid(QStringLiteral("page_token is not one this server issued")));
    }
    m_store.search(caller.userId, query, afterId, limit,
                   [done](const Stored<proto::UserSearchResult> &stored) {
                       if (!stored.value)
                           return done(storeFailure(stored.error));
                       done(*stored.value);
                   });
}

} // namespace tern::server
