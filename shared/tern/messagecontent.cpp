// SPDX-License-Identifier: Apache-2.0
#include "tern/messagecontent.h"

#include "tern/limits.h"

#include <QStringList>
#include <QVarLengthArray>

#include <algorithm>
#include <array>
#include <bit>
#include <optional>
#include <vector>

namespace tern::messages {

using validation::Problem;

namespace {

// Line breaks and tabs belong in messages; other control characters (NUL above all, which
// PostgreSQL text cannot hold) do not.
bool hasForbiddenControl(const std::string &utf8)
{
    for (const unsigned char c : utf8) {
        if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f)
            return true;
    }
    return false;
}

bool isBlank(const std::string &utf8)
{
    // An ASCII character other than white space decides it without a conversion; only texts
    // of white space and other scripts need QChar::isSpace's view of Unicode.
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x80 && byte != ' ' && (byte < '\t' || byte > '\r'))
            return false;
    }
    return QString::fromStdString(utf8).trimmed().isEmpty();
}

Problem checkFile(const proto::FileRef &file, const ContentLimits &limits)
{
    if (file.file_id().empty() || file.file_id().size() > size_t(limits::kMaxFileIdLength))
        return QStringLiteral("file.file_id must be 1 to %1 characters")
            .arg(limits::kMaxFileIdLength);
    if (Problem p =
            validation::checkLabel(file.file_id(), "file.file_id", limits::kMaxFileIdLength))
        return p;
    if (Problem p = validation::checkLabel(file.name(), "file.name", limits::kMaxFileNameLength))
        return p;
    if (Problem p =
            validation::checkLabel(file.mime_type(), "file.mime_type", limits::kMaxMimeTypeLength))
        return p;
    if (file.thumbnail().size() > size_t(limits.maxThumbnailBytes))
        return QStringLiteral("file.thumbnail may be at most %1 bytes")
            .arg(limits.maxThumbnailBytes);
    return std::nullopt;
}

} // namespace

