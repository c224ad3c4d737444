// SPDX-License-Identifier: Apache-2.0
#include "tern/clientmsgid.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace tern::messages {

std::string newClientMsgId()
{
    QRandomGenerator *random = QRandomGenerator::global();
    const auto ms = quint64(QDateTime::currentMSecsSinceEpoch()) & 0xFFFFFFFFFFFFull;
    const quint64 high = (ms << 16) | 0x7000 | (random->generate() & 0xFFF); // version 7
    const quint64 low = (random->generate64() & ~(quint64(3) << 62)) | (quint64(1) << 63);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id(36, '-');
    size_t at = 0;
    const auto put = [&](quint64 bits, int digits) {
        for (int i = digits - 1; i >= 0; --i)
            id[at++] = kHex[(bits >> (4 * i)) & 0xF];
        ++at; // the dash
    };
    put(high >> 32, 8);
    put((high >> 16) & 0xFFFF, 4);
    put(high & 0xFFFF, 4);
    put(low >> 48, 4);
    put(low & 0xFFFFFFFFFFFFull, 12);
    return id;
}

} // namespace tern::messages
