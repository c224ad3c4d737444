// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QString>
#include <QStringView>

namespace tern::client {

// A link in a message's plain text: the characters [start, start + length) as typed, and the
// address they open. Only http:, https: and mailto: addresses are ever made: "www." links open
// with https://, e-mail addresses with mailto:.
struct TextLink
{
    qsizetype start = 0;
    qsizetype length = 0;
    QString href;
};

// The links in `text`, in order and apart: http(s)://…, www.… and e-mail addresses (with or
// without "mailto:"). A link ends where a URL cannot go on: white space, < > " and the like,
// and East Asian text, which often follows a link with no space. Punctuation at its end
// (. , ! ? ; : and quotes) is the sentence's, and so is a ')' or ']' that closes nothing in
// the link: "(see https://en.wikipedia.org/wiki/Pike_(fish))" keeps the fish's ')'.
QList<TextLink> findLinks(QStringView text);

// `text` as rich text for a Qt Quick TextEdit (textFormat RichText): every character escaped
// (& < > and quotes), `links` (findLinks(text)) as <a href>, line breaks as <br>, white space
// kept as typed; what it shows, and what a copy of it gives as plain text, is `text`.
QString linkify(QStringView text, const QList<TextLink> &links);
inline QString linkify(QStringView text)
{
    return linkify(text, findLinks(text));
}

} // namespace tern::client
