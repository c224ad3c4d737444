// SPDX-License-Identifier: Apache-2.0
// GroupStore on a real SQLite cache: a group read before a change and delivered after it
// (pushes and answers may cross) does not put the old settings back.
#include "freshcache.h"
#include "groupstore.h"
#include "localcache.h"

#include <QTemporaryDir>
#include <QTest>

using namespace tern;
using namespace tern::client;

namespace {

constexpr quint64 kGroup = 5;

proto::Group group(quint64 lastSeq, const char *name)
{
    proto::Group g;
    g.set_group_id(kGroup);
    g.set_last_seq(lastSeq);
    g.set_name(name);
    return g;
}

proto::GroupMembership membership(quint64 lastSeq, const char *name, proto::GroupRole role)
{
    proto::GroupMembership m;
    *m.mutable_group() = group(lastSeq, name);
    m.set_role(role);
    return m;
}

} // namespace

class tst_GroupStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    LocalCache m_cache;
    std::unique_ptr<GroupStore> m_store;

    QString cachedName() const
    {
        const auto m = m_store->get(kGroup);
        return m ? QString::fromStdString(m->group().name()) : QString();
    }

private Q_SLOTS:
    void init()
    {
        const QString error = reopenFresh(m_cache, m_dir);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_store = std::make_unique<GroupStore>(m_cache);
    }

    void olderPushesAndAnswersAreIgnored()
    {
        m_store->store({membership(3, "first", proto::GROUP_ROLE_MEMBER)});
        m_store->storeGroup(group(5, "renamed"));
        QCOMPARE(cachedName(), QStringLiteral("renamed"));
        // A push of seq 4 arrives after the one of seq 5.
        m_store->storeGroup(group(4, "announcement changed"));
        QCOMPARE(cachedName(), QStringLiteral("renamed"));
        // A GetGroup answer read at seq 3 arrives last.
        m_store->store({membership(3, "first", proto::GROUP_ROLE_MEMBER)});
        QCOMPARE(cachedName(), QStringLiteral("renamed"));
        QCOMPARE(m_store->get(kGroup)->group().last_seq(), 5u);
    }

    void theSameOrNewerIsTaken()
    {
        m_store->store({membership(3, "first", proto::GROUP_ROLE_MEMBER)});
        m_store->store({membership(3, "first", proto::GROUP_ROLE_ADMIN)});
        QCOMPARE(m_store->get(kGroup)->role(), proto::GROUP_ROLE_ADMIN);
        m_store->storeGroup(group(6, "later"));
        QCOMPARE(cachedName(), QStringLiteral("later"));
        QCOMPARE(m_store->get(kGroup)->role(), proto::GROUP_ROLE_ADMIN); // kept by storeGroup
    }
};

QTEST_GUILESS_MAIN(tst_GroupStore)
#include "tst_groupstore.moc"
