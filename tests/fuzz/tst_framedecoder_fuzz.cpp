// SPDX-License-Identifier: Apache-2.0
// Throws mutated frames at the frame decoder, which is the first thing every byte from the
// network meets. Seeded mutations of valid frames (bit flips, truncation, insertion, deletion,
// splices, random bytes): the decoder must never crash or throw, must refuse anything over the
// limit, and whatever it accepts must survive a re-encode/decode round trip unchanged.
// Not coverage-guided (that needs clang's libFuzzer); run under the asan preset it also catches
// memory errors in the decoding path.
#include "tern/framing.h"

#include <google/protobuf/stubs/logging.h>

#include <QRandomGenerator>
#include <QTest>

using namespace tern;

namespace {
constexpr quint32 kLimit = 4096;

QList<QByteArray> seedCorpus()
{
    QList<QByteArray> corpus;
    proto::Frame f;
    f.set_request_id(1);
    auto *hello = f.mutable_hello();
    hello->set_protocol_version(1);
    hello->set_client_name("tern-desktop");
    hello->set_device_id("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
    corpus << encodeFrame(f);
    f.Clear();
    f.set_request_id(77);
    f.mutable_register_()->set_username("alice");
    f.mutable_register_()->set_password("correct horse");
    f.mutable_register_()->set_display_name("爱丽丝 👩‍💻");
    corpus << encodeFrame(f);
    f.Clear();
    f.set_request_id(9);
    f.mutable_resume()->set_token(std::string(32, '\0') + "tail");
    corpus << encodeFrame(f);
    f.Clear();
    f.set_request_id(12);
    auto *update = f.mutable_update_contact();
    update->set_user_id(42);
    update->set_remark("同事");
    update->set_replace_tags(true);
    update->add_tags("work");
    update->add_tags("friends");
    corpus << encodeFrame(f);
    f.Clear();
    f.set_request_id(3);
    f.mutable_search_users()->set_query("张伟");
    f.mutable_search_users()->set_limit(20);
    corpus << encodeFrame(f);
    corpus << encodeFrame(
        makeErrorFrame(5, proto::ERROR_CODE_RATE_LIMITED, QStringLiteral("slow down"), 1500));
    return corpus;
}

QByteArray mutate(QByteArray bytes, QRandomGenerator &rng, const QList<QByteArray> &corpus)
{
    const int steps = 1 + int(rng.bounded(4));
    for (int step = 0; step < steps; ++step) {
        const qsizetype size = bytes.size();
        switch (rng.bounded(7)) {
        case 0: // flip a bit
            if (size > 0)
                bytes[rng.bounded(int(size))] ^= char(1 << rng.bounded(8));
            break;
        case 1: // truncate
            bytes.truncate(size > 0 ? rng.bounded(int(size)) : 0);
            break;
        case 2: // insert random bytes
            for (int i = 0, n = 1 + int(rng.bounded(8)); i < n; ++i)
                bytes.insert(size > 0 ? rng.bounded(int(size) + 1) : 0, char(rng.bounded(256)));
            break;
        case 3: // delete a range
            if (size > 1) {
                const int at = rng.bounded(int(size));
                bytes.remove(at, 1 + rng.bounded(int(size - at)));
            }
            break;
        case 4: // set a byte to an interesting value (varint edges, wire types)
            if (size > 0) {
                static const char values[] = {'\0', '\x7f', '\x80', '\xff', '\x0a', '\x12', '\x08'};
                bytes[rng.bounded(int(size))] = values[rng.bounded(int(sizeof values))];
            }
            break;
        case 5: { // splice in part of another frame
            const QByteArray &other = corpus.at(rng.bounded(int(corpus.size())));
            const int from = rng.bounded(int(other.size()));
            bytes.insert(size > 0 ? rng.bounded(int(size) + 1) : 0,
                         other.mid(from, 1 + rng.bounded(int(other.size() - from))));
            break;
        }
        default: // fresh random bytes
            bytes.resize(rng.bounded(64));
            for (char &c : bytes)
                c = char(rng.bounded(256));
            break;
        }
    }
    return bytes;
}
} // namespace

class tst_FrameDecoderFuzz : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The decoder's refusals are the point here; keep libprotobuf's own logging quiet.
        google::protobuf::SetLogHandler(nullptr);
    }

    void mutatedFramesNeverCrashAndRoundTrip()
    {
        const QList<QByteArray> corpus = seedCorpus();
        QRandomGenerator rng(20261125); // fixed: a failure reproduces
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 200000; ++i) {
            const QByteArray input = mutate(corpus.at(i % corpus.size()), rng, corpus);
            const DecodeResult result = decodeFrame(input, kLimit);
            if (!result.frame) {
                ++refused;
                QVERIFY(result.error != proto::ERROR_CODE_UNSPECIFIED);
                QVERIFY(!result.reason.isEmpty());
                continue;
            }
            ++accepted;
            QVERIFY(result.frame->payload_case() != proto::Frame::PAYLOAD_NOT_SET);
            const QByteArray again = encodeFrame(*result.frame);
            const DecodeResult second = decodeFrame(again, kLimit * 4);
            QVERIFY2(second.frame, qPrintable(QString::number(i)));
            QCOMPARE(encodeFrame(*second.frame), again);
        }
        // Both paths were exercised in earnest.
        QVERIFY2(accepted > 1000 && refused > 1000,
                 qPrintable(QStringLiteral("accepted %1, refused %2").arg(accepted).arg(refused)));
    }

    void oversizedInputIsRefusedBeforeParsing()
    {
        QRandomGenerator rng(7);
        for (int i = 0; i < 200; ++i) {
            QByteArray input(kLimit + 1 + rng.bounded(4096), '\0');
            for (char &c : input)
                c = char(rng.bounded(256));
            const DecodeResult result = decodeFrame(input, kLimit);
            QVERIFY(!result.frame);
            QCOMPARE(result.error, proto::ERROR_CODE_FRAME_TOO_LARGE);
        }
    }
};

QTEST_APPLESS_MAIN(tst_FrameDecoderFuzz)
#include "tst_framedecoder_fuzz.moc"
