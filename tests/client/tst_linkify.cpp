// SPDX-License-Identifier: Apache-2.0
// Links in message text (linkify.h): which are found, where they end, what they open, and the
// rich text made of the text: all of it escaped, no link but http(s) and mailto. That rich text
// is also read back by Qt's own HTML importer, as a TextEdit with RichText reads it: the same
// plain text comes out (what is shown and copied), with the same links.
#include "linkify.h"

#include <QRegularExpression>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>

using namespace tern::client;

namespace {

QString wrapped(const QString &inner)
{
    return QStringLiteral("<span style=\"white-space: pre-wrap\">") + inner
        + QStringLiteral("</span>");
}

// The hrefs of a document's links, in order.
QStringList linksIn(const QTextDocument &document)
{
    QStringList hrefs;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        QString previous; // one link can come in several fragments
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat format = it.fragment().charFormat();
            const QString href = format.isAnchor() ? format.anchorHref() : QString();
            if (!href.isEmpty() && href != previous)
                hrefs.append(href);
            previous = href;
        }
    }
    return hrefs;
}

} // namespace

class TestLinkify : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The text, and the rich text expected of it without its <span> (wrapped()).
    void linkify_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("html");

        // No links: the same text, escaped.
        QTest::newRow("plain") << QStringLiteral("no links here")
                               << QStringLiteral("no links here");
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("escaped") << QStringLiteral("a < b && c > \"d\" 'e'")
                                 << QStringLiteral("a &lt; b &amp;&amp; c &gt; &quot;d&quot; "
                                                   "&#39;e&#39;");
        QTest::newRow("script tag") << QStringLiteral("<script>alert(1)</script>")
                                    << QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt;");
        QTest::newRow("spaces kept") << QStringLiteral("a  b\tc") << QStringLiteral("a  b\tc");
        QTest::newRow("indented") << QStringLiteral("  indented ") << QStringLiteral("  indented ");
        QTest::newRow("chinese") << QStringLiteral("你好，世界") << QStringLiteral("你好，世界");

        // Schemes that are not linked, whatever follows.
        QTest::newRow("javascript")
            << QStringLiteral("javascript:alert(1)") << QStringLiteral("javascript:alert(1)");
        QTest::newRow("javascript mixed case")
            << QStringLiteral("JavaScript:alert(document.cookie)")
            << QStringLiteral("JavaScript:alert(document.cookie)");
        QTest::newRow("file") << QStringLiteral("file:///etc/passwd")
                              << QStringLiteral("file:///etc/passwd");
        QTest::newRow("data") << QStringLiteral("data:text/html,<b>hi</b>")
                              << QStringLiteral("data:text/html,&lt;b&gt;hi&lt;/b&gt;");
        QTest::newRow("ftp") << QStringLiteral("ftp://example.com/file")
                             << QStringLiteral("ftp://example.com/file");

        // The kinds of links.
        QTest::newRow("https")
            << QStringLiteral("see https://example.com now")
            << QStringLiteral("see <a href=\"https://example.com\">https://example.com</a> now");
        QTest::newRow("http")
            << QStringLiteral("http://example.com/a/b")
            << QStringLiteral("<a href=\"http://example.com/a/b\">http://example.com/a/b</a>");
        QTest::newRow("scheme in capitals")
            << QStringLiteral("HTTPS://Example.com/Path")
            << QStringLiteral("<a href=\"https://Example.com/Path\">HTTPS://Example.com/Path</a>");
        QTest::newRow("port")
            << QStringLiteral("http://localhost:8080/x")
            << QStringLiteral("<a href=\"http://localhost:8080/x\">http://localhost:8080/x</a>");
        QTest::newRow("www") << QStringLiteral("www.example.com")
                             << QStringLiteral(
                                    "<a href=\"https://www.example.com\">www.example.com</a>");
        QTest::newRow("www in a sentence")
            << QStringLiteral("try WWW.Example.org/page too")
            << QStringLiteral(
                   "try <a href=\"https://WWW.Example.org/page\">WWW.Example.org/page</a> too");
        QTest::newRow("e-mail") << QStringLiteral("mail bob.smith+tern@example.co.uk today")
                                << QStringLiteral(
                                       "mail <a href=\"mailto:bob.smith+tern@example.co.uk\">"
                                       "bob.smith+tern@example.co.uk</a> today");
        QTest::newRow("mailto")
            << QStringLiteral("mailto:anna@example.com")
            << QStringLiteral("<a href=\"mailto:anna@example.com\">mailto:anna@example.com</a>");
        QTest::newRow("query and fragment")
            << QStringLiteral("https://example.com/search?q=a&b=c#top")
            << QStringLiteral("<a href=\"https://example.com/search?q=a&amp;b=c#top\">"
                              "https://example.com/search?q=a&amp;b=c#top</a>");
        QTest::newRow("an entity typed in a link")
            << QStringLiteral("Tom & Jerry: https://example.com/?a=1&amp;b=2")
            << QStringLiteral("Tom &amp; Jerry: <a href=\"https://example.com/?a=1&amp;amp;b=2\">"
                              "https://example.com/?a=1&amp;amp;b=2</a>");
        QTest::newRow("two links")
            << QStringLiteral("https://a.example.com and www.b.example.com")
            << QStringLiteral("<a href=\"https://a.example.com\">https://a.example.com</a> and "
                              "<a href=\"https://www.b.example.com\">www.b.example.com</a>");
        QTest::newRow("a link and an e-mail")
            << QStringLiteral("docs: https://example.com/docs, or ask help@example.com.")
            << QStringLiteral("docs: <a href=\"https://example.com/docs\">"
                              "https://example.com/docs</a>, or ask "
                              "<a href=\"mailto:help@example.com\">help@example.com</a>.");
        QTest::newRow("internationalised path")
            << QStringLiteral("https://ru.wikipedia.org/wiki/Москва")
            << QStringLiteral("<a href=\"https://ru.wikipedia.org/wiki/Москва\">"
                              "https://ru.wikipedia.org/wiki/Москва</a>");

        // Punctuation after a link is the sentence's.
        QTest::newRow("full stop")
            << QStringLiteral("Go to https://example.com.")
            << QStringLiteral("Go to <a href=\"https://example.com\">https://example.com</a>.");
        QTest::newRow("comma")
            << QStringLiteral("https://example.com, then")
            << QStringLiteral("<a href=\"https://example.com\">https://example.com</a>, then");
        QTest::newRow("question and exclamation marks")
            << QStringLiteral("Look: https://example.com/x?!")
            << QStringLiteral(
                   "Look: <a href=\"https://example.com/x\">https://example.com/x</a>?!");
        QTest::newRow("semicolon and colon")
            << QStringLiteral("https://example.com/a; https://example.com/b:")
            << QStringLiteral("<a href=\"https://example.com/a\">https://example.com/a</a>; "
                              "<a href=\"https://example.com/b\">https://example.com/b</a>:");
        QTest::newRow("double quotes")
            << QStringLiteral("\"https://example.com\"")
            << QStringLiteral(
                   "&quot;<a href=\"https://example.com\">https://example.com</a>&quot;");
        QTest::newRow("single quotes")
            << QStringLiteral("'https://example.com'")
            << QStringLiteral("&#39;<a href=\"https://example.com\">https://example.com</a>&#39;");
        QTest::newRow("angle brackets")
            << QStringLiteral("<https://example.com>")
            << QStringLiteral("&lt;<a href=\"https://example.com\">https://example.com</a>&gt;");
        // ... but not inside it.
        QTest::newRow("apostrophe inside")
            << QStringLiteral("https://example.com/it's")
            << QStringLiteral(
                   "<a href=\"https://example.com/it&#39;s\">https://example.com/it&#39;s</a>");
        QTest::newRow("comma inside")
            << QStringLiteral("https://example.com/a,b")
            << QStringLiteral("<a href=\"https://example.com/a,b\">https://example.com/a,b</a>");

        // Brackets: a link keeps the ones it opened.
        QTest::newRow("in parentheses")
            << QStringLiteral("(https://example.com)")
            << QStringLiteral("(<a href=\"https://example.com\">https://example.com</a>)");
        QTest::newRow("balanced parentheses")
            << QStringLiteral("https://en.wikipedia.org/wiki/Pike_(fish)")
            << QStringLiteral("<a href=\"https://en.wikipedia.org/wiki/Pike_(fish)\">"
                              "https://en.wikipedia.org/wiki/Pike_(fish)</a>");
        QTest::newRow("balanced, in parentheses")
            << QStringLiteral("(see https://en.wikipedia.org/wiki/Pike_(fish))")
            << QStringLiteral("(see <a href=\"https://en.wikipedia.org/wiki/Pike_(fish)\">"
                              "https://en.wikipedia.org/wiki/Pike_(fish)</a>)");
        QTest::newRow("square brackets")
            << QStringLiteral("[https://example.com/a[1]]")
            << QStringLiteral(
                   "[<a href=\"https://example.com/a[1]\">https://example.com/a[1]</a>]");

        // East Asian text ends a link, with or without a space.
        QTest::newRow("chinese after a link")
            << QStringLiteral("链接https://example.com/路径很好")
            << QStringLiteral(
                   "链接<a href=\"https://example.com/\">https://example.com/</a>路径很好");
        QTest::newRow("chinese around www")
            << QStringLiteral("看www.example.com。谢谢")
            << QStringLiteral("看<a href=\"https://www.example.com\">www.example.com</a>。谢谢");
        QTest::newRow("full-width comma")
            << QStringLiteral("https://example.com，谢谢")
            << QStringLiteral("<a href=\"https://example.com\">https://example.com</a>，谢谢");
        QTest::newRow("chinese around an e-mail")
            << QStringLiteral("邮箱anna@example.com谢谢")
            << QStringLiteral("邮箱<a href=\"mailto:anna@example.com\">anna@example.com</a>谢谢");
        QTest::newRow("emoji after a link")
            << QStringLiteral("https://example.com👍")
            << QStringLiteral("<a href=\"https://example.com\">https://example.com</a>👍");

        // Line breaks, whichever the sender's system typed.
        QTest::newRow("newlines") << QStringLiteral(
            "line one\nhttps://example.com\r\nline three\rfour")
                                  << QStringLiteral(
                                         "line one<br><a href=\"https://example.com\">"
                                         "https://example.com</a><br>line three<br>four");

        // Not links.
        QTest::newRow("scheme only")
            << QStringLiteral("http:// and https://") << QStringLiteral("http:// and https://");
        QTest::newRow("word before http")
            << QStringLiteral("myhttp://example.com") << QStringLiteral("myhttp://example.com");
        QTest::newRow("word before www")
            << QStringLiteral("awww.example.com") << QStringLiteral("awww.example.com");
        QTest::newRow("www without a domain")
            << QStringLiteral("www.example") << QStringLiteral("www.example");
        QTest::newRow("not e-mails") << QStringLiteral("a@b and @name and x@localhost")
                                     << QStringLiteral("a@b and @name and x@localhost");
        // An address that begins with "www." is an address, not a host with a user.
        QTest::newRow("www mailbox")
            << QStringLiteral("www.bob@example.com")
            << QStringLiteral("<a href=\"mailto:www.bob@example.com\">www.bob@example.com</a>");
    }

    void linkify()
    {
        QFETCH(QString, text);
        QFETCH(QString, html);
        QCOMPARE(tern::client::linkify(text), wrapped(html));
    }

    // Whatever the text, the markup is only ours: the span, <br>, and links to http(s) or
    // mailto; everything else is text, with & only in entities and no quotes.
    void onlyOurMarkup_data() { linkify_data(); }
    void onlyOurMarkup()
    {
        QFETCH(QString, text);
        const QString html = tern::client::linkify(text);
        static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
        static const QRegularExpression allowed(
            QStringLiteral("^<(?:br|/a|/span|span style=\"white-space: pre-wrap\"|"
                           "a href=\"(?:https?://|mailto:)[^\"<>]*\")>$"));
        QString rest = html;
        for (auto it = tag.globalMatch(html); it.hasNext();) {
            const QString found = it.next().captured();
            QVERIFY2(allowed.match(found).hasMatch(), qPrintable(found));
            rest.replace(found, QString());
        }
        QVERIFY2(!rest.contains(u'<') && !rest.contains(u'>') && !rest.contains(u'"')
                     && !rest.contains(u'\''),
                 qPrintable(html));
        static const QRegularExpression bareAmpersand(
            QStringLiteral("&(?!amp;|lt;|gt;|quot;|#39;)"));
        QVERIFY2(!bareAmpersand.match(html).hasMatch(), qPrintable(html));
        for (const TextLink &link : findLinks(text)) {
            QVERIFY2(link.href.startsWith(QLatin1String("https://"))
                         || link.href.startsWith(QLatin1String("http://"))
                         || link.href.startsWith(QLatin1String("mailto:")),
                     qPrintable(link.href));
        }
    }

    // Read as a TextEdit with RichText reads it: the text as it was typed (line breaks as
    // \n), and the links found.
    void readBackByQt_data() { linkify_data(); }
    void readBackByQt()
    {
        QFETCH(QString, text);
        QTextDocument document;
        document.setHtml(tern::client::linkify(text));
        QString plain = text;
        plain.replace(QLatin1String("\r\n"), QLatin1String("\n")).replace(u'\r', u'\n');
        QCOMPARE(document.toPlainText(), plain);
        QStringList hrefs;
        for (const TextLink &link : findLinks(text))
            hrefs.append(link.href);
        QCOMPARE(linksIn(document), hrefs);
    }

    // Where the links are, as the model's callers see them.
    void findsPositions()
    {
        const QString text = QStringLiteral("a https://x.example.com/p. b me@example.org");
        const QList<TextLink> links = findLinks(text);
        QCOMPARE(links.size(), 2);
        QCOMPARE(text.mid(links[0].start, links[0].length),
                 QStringLiteral("https://x.example.com/p"));
        QCOMPARE(links[0].href, QStringLiteral("https://x.example.com/p"));
        QCOMPARE(text.mid(links[1].start, links[1].length), QStringLiteral("me@example.org"));
        QCOMPARE(links[1].href, QStringLiteral("mailto:me@example.org"));
        QVERIFY(findLinks(QStringLiteral("nothing to see")).isEmpty());
    }
};

// A QGuiApplication (offscreen): QTextDocument's HTML import reads the application's palette.
QTEST_MAIN(TestLinkify)
#include "tst_linkify.moc"
