// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QLatin1String>
#include <QtGlobal>

#include <array>
#include <string>
#include <string_view>

// What pads a benchmark message to its size (ternbench's --text). The server's search index
// takes the distinct character pairs of a text and some of its characters alone
// (messages::searchGrams), so the padding decides most of its cost: 100 bytes of English
// words give about 51 terms, of Chinese about 63, of 'x' about 10 (the tag's among them).
enum class TextPadding : quint8 { X, Words, Hanzi };

inline TextPadding &textPadding()
{
    static TextPadding padding = TextPadding::X;
    return padding;
}

// --text's values, in TextPadding's order.
inline constexpr std::array<const char *, 3> kTextPaddingNames {"x", "words", "hanzi"};

inline QLatin1String textPaddingName()
{
    return QLatin1String(kTextPaddingNames[size_t(textPadding())]);
}

namespace taggedtext_detail {

// Deterministic per message, so that runs compare: a 64-bit LCG step.
inline quint64 nextRandom(quint64 &state)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
}

inline void padWithWords(std::string &text, size_t bytes, quint64 seed)
{
    static constexpr std::array<std::string_view, 48> kWords {
        "the",     "meeting", "moved",  "to",     "thursday", "afternoon", "please", "bring",
        "slides",  "and",     "budget", "notes",  "we",       "can",       "talk",   "about",
        "release", "after",   "lunch",  "i",      "will",     "send",      "draft",  "tonight",
        "see",     "you",     "at",     "office", "train",    "was",       "late",   "again",
        "thanks",  "for",     "help",   "with",   "photos",   "from",      "trip",   "call",
        "me",      "when",    "back",   "home",   "dinner",   "is",        "ready",  "soon"};
    while (text.size() < bytes) {
        const std::string_view word = kWords[nextRandom(seed) % kWords.size()];
        text.append(word.substr(0, bytes - text.size()));
        if (text.size() < bytes)
            text += ' ';
    }
}

inline void padWithHanzi(std::string &text, size_t bytes, quint64 seed)
{
    // Common characters of everyday Chinese, three bytes each in UTF-8.
    static constexpr std::string_view kHanzi =
        "的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之"
        "过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如"
        "前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明";
    static_assert(kHanzi.size() % 3 == 0);
    constexpr size_t kCount = kHanzi.size() / 3;
    while (text.size() + 3 <= bytes)
        text.append(kHanzi.substr(nextRandom(seed) % kCount * 3, 3));
    text.append(bytes - text.size(), ' '); // never half a character
}

} // namespace taggedtext_detail

// The text of a benchmark message: "<tag><source>:<number> " then padding (textPadding()) to
// `bytes`, so that a receiver finds which message it got (source: the sender or the group)
// from the text alone.
inline std::string taggedText(char tag, int source, qint64 number, int bytes)
{
    std::string text = tag + std::to_string(source) + ":" + std::to_string(number) + " ";
    if (int(text.size()) >= bytes)
        return text;
    const quint64 seed = quint64(source) * 1000003ULL ^ quint64(number);
    switch (textPadding()) {
    case TextPadding::X:
        text.append(size_t(bytes) - text.size(), 'x');
        break;
    case TextPadding::Words:
        taggedtext_detail::padWithWords(text, size_t(bytes), seed);
        break;
    case TextPadding::Hanzi:
        taggedtext_detail::padWithHanzi(text, size_t(bytes), seed);
        break;
    }
    return text;
}

// Reads taggedText() back; false when the text is not one with `tag`.
inline bool parseTaggedText(const std::string &text, char tag, int &source, qint64 &number)
{
    if (text.empty() || text[0] != tag)
        return false;
    const size_t colon = text.find(':');
    const size_t space = text.find(' ');
    if (colon == std::string::npos || space == std::string::npos || space < colon)
        return false;
    source = std::stoi(text.substr(1, colon - 1));
    number = std::stoll(text.substr(colon + 1, space - colon - 1));
    return true;
}
