// SPDX-License-Identifier: Apache-2.0
#include "pgfixture.h"

#include <QDir>
#include <QFile>

#include <unistd.h>

PgFixture::PgFixture()
    : m_dir(QDir::tempPath() + QStringLiteral("/tern-pg-XXXXXX"))
{
    // The unprivileged cluster user must be able to enter the directory.
    QFile::setPermissions(m_dir.path(),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeGroup
                              | QFile::ExeOther);
    tern::server::EmbeddedCluster::Options options;
    options.clusterDir = m_dir.filePath(QStringLiteral("cluster"));
    options.socketDir = m_dir.filePath(QStringLiteral("run"));
    options.runAsUser = ::geteuid() == 0 ? QStringLiteral("postgres") : QString();
    options.fastInit = true;
    m_cluster = std::make_unique<tern::server::EmbeddedCluster>(options);
}

PgFixture::~PgFixture()
{
    m_cluster->stop();
}

QString PgFixture::start()
{
    return m_cluster->start();
}

QString PgFixture::stop()
{
    return m_cluster->stop();
}

QByteArray PgFixture::dsn() const
{
    return m_cluster->dsn();
}
