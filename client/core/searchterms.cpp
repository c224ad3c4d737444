// SPDX-License-Identifier: Apache-2.0
#include "searchterms.h"

namespace tern::client {

namespace {

bool isWordChar(char32_t c)
{
    return QChar::isLetterOrNumber(c) || c == U'_';
}

// Splits into runs: CJK runs and word runs; everything else separates.
template<typename OnRun> void forEachRun(const QString &text, OnRun onRun)
{
    const QList<uint> cps = text.toUcs4();
    qsizetype i = 0;
    while (i < cps.size()) {
        const char32_t c = cps[i];
        if (!isWordChar(c)) {
            ++i;
            continue;
        }
        const bool cjk = isCjk(c);
        qsizetype j = i + 1;
        while (j < cps.size() && isWordChar(cps[j]) && isCjk(cps[j]) == cjk)
            ++j;
        onRun(cjk, cps.mid(i, j - i));
        i = j;
    }
}

QString fromUcs4(const QList<uint> &cps, qsizetype from, qsizetype n)
{
    return QString::fromUcs4(reinterpret_cast<const char32_t *>(cps.constData() + from), n);
}

QString quoted(const QString &term)
{
    QString q = term;
    q.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

} // namespace

QStringList searchTerms(const QString &text)
{
    QStringList terms;
    forEachRun(text, [&](bool cjk, const QList<uint> &run) {
        if (!cjk) {
            terms.append(fromUcs4(run, 0, run.size()).toCaseFolded());
            return;
        }
        for (qsizetype k = 0; k < run.size(); ++k) {
            terms.append(fromUcs4(run, k, 1));
            if (k + 1 < run.size())
                terms.append(fromUcs4(run, k, 2));
        }
    });
    return terms;
}

QString searchQuery(const QString &typed)
{
    QStringList parts;
    forEachRun(typed, [&](bool cjk, const QList<uint> &run) {
        if (!cjk) {
            parts.append(quoted(fromUcs4(run, 0, run.size()).toCaseFolded()) + QLatin1Char('*'));
        } else if (run.size() == 1) {
            parts.append(quoted(fromUcs4(run, 0, 1)));
        } else {
            // The run's bigrams close together (single characters sit between them in the
            // index), so "你好世界" does not match "你好 ... 世界" far apart.
            QStringList bigrams;
            for (qsizetype k = 0; k + 1 < run.size(); ++k)
                bigrams.append(quoted(fromUcs4(run, k, 2)));
            if (bigrams.size() == 1)
                parts.append(bigrams.first());
            else
                parts.append(QStringLiteral("NEAR(%1, %2)")
                                 .arg(bigrams.join(QLatin1Char(' ')))
                                 .arg(2 * bigrams.size()));
        }
    });
    return parts.join(QLatin1String(" AND "));
}

bool isCjk(char32_t c)
{
    switch (QChar::script(c)) {
    case QChar::Script_Han:
    case QChar::Script_Hiragana:
    case QChar::Script_Katakana:
    case QChar::Script_Hangul:
    case QChar::Script_Bopomofo:
        return true;
    default:
        return false;
    }
}

} // namespace tern::client
