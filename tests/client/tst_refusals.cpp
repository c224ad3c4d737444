// SPDX-License-Identifier: Apache-2.0
// refusalText: the server's refusals said in the user's language by Error.reason, the waits by
// code, anything else as the server said it; in English and, with the app's own translation
// loaded, in Simplified Chinese; the shared input rules too.
#include "preferences.h"
#include "refusals.h"
#include "tern/validation.h"

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace tern;
using namespace tern::client;

namespace {

proto::Error refusal(proto::ErrorCode code, const char *reason, const char *message = "")
{
    proto::Error e;
    e.set_code(code);
    e.set_reason(reason);
    e.set_message(message);
    return e;
}

} // namespace

class tst_Refusals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void knownReasonsHaveTheirOwnWords()
    {
        QCOMPARE(refusalText(refusal(proto::ERROR_CODE_PERMISSION_DENIED, "messaging/blocked",
                                     "one of you has blocked the other")),
                 QStringLiteral("One of you has blocked the other."));
        QCOMPARE(refusalText(refusal(proto::ERROR_CODE_CONFLICT, "contacts/you_block")),
                 QStringLiteral("You block this user: unblock them first."));
    }

    void unknownReasonsShowTheServersMessage()
    {
        QCOMPARE(refusalText(refusal(proto::ERROR_CODE_PERMISSION_DENIED, "messaging/a_new_rule",
                                     "a rule this client does not know")),
                 QStringLiteral("a rule this client does not know"));
        QCOMPARE(refusalText(refusal(proto::ERROR_CODE_LIMIT_EXCEEDED, "", "too many tags")),
                 QStringLiteral("too many tags"));
    }

    void waitsAreSaidByCode()
    {
        proto::Error limited = refusal(proto::ERROR_CODE_RATE_LIMITED, "", "slow down");
        limited.set_retry_after_ms(1500);
        QCOMPARE(refusalText(limited), QStringLiteral("Too many requests: try again in 2 s."));
        QCOMPARE(refusalText(refusal(proto::ERROR_CODE_UNAVAILABLE, "", "database away")),
                 QStringLiteral("The server cannot be reached right now: try again shortly."));
    }

    void inChinese()
    {
        QTranslator translator;
        QVERIFY(translator.load(QStringLiteral(":/i18n/tern_zh_CN.qm")));
        QCoreApplication::installTranslator(&translator);
        const QString blocked =
            refusalText(refusal(proto::ERROR_CODE_PERMISSION_DENIED, "messaging/not_friends"));
        proto::Error limited = refusal(proto::ERROR_CODE_RATE_LIMITED, "");
        limited.set_retry_after_ms(3000);
        const QString wait = refusalText(limited);
        const QString inCall =
            refusalText(refusal(proto::ERROR_CODE_CONFLICT, "calls/in_call", "end it first"));
        QCoreApplication::removeTranslator(&translator);
        QCOMPARE(blocked, QStringLiteral("在此服务器上，你只能给好友发消息。"));
        QCOMPARE(inCall, QStringLiteral("你已在通话中，请先结束它。"));
        QCOMPARE(wait, QStringLiteral("请求太频繁，请 3 秒后再试。"));
    }

    // The shared input rules the client checks before signing up or changing a password.
    void inputRulesInChinese()
    {
        QTranslator translator;
        QVERIFY(translator.load(QStringLiteral(":/i18n/tern_zh_CN.qm")));
        QCoreApplication::installTranslator(&translator);
        const auto password = validation::checkPassword("short", 8, 256);
        const auto username = validation::checkUsername("9lives", 3, 32);
        QCoreApplication::removeTranslator(&translator);
        QCOMPARE(password, QStringLiteral("密码长度须为 8 到 256 个字符。"));
        QCOMPARE(username, QStringLiteral("用户名须以字母开头。"));
        // Without the translator: the English the server sends.
        QCOMPARE(validation::checkPassword("short", 8, 256),
                 QStringLiteral("password must be 8 to 256 characters long"));
    }

    // Switching the language switches Qt's own texts too (the OK and Cancel of dialogs, socket
    // errors in the status line), not only the app's; and back.
    void languageSwitchCoversQtsOwnTexts()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Preferences preferences(dir.filePath(QStringLiteral("tern.ini")));
        preferences.setLanguage(QStringLiteral("zh_CN"));
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("取消"));
        QCOMPARE(refusalText(refusal(proto::ERROR_CODE_CONFLICT, "contacts/you_block")),
                 QStringLiteral("你已将该用户拉黑，请先解除拉黑。"));
        preferences.setLanguage(QStringLiteral("en"));
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("Cancel"));
    }
};

QTEST_GUILESS_MAIN(tst_Refusals)
#include "tst_refusals.moc"
