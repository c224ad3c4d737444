// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tern/protocol.h"
#include "tern/validation.h"

#include <QString>
#include <QStringList>

#include <string_view>

// The rules a message's content must meet, shared by the client (to explain a mistake before
// sending) and the server (to enforce it), and what of a message search matches.

namespace tern::messages {

struct ContentLimits
{
    int maxTextLength = 0; // characters (code points)
    int maxThumbnailBytes = 0;
};

// A client_msg_id: a UUID in its 36-character text form.
bool isClientMsgId(std::string_view id);

// std::nullopt when `content` may be sent; otherwise what is wrong, naming the field.
// `insideBundle`: an item of a forward bundle (no nested bundles, no mentions).
validation::Problem checkContent(const proto::MessageContent &content, const ContentLimits &limits,
                                 bool insideBundle = false);

// Text of a caption or message for edits: the same rules as a text message's text.
validation::Problem checkText(const std::string &text, int maxTextLength, bool mayBeEmpty);

// What search matches in a message: its text (or caption), the file name, and the texts of a
// bundle's items, joined by newlines. Empty when there is nothing to search.
QString searchableText(const proto::MessageContent &content);

// The search index terms of a text, lower-cased: its pairs of neighbouring characters
// (pairs find Chinese words, which no word tokenizer splits, of two characters and up), and
// its characters alone where they are not ASCII or stand apart from other ASCII characters.
// Whitespace, kGramSeparator and U+0000 are in no term. A message matches a query when its
// terms hold the query's (QueryGrams) and its text the query.
QStringList searchGrams(const QString &text);
// The terms a query needs: all of `terms` (the query's pairs; for a query without pairs, its
// characters outside ASCII), or, when `anyOf`, at least one of them (a query of lone ASCII
// characters: the first of them alone or in any pair with another ASCII character).
struct QueryGrams
{
    QStringList terms;
    bool anyOf = false;
};
QueryGrams queryGrams(const QString &query);
// searchGrams() as UTF-8, joined by kGramSeparator (a term holding it is left out), in the
// order of their bytes (a character alone before its pairs): what the server stores, made
// without a string per term (it runs per message).
constexpr char kGramSeparator = '\x1f';
QByteArray joinedSearchGrams(const QString &text);

// A one-reaction emoji: 1 to limits::kMaxEmojiBytes bytes of UTF-8, no ASCII, no controls.
validation::Problem checkEmoji(const std::string &emoji);

} // namespace tern::messages
