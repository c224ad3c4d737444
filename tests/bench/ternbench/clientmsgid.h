// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QRandomGenerator>

#include <string>

// A random (version 4) UUID for a message's client id, drawn from QRandomGenerator::global(), a
// seeded pseudo-random generator. QUuid::createUuid() asks the system's generator for every id:
// 2.2 µs each on this VM (0.02 µs here), a few percent of a core at 30,000 msgs/s that the
// generator would take from the server it measures. The ids are as random as a client's, so the
// server's unique index on (sender, client id) sees the keys spread as it would in use.
inline std::string benchClientMsgId()
{
    QRandomGenerator *random = QRandomGenerator::global();
    quint64 high = random->generate64();
    quint64 low = random->generate64();
    high = (high & ~quint64(0xF000)) | quint64(0x4000); // version 4
    low = (low & ~(quint64(3) << 62)) | (quint64(1) << 63); // variant 10
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id(36, '-');
    int at = 0;
    const auto put = [&](quint64 bits, int digits) {
        for (int i = digits - 1; i >= 0; --i)
            id[size_t(at++)] = kHex[(bits >> (4 * i)) & 0xF];
        ++at; // the dash
    };
    put(high >> 32, 8);
    put((high >> 16) & 0xFFFF, 4);
    put(high & 0xFFFF, 4);
    put(low >> 48, 4);
    put(low & 0xFFFFFFFFFFFFull, 12);
    return id;
}
