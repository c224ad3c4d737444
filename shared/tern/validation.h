// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <optional>
#include <string>

// Input rules shared by client (to explain mistakes before sending) and server (to enforce
// them). Each check returns std::nullopt when the value is fine, or a sentence for the user,
// translated where a translator is installed (the client's).

namespace tern::validation {

using Problem = std::optional<QString>;

// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool isValidUtf8(const std::string &bytes);

// Number of Unicode code points in valid UTF-8.
qsizetype codePointCount(const std::string &utf8);

// ASCII letters, digits, '_' and '.', starting with a letter, no "..", not ending with '.'.
Problem checkUsername(const std::string &username, int minLength, int maxLength);

// Any script; no control characters, not only white space.
Problem checkDisplayName(const std::string &displayName, int maxLength);

Problem checkPassword(const std::string &password, int minLength, int maxLength);

// Free text from Hello (client name, device name ...): valid UTF-8, no control characters.
Problem checkLabel(const std::string &value, const char *field, int maxLength);

// The form in which usernames are compared and stored uniquely.
QString usernameKey(const std::string &username);

} // namespace tern::validation
