// SPDX-License-Identifier: Apache-2.0
#include "tern/validation.h"

#include <QCoreApplication>

namespace tern::validation {

namespace {

// The client shows these in the user's language (its translator has a "Validation" context);
// ternd installs no translator, so it answers in English.
QString sentence(const char *source)
{
    return QCoreApplication::translate("Validation", source);
}

} // namespace

bool isValidUtf8(const std::string &bytes)
{
    const auto *s = reinterpret_cast<const unsigned char *>(bytes.data());
    const size_t n = bytes.size();
    size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int extra = 0;
        char32_t cp = 0;
        char32_t minimum = 0;
        if ((c & 0xE0) == 0xC0) {
            extra = 1, cp = c & 0x1F, minimum = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2, cp = c & 0x0F, minimum = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3, cp = c & 0x07, minimum = 0x10000;
        } else {
            return false;
        }
        if (i + size_t(extra) >= n)
            return false;
        for (int k = 1; k <= extra; ++k) {
            const unsigned char cc = s[i + size_t(k)];
            if ((cc & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += size_t(extra) + 1;
    }
    return true;
}

qsizetype codePointCount(const std::string &utf8)
{
    qsizetype count = 0;
    for (const char ch : utf8) {
        if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80)
            ++count;
    }
    return count;
}

static bool hasControlCharacter(const QString &text)
{
    for (const QChar ch : text) {
        const auto category = ch.category();
        if (category == QChar::Other_Control || category == QChar::Other_Format
            || ch == QChar::LineSeparator || ch == QChar::ParagraphSeparator) {
            // Allow the zero-width joiner: emoji sequences need it.
            if (ch.unicode() == 0x200D)
                continue;
            return true;
        }
    }
    return false;
}

Problem checkUsername(const std::string &username, int minLength, int maxLength)
{
    const auto length = qsizetype(username.size());
    if (length < minLength || length > maxLength) {
        return sentence(
                   QT_TRANSLATE_NOOP("Validation", "username must be %1 to %2 characters long"))
            .arg(minLength)
            .arg(maxLength);
    }
    const auto isLetter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    const auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    if (username.empty() || !isLetter(username.front()))
        return sentence(QT_TRANSLATE_NOOP("Validation", "username must start with a letter"));
    for (size_t i = 0; i < username.size(); ++i) {
        const char c = username[i];
        if (!isLetter(c) && !isDigit(c) && c != '_' && c != '.')
            return sentence(QT_TRANSLATE_NOOP(
                "Validation", "username may contain only letters a-z, digits, '_' and '.'"));
        if (c == '.' && i + 1 < username.size() && username[i + 1] == '.')
            return sentence(QT_TRANSLATE_NOOP("Validation", "username may not contain \"..\""));
    }
    if (username.back() == '.')
        return sentence(QT_TRANSLATE_NOOP("Validation", "username may not end with '.'"));
    return std::nullopt;
}

Problem checkDisplayName(const std::string &displayName, int maxLength)
{
    if (!isValidUtf8(displayName))
        return sentence(QT_TRANSLATE_NOOP("Validation", "display name is not valid UTF-8"));
    if (codePointCount(displayName) > maxLength)
        return sentence(QT_TRANSLATE_NOOP("Validation",
                                          "display name may be at most %1 characters long"))
            .arg(maxLength);
    const QString text = QString::fromStdString(displayName);
    if (hasControlCharacter(text))
        return sentence(
            QT_TRANSLATE_NOOP("Validation", "display name may not contain control characters"));
    if (!displayName.empty() && text.trimmed().isEmpty())
        return sentence(
            QT_TRANSLATE_NOOP("Validation", "display name may not be only white space"));
    return std::nullopt;
}

Problem checkPassword(const std::string &password, int minLength, int maxLength)
{
    if (!isValidUtf8(password))
        return sentence(QT_TRANSLATE_NOOP("Validation", "password is not valid UTF-8"));
    const auto length = codePointCount(password);
    if (length < minLength || length > maxLength) {
        return sentence(
                   QT_TRANSLATE_NOOP("Validation", "password must be %1 to %2 characters long"))
            .arg(minLength)
            .arg(maxLength);
    }
    return std::nullopt;
}

Problem checkLabel(const std::string &value, const char *field, int maxLength)
{
    if (!isValidUtf8(value))
        return QStringLiteral("%1 is not valid UTF-8").arg(QLatin1String(field));
    if (codePointCount(value) > maxLength)
        return QStringLiteral("%1 may be at most %2 characters long")
            .arg(QLatin1String(field))
            .arg(maxLength);
    if (hasControlCharacter(QString::fromStdString(value)))
        return QStringLiteral("%1 may not contain control characters").arg(QLatin1String(field));
    return std::nullopt;
}

QString usernameKey(const std::string &username)
{
    return QString::fromStdString(username).toLower();
}

} // namespace tern::validation
