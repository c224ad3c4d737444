// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QtGlobal>

// Defaults both sides agree on. The server may be configured differently and advertises what it
// enforces in Welcome.limits; clients read that rather than these constants.

namespace tern::limits {

inline constexpr quint32 kMaxFrameBytes = 256 * 1024;
inline constexpr int kMinUsernameLength = 3;
inline constexpr int kMaxUsernameLength = 32;
inline constexpr int kMaxDisplayNameLength = 64;
inline constexpr int kMinPasswordLength = 8;
inline constexpr int kMaxPasswordLength = 256;
inline constexpr int kMaxClientNameLength = 64;
inline constexpr int kMaxClientVersionLength = 32;
inline constexpr int kMaxDeviceIdLength = 64;
inline constexpr int kMaxDeviceNameLength = 64;
inline constexpr int kSessionTokenBytes = 32;
inline constexpr int kMaxStatusLineLength = 140;
inline constexpr int kMaxAvatarFileIdLength = 64;
inline constexpr int kMaxSearchQueryLength = 64;
inline constexpr int kMaxGreetingLength = 200;
inline constexpr int kMaxRemarkLength = 64;
inline constexpr int kMaxTagLength = 32;
inline constexpr int kMaxTagsPerContact = 20;
inline constexpr int kMaxProfilesPerRequest = 100;
inline constexpr int kMaxGroupNameLength = 64;
inline constexpr int kMaxGroupAnnouncementLength = 2000;
inline constexpr int kMaxGroupNicknameLength = 32;
inline constexpr int kMaxJoinApplicationMessageLength = 200;
inline constexpr int kMaxUsersPerGroupRequest = 100;
inline constexpr int kDefaultGroupMemberLimit = 500;
inline constexpr int kDefaultMaxMessageTextLength = 5000;
inline constexpr int kDefaultEditWindowSeconds = 15 * 60;
inline constexpr int kDefaultRecallWindowSeconds = 2 * 60;
inline constexpr int kMaxThumbnailBytes = 16 * 1024;
inline constexpr int kMaxFileIdLength = 64;
inline constexpr int kMaxFileNameLength = 255;
inline constexpr int kMaxMimeTypeLength = 127;
inline constexpr int kMaxMentions = 50;
inline constexpr int kMaxBundleItems = 100;
inline constexpr int kMaxBundleTitleLength = 64;
inline constexpr int kMaxEmojiBytes = 16;
inline constexpr int kMaxForwardTargets = 20;
inline constexpr int kMaxSeqsPerRequest = 100;
inline constexpr int kMaxMessagePage = 200;
inline constexpr int kDefaultMessagePage = 50;
inline constexpr int kMaxSearchHits = 100;
inline constexpr int kDefaultSearchHits = 20;
inline constexpr int kMaxConversationPage = 500;
inline constexpr int kDefaultConversationPage = 100;
inline constexpr int kTypingExpiryMs = 6000;
inline constexpr int kTypingIntervalMs = 2000;

} // namespace tern::limits
