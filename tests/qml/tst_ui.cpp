// SPDX-License-Identifier: Apache-2.0
// The UI tests' setup: a real PostgreSQL and ternd, the app's AccountManager (tokens in files:
// no keychain offscreen) and a TestPeer, handed to the QML test cases in this folder.
#include "accountmanager.h"
#include "preferences.h"
#include "testpeer.h"

#include "support/pgfixture.h"
#include "support/terndprocess.h"

#include <QQmlContext>
#include <QQmlEngine>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(Tern_ClientPlugin)
Q_IMPORT_QML_PLUGIN(Tern_AppPlugin)

class UiTestSetup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        if (!m_ternd) {
            if (const QString e = m_pg.start(); !e.isEmpty())
                qFatal("PostgreSQL did not start: %s", qPrintable(e));
            m_ternd = std::make_unique<TerndProcess>();
            if (const QString e = m_ternd->startOn(m_pg); !e.isEmpty())
                qFatal("ternd did not start: %s", qPrintable(e));
            tern::client::AccountManager::Options o;
            o.dataDir = m_data.filePath(QStringLiteral("app"));
            o.settingsFile = m_data.filePath(QStringLiteral("app/tern.ini"));
            o.fileTokensOnly = true;
            o.initialBackoffMs = 200;
            m_accounts = std::make_unique<tern::client::AccountManager>(o);
            tern::client::AccountManager::setInstance(m_accounts.get());
            m_preferences = std::make_unique<tern::client::Preferences>(o.settingsFile);
            tern::client::Preferences::setInstance(m_preferences.get());
            TestPeer::setDefaultUrl(m_ternd->url());
            m_peer = std::make_unique<TestPeer>();
            qmlRegisterType<TestPeer>("Tern.Test", 1, 0, "TestPeer");
        }
        engine->addImportPath(QStringLiteral("qrc:/"));
        engine->rootContext()->setContextProperty(QStringLiteral("peer"), m_peer.get());
        engine->rootContext()->setContextProperty(QStringLiteral("testServer"),
                                                  m_ternd->url().authority());
    }

    void cleanupTestCase()
    {
        m_peer.reset();
        m_accounts.reset();
        m_preferences.reset();
        if (m_ternd && m_ternd->terminate() != 0)
            qWarning("ternd did not exit cleanly");
        m_ternd.reset();
    }

private:
    PgFixture m_pg;
    QTemporaryDir m_data;
    std::unique_ptr<TerndProcess> m_ternd;
    std::unique_ptr<tern::client::AccountManager> m_accounts;
    std::unique_ptr<tern::client::Preferences> m_preferences;
    std::unique_ptr<TestPeer> m_peer;
};

QUICK_TEST_MAIN_WITH_SETUP(tst_ui, UiTestSetup)
#include "tst_ui.moc"