bool isClientMsgId(std::string_view id)
{
    if (id.size() != 36)
        return false;
    for (size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-'
                 : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

Problem checkText(const std::string &text, int maxTextLength, bool mayBeEmpty)
{
    if (!validation::isValidUtf8(text))
        return QStringLiteral("text is not valid UTF-8");
    if (!mayBeEmpty && isBlank(text))
        return QStringLiteral("text may not be empty");
    if (validation::codePointCount(text) > maxTextLength)
        return QStringLiteral("text may be at most %1 characters long (max_message_text_length)")
            .arg(maxTextLength);
    if (hasForbiddenControl(text))
        return QStringLiteral("text may not contain control characters");
    return std::nullopt;
}

Problem checkContent(const proto::MessageContent &content, const ContentLimits &limits,
                     bool insideBundle)
{
    using Kind = proto::MessageContent;
    const bool hasFile = content.has_file();
    if (content.has_call())
        return QStringLiteral("call records are written by the server, not sent");
    switch (content.kind()) {
    case Kind::KIND_TEXT:
        if (hasFile || content.has_bundle())
            return QStringLiteral("a text message carries no file or bundle");
        if (Problem p = checkText(content.text(), limits.maxTextLength, false))
            return p;
        break;
    case Kind::KIND_IMAGE:
    case Kind::KIND_FILE:
    case Kind::KIND_VOICE:
    case Kind::KIND_VIDEO:
        if (!hasFile)
            return QStringLiteral("this kind of message needs a file reference (file)");
        if (content.has_bundle())
            return QStringLiteral("only a forward bundle carries a bundle");
        if (Problem p = checkFile(content.file(), limits))
            return p;
        if (content.kind() == Kind::KIND_VOICE && content.file().duration_ms() == 0)
            return QStringLiteral("a voice message needs file.duration_ms");
        if (Problem p = checkText(content.text(), limits.maxTextLength, true))
            return p;
        break;
    case Kind::KIND_FORWARD_BUNDLE: {
        if (insideBundle)
            return QStringLiteral("forward bundles do not nest");
        if (hasFile || !content.text().empty())
            return QStringLiteral("a forward bundle carries only its bundle");
        const auto &items = content.bundle().items();
        if (items.empty() || items.size() > limits::kMaxBundleItems)
            return QStringLiteral("a forward bundle holds 1 to %1 messages")
                .arg(limits::kMaxBundleItems);
        if (Problem p = validation::checkLabel(content.bundle().title(), "bundle.title",
                                               limits::kMaxBundleTitleLength))
            return p;
        for (const auto &item : items) {
            if (Problem p = checkContent(item.content(), limits, true))
                return QStringLiteral("bundle item: ") + *p;
        }
        break;
    }
    default:
        return QStringLiteral("content.kind must be text, image, file, voice, video or a "
                              "forward bundle");
    }
    if (content.mentions_size() > limits::kMaxMentions)
        return QStringLiteral("a message may mention at most %1 users").arg(limits::kMaxMentions);
    if (insideBundle && (content.mentions_size() > 0 || content.mention_all()))
        return QStringLiteral("bundle items carry no mentions");
    return std::nullopt;
}

QString searchableText(const proto::MessageContent &content)
{
    // Most messages are text alone: no list to join (one allocation instead of three).
    if ((!content.has_file() || content.file().name().empty()) && content.bundle().items().empty())
        return QString::fromStdString(content.text());
    QStringList parts;
    if (!content.text().empty())
        parts << QString::fromStdString(content.text());
    if (content.has_file() && !content.file().name().empty())
        parts << QString::fromStdString(content.file().name());
    for (const auto &item : content.bundle().items()) {
        const QString inner = searchableText(item.content());
        if (!inner.isEmpty())
            parts << inner;
    }
    return parts.join(QLatin1Char('\n'));
}

namespace {
// Between terms, not in them: whitespace, the separator and U+0000 (which PostgreSQL's text
// cannot hold). A query holding one still finds the text, through its other terms and the
// final substring check.
bool isGap(char32_t c)
{
    return c == 0 || c == char32_t(kGramSeparator) || QChar::isSpace(c);
}

// A character of the text is a term alone when it is not ASCII (one Chinese character is a
// word), or when no ASCII character that is not a gap stands next to it (the word "I"). Any
// other ASCII character is in a pair with a neighbour, which is how a one-letter query finds
// it (see queryGrams()); English texts have about half as many terms that way.
bool isAlone(const uint *points, qsizetype size, qsizetype i)
{
    const auto joins = [](char32_t c) { return c < 0x80 && !isGap(c); };
    return points[i] >= 0x80
        || ((i == 0 || !joins(points[i - 1])) && (i + 1 == size || !joins(points[i + 1])));
}

void appendUtf8(QByteArray &out, char32_t c)
{
    if (c < 0x80) {
        out += char(c);
    } else if (c < 0x800) {
        out += char(0xC0 | (c >> 6));
        out += char(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += char(0xE0 | (c >> 12));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    } else {
        out += char(0xF0 | (c >> 18));
        out += char(0x80 | ((c >> 12) & 0x3F));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    }
}

QString fromPoints(char32_t first, std::optional<char32_t> second = std::nullopt)
{
    const char32_t both[2] = {first, second.value_or(0)};
    return QString::fromUcs4(both, second ? 2 : 1);
}

// joinedSearchGrams() of a text that is all ASCII, as most texts in Latin scripts are: a bit
// per possible term instead of a list of keys to sort (the sort was half of the function's
// time in a profile of ternd). The same terms in the same order; nullopt for any other text.
// The order is bytewise, as the index compares (COLLATE "C"), a character alone before its
// pairs: GIN sorts each new row's terms and returns at once from a sorted list.
std::optional<QByteArray> asciiSearchGrams(const QString &text)
{
    // What isGap() says of each ASCII character, asked once per character, not up to four
    // times (the function ran on every send: 2 % of all CPU in the pairs benchmark).
    static const std::array<bool, 128> kGaps = [] {
        std::array<bool, 128> gaps {};
        for (char32_t c = 0; c < 128; ++c)
            gaps[c] = isGap(c);
        return gaps;
    }();
    // The text lower-cased, each gap as 0 (itself a gap, in no pair).
    const qsizetype size = text.size();
    QVarLengthArray<uchar, 1024> points(size);
    const QChar *units = text.constData();
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t c = units[i].unicode();
        if (c >= 0x80)
            return std::nullopt;
        points[i] = kGaps[c] ? 0 : c >= u'A' && c <= u'Z' ? uchar(c + 32) : uchar(c);
    }
    // Row c: bit d for the pair (c, d), bit 0 for c alone, so that the bits come in the
    // terms' order.
    std::array<std::array<quint64, 2>, 128> rows {};
    std::array<quint64, 2> used {};
    for (qsizetype i = 0; i < size; ++i) {
        const uchar c = points[i];
        if (c == 0)
            continue;
        // The pair (c, next), or c alone (second 0) when no character of a term is next to it.
        const uchar second = i + 1 < size ? points[i + 1] : 0;
        if (second == 0 && i > 0 && points[i - 1] != 0)
            continue; // only the second character of a pair
        rows[c][second / 64] |= quint64(1) << (second % 64);
        used[c / 64] |= quint64(1) << (c % 64);
    }
    // Each character gives at most one term (alone or first of a pair) of at most two bytes
    // and a separator.
    QByteArray joined(size * 3, Qt::Uninitialized);
    char *const begin = joined.data();
    char *out = begin;
    for (unsigned word = 0; word < used.size(); ++word) {
        for (quint64 firsts = used[word]; firsts != 0; firsts &= firsts - 1) {
            const unsigned first = word * 64 + unsigned(std::countr_zero(firsts));
            for (unsigned part = 0; part < rows[first].size(); ++part) {
                for (quint64 bits = rows[first][part]; bits != 0; bits &= bits - 1) {
                    const unsigned second = part * 64 + unsigned(std::countr_zero(bits));
                    if (out != begin)
                        *out++ = kGramSeparator;
                    *out++ = char(first);
                    if (second != 0)
                        *out++ = char(second);
                }
            }
        }
    }
    joined.truncate(out - begin);
    return joined;
}
} // namespace

QByteArray joinedSearchGrams(const QString &text)
{
    if (std::optional<QByteArray> ascii = asciiSearchGrams(text))
        return *std::move(ascii);
    // A term is a 64-bit key: the first code point high, the second (0 for none: U+0000 is in
    // no pair) low, so that distinct terms are found by sorting numbers, not strings, in the
    // order of their UTF-8 bytes.
    const QList<uint> lowered = text.toLower().toUcs4();
    const uint *points = lowered.constData();
    const qsizetype size = lowered.size();
    std::vector<quint64> keys;
    keys.reserve(size_t(size) * 2);
    for (qsizetype i = 0; i < size; ++i) {
        if (isGap(points[i]))
            continue;
        if (isAlone(points, size, i))
            keys.push_back(quint64(points[i]) << 32);
        if (i + 1 < size && !isGap(points[i + 1]))
            keys.push_back(quint64(points[i]) << 32 | points[i + 1]);
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    QByteArray joined;
    joined.reserve(qsizetype(keys.size()) * 5);
    for (const quint64 key : keys) {
        if (!joined.isEmpty())
            joined += kGramSeparator;
        appendUtf8(joined, char32_t(key >> 32));
        if (const auto second = char32_t(key & 0xFFFFFFFFu); second != 0)
            appendUtf8(joined, second);
    }
    return joined;
}

QStringList searchGrams(const QString &text)
{
    const QByteArray joined = joinedSearchGrams(text);
    QStringList grams;
    if (joined.isEmpty())
        return grams;
    for (const QByteArray &gram : joined.split(kGramSeparator))
        grams.append(QString::fromUtf8(gram));
    return grams;
}

QueryGrams queryGrams(const QString &query)
{
    const QList<uint> lowered = query.toLower().toUcs4();
    const uint *points = lowered.constData();
    const qsizetype size = lowered.size();
    QueryGrams out;
    // Every pair of the query is in a text that holds it.
    for (qsizetype i = 0; i + 1 < size; ++i) {
        if (!isGap(points[i]) && !isGap(points[i + 1]))
            out.terms.append(fromPoints(points[i], points[i + 1]));
    }
    // Else its characters outside ASCII, which are terms alone wherever they stand.
    for (qsizetype i = 0; out.terms.isEmpty() && i < size; ++i) {
        if (points[i] >= 0x80 && !isGap(points[i]))
            out.terms.append(fromPoints(points[i]));
    }
    out.terms.removeDuplicates();
    if (!out.terms.isEmpty())
        return out;
    // Else lone ASCII characters: a text holding the first is indexed under it alone or under
    // one of its pairs with an ASCII neighbour (the text's terms are lower-cased, so no
    // capitals). Where it stands next to a character outside ASCII it is a term alone.
    out.anyOf = true;
    for (qsizetype i = 0; i < size; ++i) {
        const char32_t c = points[i];
        if (isGap(c))
            continue;
        out.terms.append(fromPoints(c));
        for (char32_t other = 0; other < 0x80; ++other) {
            if (isGap(other) || (other >= U'A' && other <= U'Z'))
                continue;
            out.terms.append(fromPoints(c, other));
            if (other != c)
                out.terms.append(fromPoints(other, c));
        }
        break;
    }
    return out;
}

Problem checkEmoji(const std::string &emoji)
{
    if (emoji.empty() || emoji.size() > size_t(limits::kMaxEmojiBytes))
        return QStringLiteral("emoji must be 1 to %1 bytes").arg(limits::kMaxEmojiBytes);
    if (!validation::isValidUtf8(emoji))
        return QStringLiteral("emoji is not valid UTF-8");
    for (const unsigned char c : emoji) {
        if (c < 0x80)
            return QStringLiteral("emoji must be an emoji, not ASCII text");
    }
    return std::nullopt;
}

} // namespace tern::messages
