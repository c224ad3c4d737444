// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QStringList>

namespace tern::client {

// Local search that works for Chinese (DESIGN.md, "Client shape"): word tokenizers do not split
// Han text, so runs of CJK characters are indexed as their single characters and overlapping
// bigrams; everything else as lower-cased words. The cache stores the terms joined by spaces
// in an FTS5 table; a query is turned into terms the same way and every term must match.

// The indexed terms of a message text.
QStringList searchTerms(const QString &text);

// An FTS5 MATCH expression for what the user typed: CJK runs become their bigrams (or the one
// character), words become prefix matches; empty when nothing searchable was typed.
QString searchQuery(const QString &typed);

// Han, kana, Hangul or Bopomofo: scripts written without spaces between words.
bool isCjk(char32_t c);

} // namespace tern::client
