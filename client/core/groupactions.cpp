// SPDX-License-Identifier: Apache-2.0
// GroupActions: group changes the user makes, GUI thread.
#include "groupactions.h"

#include "groupstore.h"
#include "serverconnection.h"
#include "syncengine.h"

namespace tern::client {

GroupActions::GroupActions(ServerConnection &connection, GroupStore &groups, SyncEngine &sync,
                           QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_groups(groups)
    , m_sync(sync)
{ }

void GroupActions::createGroup(const QString &name, const std::vector<quint64> &memberIds,
                               std::function<void(quint64, const QString &)> done)
{
    proto::Frame frame;
    auto *req = frame.mutable_create_group();
    req->set_name(name.trimmed().toStdString());
    for (quint64 id : memberIds)
        req->add_member_ids(id);
    m_connection.send(
        frame,
        [this, done](const proto::Frame &answer) {
            if (!answer.has_group_change_result()) {
                done(0, QString::fromStdString(answer.error().message()));
                return;
            }
            const proto::Group &group = answer.group_change_result().group();
            proto::GroupMembership membership;
            *membership.mutable_group() = group;
            membership.set_role(proto::GROUP_ROLE_OWNER);
            m_groups.store({membership});
            m_sync.openGroup(group.group_id(), done);
        },
        this);
}

} // namespace tern::client
