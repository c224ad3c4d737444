// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/embeddedcluster.h"

#include <QTemporaryDir>

#include <memory>

// A throwaway PostgreSQL cluster for one test: initdb into a temporary directory, started on a
// Unix socket only, so that tests can run in parallel without port clashes. As root it runs
// as the 'postgres' user (PostgreSQL refuses root).
class PgFixture
{
public:
    PgFixture();
    ~PgFixture();

    // Returns an empty string on success.
    QString start();
    QString stop();
    QByteArray dsn() const;
    QString dir() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<tern::server::EmbeddedCluster> m_cluster;
};
