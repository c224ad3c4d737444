// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

#include <string>

// The text of a benchmark message: "<tag><source>:<number> " then padding to `bytes`, so that
// a receiver finds which message it got (source: the sender or the group) from the text alone.
inline std::string taggedText(char tag, int source, qint64 number, int bytes)
{
    std::string text = tag + std::to_string(source) + ":" + std::to_string(number) + " ";
    if (int(text.size()) < bytes)
        text.append(size_t(bytes) - text.size(), 'x');
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
