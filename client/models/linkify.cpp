// SPDX-License-Identifier: Apache-2.0
// Links in message text: found in one pass, without regular expressions (it runs for every
// message a chat shows), then the text escaped into rich text with them as anchors.
#include "linkify.h"

#include "searchterms.h"

#include <QChar>
#include <QLatin1String>

#include <string_view>
#include <utility>

namespace tern::client {

namespace {

bool isAsciiLetter(char32_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

bool isAsciiAlnum(char32_t c)
{
    return isAsciiLetter(c) || (c >= u'0' && c <= u'9');
}

// Full-width forms (，！（ and full-width letters) and the East Asian scripts: text in them
// often follows a link with no space, and is not part of it.
bool endsLink(char32_t c)
{
    return (c >= 0xFF00 && c <= 0xFFEF) || isCjk(c);
}

// In ASCII, what RFC 3986 allows in a URL; beyond it, letters, digits and marks of the other
// scripts (paths such as Wikipedia's /wiki/Москва). No spaces, quotes, < > { } | \ ^ `.
bool isUrlChar(char32_t c)
{
    if (c < 0x80) {
        constexpr std::u16string_view kPunctuation = u"-._~:/?#[]@!$&'()*+,;=%";
        return isAsciiAlnum(c) || kPunctuation.find(char16_t(c)) != std::u16string_view::npos;
    }
    return !endsLink(c) && (QChar::isLetterOrNumber(c) || QChar::isMark(c));
}

// What an e-mail address's part before the @ is made of here (the usual subset of RFC 5322).
bool isMailboxChar(QChar c)
{
    return isAsciiAlnum(c.unicode()) || c == u'.' || c == u'_' || c == u'%' || c == u'+'
        || c == u'-';
}

// The character at `i`, and in `width` how many UTF-16 units it takes.
char32_t codePointAt(QStringView text, qsizetype i, qsizetype &width)
{
    const QChar c = text[i];
    if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
        width = 2;
        return QChar::surrogateToUcs4(c, text[i + 1]);
    }
    width = 1;
    return c.unicode();
}

// Where a URL that starts at `from` ends: after its last URL character, less the punctuation
// that ends the sentence around it, and less a ')' or ']' with no partner in the URL.
qsizetype urlEnd(QStringView text, qsizetype from)
{
    qsizetype end = from;
    qsizetype parentheses = 0; // '(' less ')'
    qsizetype brackets = 0; // '[' less ']'
    while (end < text.size()) {
        qsizetype width = 1;
        const char32_t c = codePointAt(text, end, width);
        if (!isUrlChar(c))
            break;
        parentheses += c == u'(' ? 1 : c == u')' ? -1 : 0;
        brackets += c == u'[' ? 1 : c == u']' ? -1 : 0;
        end += width;
    }
    constexpr std::u16string_view kTrailing = u".,!?;:'";
    while (end > from) {
        const char16_t last = text[end - 1].unicode();
        if (kTrailing.find(last) != std::u16string_view::npos) {
            --end;
        } else if (last == u')' && parentheses < 0) {
            --end;
            ++parentheses;
        } else if (last == u']' && brackets < 0) {
            --end;
            ++brackets;
        } else {
            break;
        }
    }
    return end;
}

// A URL's host (with any user and port) as it starts at `from`: up to the first / ? or #.
QStringView authority(QStringView text, qsizetype from, qsizetype end)
{
    qsizetype stop = from;
    while (stop < end && text[stop] != u'/' && text[stop] != u'?' && text[stop] != u'#')
        ++stop;
    return text.sliced(from, stop - from);
}

bool startsName(QChar c)
{
    return isAsciiAlnum(c.unicode()) || (c.unicode() >= 0x80 && c.isLetterOrNumber());
}

// Before "http" or "www.": only what ends a word, so that "myhttp://" or "awww.x.com" are not
// taken for links (text in Chinese does end a word: "链接www.example.com").
bool continuesWord(QChar c)
{
    return isAsciiAlnum(c.unicode()) || c == u'.' || c == u'-' || c == u'_' || c == u'@'
        || c == u'/';
}

// An e-mail address whose @ is at `at`, starting no earlier than `from`: {start, end}, or
// {-1, -1}. The domain needs two labels or more, the last of letters only.
std::pair<qsizetype, qsizetype> mailAddressAround(QStringView text, qsizetype from, qsizetype at)
{
    constexpr std::pair<qsizetype, qsizetype> none {-1, -1};
    qsizetype start = at;
    while (start > from && isMailboxChar(text[start - 1]))
        --start;
    while (start < at && text[start] == u'.')
        ++start;
    if (start == at || text[at - 1] == u'.')
        return none;
    const qsizetype n = text.size();
    qsizetype label = at + 1;
    qsizetype lastLabel = -1;
    qsizetype end = -1;
    int labels = 0;
    for (;;) {
        qsizetype stop = label;
        while (stop < n && (isAsciiAlnum(text[stop].unicode()) || text[stop] == u'-'))
            ++stop;
        if (stop == label)
            break;
        ++labels;
        lastLabel = label;
        end = stop;
        if (stop + 1 < n && text[stop] == u'.' && isAsciiAlnum(text[stop + 1].unicode())) {
            label = stop + 1;
            continue;
        }
        break;
    }
    if (labels < 2 || end - lastLabel < 2)
        return none;
    for (qsizetype i = lastLabel; i < end; ++i) {
        if (!isAsciiLetter(text[i].unicode()))
            return none;
    }
    return {start, end};
}

void appendEscaped(QString &out, QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        switch (c.unicode()) {
        case u'&':
            out += QLatin1String("&amp;");
            break;
        case u'<':
            out += QLatin1String("&lt;");
            break;
        case u'>':
            out += QLatin1String("&gt;");
            break;
        case u'"':
            out += QLatin1String("&quot;");
            break;
        case u'\'':
            out += QLatin1String("&#39;");
            break;
        case u'\r':
            if (i + 1 < text.size() && text[i + 1] == u'\n')
                ++i;
            Q_FALLTHROUGH();
        case u'\n':
            out += QLatin1String("<br>");
            break;
        default:
            out += c;
        }
    }
}

} // namespace

