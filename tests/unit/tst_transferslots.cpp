// SPDX-License-Identifier: Apache-2.0
#include "service/transferslots.h"

#include <QTest>

using namespace tern::server;

class tst_TransferSlots : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void limitsEachUserSeparately()
    {
        TransferSlots slots(2, 1000);
        QVERIFY(slots.acquire(1, QStringLiteral("u:a"), 0));
        QVERIFY(slots.acquire(1, QStringLiteral("f:b"), 0));
        QVERIFY(!slots.acquire(1, QStringLiteral("u:c"), 10));
        // Another user has their own slots; the same transfer again keeps its slot.
        QVERIFY(slots.acquire(2, QStringLiteral("u:c"), 10));
        QVERIFY(slots.acquire(1, QStringLiteral("u:a"), 20));
    }

    void finishedTransfersFreeTheirSlot()
    {
        TransferSlots slots(1, 1000);
        QVERIFY(slots.acquire(7, QStringLiteral("f:x"), 0));
        QVERIFY(!slots.acquire(7, QStringLiteral("f:y"), 1));
        slots.release(7, QStringLiteral("f:x"));
        QVERIFY(slots.acquire(7, QStringLiteral("f:y"), 2));
        slots.release(7, QStringLiteral("never taken")); // harmless
        QVERIFY(!slots.acquire(7, QStringLiteral("f:z"), 3));
    }

    void idleTransfersExpire()
    {
        TransferSlots slots(1, 1000);
        QVERIFY(slots.acquire(3, QStringLiteral("u:gone"), 0));
        QVERIFY(!slots.acquire(3, QStringLiteral("u:new"), 1000));
        // Refreshed at 1000 by activity, it stays until 2000.
        QVERIFY(slots.acquire(3, QStringLiteral("u:gone"), 1000));
        QVERIFY(!slots.acquire(3, QStringLiteral("u:new"), 2000));
        QVERIFY(slots.acquire(3, QStringLiteral("u:new"), 2001));
    }
};

QTEST_APPLESS_MAIN(tst_TransferSlots)
#include "tst_transferslots.moc"