QList<TextLink> findLinks(QStringView text)
{
    QList<TextLink> links;
    const qsizetype n = text.size();
    qsizetype done = 0; // what comes before is plain text or a link already
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = text[i].unicode();
        const bool wordBefore = i > 0 && continuesWord(text[i - 1]);
        if ((c == u'h' || c == u'H') && !wordBefore) {
            const QStringView rest = text.sliced(i);
            const qsizetype schemeLength =
                rest.startsWith(QLatin1String("https://"), Qt::CaseInsensitive)  ? 8
                : rest.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) ? 7
                                                                                 : 0;
            if (schemeLength == 0)
                continue;
            const qsizetype host = i + schemeLength;
            const qsizetype end = urlEnd(text, i);
            if (end <= host || (!startsName(text[host]) && text[host] != u'['))
                continue;
            QString href = QLatin1String(schemeLength == 8 ? "https://" : "http://");
            href += text.sliced(host, end - host);
            links.append(TextLink {i, end - i, std::move(href)});
            done = end;
            i = end - 1;
        } else if ((c == u'w' || c == u'W') && !wordBefore
                   && text.sliced(i).startsWith(QLatin1String("www."), Qt::CaseInsensitive)) {
            const qsizetype end = urlEnd(text, i);
            const QStringView name = authority(text, i + 4, end);
            // "www.bob@example.com" is an e-mail address (found at its @), not a host.
            if (name.isEmpty() || !startsName(name.front()) || !name.contains(u'.')
                || name.contains(u'@') || name.contains(QLatin1String("..")) || name.endsWith(u'.'))
                continue;
            QString href = QLatin1String("https://");
            href += text.sliced(i, end - i);
            links.append(TextLink {i, end - i, std::move(href)});
            done = end;
            i = end - 1;
        } else if (c == u'@') {
            const auto [start, end] = mailAddressAround(text, done, i);
            if (start < 0)
                continue;
            QString href = QLatin1String("mailto:");
            href += text.sliced(start, end - start);
            qsizetype shown = start;
            if (start - done >= 7
                && text.sliced(start - 7, 7)
                       .startsWith(QLatin1String("mailto:"), Qt::CaseInsensitive))
                shown -= 7; // "mailto:" typed out is part of the link
            links.append(TextLink {shown, end - shown, std::move(href)});
            done = end;
            i = end - 1;
        }
    }
    return links;
}

QString linkify(QStringView text, const QList<TextLink> &links)
{
    QString html;
    html.reserve(text.size() + text.size() / 8 + links.size() * 48 + 48);
    // pre-wrap: runs of spaces and tabs stay as typed, as in the plain text shown otherwise.
    html += QLatin1String("<span style=\"white-space: pre-wrap\">");
    qsizetype at = 0;
    for (const TextLink &link : links) {
        if (link.start < at || link.length <= 0 || link.start + link.length > text.size())
            continue; // not findLinks(text)'s: nothing sensible to make of it
        appendEscaped(html, text.sliced(at, link.start - at));
        html += QLatin1String("<a href=\"");
        appendEscaped(html, link.href);
        html += QLatin1String("\">");
        appendEscaped(html, text.sliced(link.start, link.length));
        html += QLatin1String("</a>");
        at = link.start + link.length;
    }
    appendEscaped(html, text.sliced(at));
    html += QLatin1String("</span>");
    return html;
}

} // namespace tern::client
