// Per-frame cost of the protocol's hot paths, next to a raw AES-128-CBC baseline of the same
// size measured in the same run (docs/performance.md).
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include "protocol/tuya/DpReport.h"
#include "protocol/tuya/DpWrite.h"
#include "protocol/tuya/Packetizer.h"
#include "protocol/tuya/Reassembler.h"
#include "protocol/tuya/SecureLayer.h"

namespace tuya = lockhub::protocol::tuya;

namespace {

class CountingRandom : public tuya::RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        for (std::uint8_t& byte : out) {
            byte = next_++;
        }
    }

private:
    std::uint8_t next_ = 0;
};

constexpr std::size_t kNegotiatedMtu = 64;  // one packet holds the whole 49-byte secure frame

tuya::KeyTable sessionKeys() {
    tuya::KeyTable keys("a3f6b2");
    keys.setSrand(tuya::Srand{0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f});
    return keys;
}

// A v3 0x8001 report of DP 12 = 3 (an unlock record) as the lock sends it.
std::vector<tuya::Bytes> reportPackets(std::size_t mtu) {
    const tuya::KeyTable keys = sessionKeys();
    tuya::DpReport report;
    report.dps = {tuya::Dp::integer(12, 3)};
    const tuya::Frame frame{200, 0, tuya::code(tuya::Command::DpReportV3),
                            *tuya::encodeDpReport(report)};
    const auto key = *keys.keyFor(5);
    const auto sealed =
        *tuya::sealFrameWithIv(frame, tuya::SecurityFlag::SessionKey, &*key, tuya::Iv{0xd0});
    return tuya::splitIntoPackets(sealed, 3, mtu);
}

void decodeReport(benchmark::State& state, std::size_t mtu) {
    const tuya::KeyTable keys = sessionKeys();
    const auto packets = reportPackets(mtu);
    for (auto _ : state) {
        tuya::Reassembler reassembler;
        std::optional<tuya::Bytes> secure;
        for (const tuya::Bytes& packet : packets) {
            secure = *reassembler.push(packet);
        }
        const auto opened = tuya::openFrame(*secure, keys);
        auto report = tuya::decodeDpReport(opened->frame.cmd, opened->frame.data);
        benchmark::DoNotOptimize(report);
    }
}

void BM_DecryptDecodeReport_OnePacket(benchmark::State& state) {
    decodeReport(state, kNegotiatedMtu);
}
BENCHMARK(BM_DecryptDecodeReport_OnePacket);

void BM_DecryptDecodeReport_Mtu20(benchmark::State& state) {
    decodeReport(state, tuya::kDefaultMtu);
}
BENCHMARK(BM_DecryptDecodeReport_Mtu20);

void encodeWrite(benchmark::State& state, std::size_t mtu) {
    const tuya::KeyTable keys = sessionKeys();
    const auto key = *keys.keyFor(5);
    CountingRandom random;
    const std::vector<tuya::Dp> dps{tuya::Dp::boolean(47, true), tuya::Dp::integer(8, 87)};
    std::uint32_t seq = 1;
    for (auto _ : state) {
        const auto data = tuya::encodeDpWrite(tuya::DpWrite{dps, 0}, tuya::ProtocolVersion::V3);
        const auto sealed =
            tuya::sealFrame(tuya::Frame{seq++, 0, tuya::code(tuya::Command::DpWriteV3), *data},
                            tuya::SecurityFlag::SessionKey, &*key, random);
        auto packets = tuya::splitIntoPackets(*sealed, 3, mtu);
        benchmark::DoNotOptimize(packets);
    }
}

void BM_EncodeEncryptDpWrite_OnePacket(benchmark::State& state) {
    encodeWrite(state, kNegotiatedMtu);
}
BENCHMARK(BM_EncodeEncryptDpWrite_OnePacket);

void BM_EncodeEncryptDpWrite_Mtu20(benchmark::State& state) {
    encodeWrite(state, tuya::kDefaultMtu);
}
BENCHMARK(BM_EncodeEncryptDpWrite_Mtu20);

// Baselines: one EVP AES-128-CBC operation over the same 32 bytes on its own. "Raw" is the usual
// setup (context per message, cipher fetched implicitly on every init); "Prefetched" fetches the
// cipher once, as the library does, so it isolates the AES work itself.
void rawAes(benchmark::State& state, const EVP_CIPHER* cipher, int encrypt) {
    const tuya::AesKey key = tuya::loginKeyDigest("a3f6b2");
    const std::uint8_t iv[16] = {};
    std::uint8_t in[32] = {};
    std::uint8_t out[32];
    for (auto _ : state) {
        EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
        int produced = 0;
        int tail = 0;
        EVP_CipherInit_ex(ctx, cipher != nullptr ? cipher : EVP_aes_128_cbc(), nullptr, key.data(),
                          iv, encrypt);
        EVP_CIPHER_CTX_set_padding(ctx, 0);
        EVP_CipherUpdate(ctx, out, &produced, in, sizeof in);
        EVP_CipherFinal_ex(ctx, out + produced, &tail);
        EVP_CIPHER_CTX_free(ctx);
        benchmark::DoNotOptimize(out);
    }
}

EVP_CIPHER* prefetched() {
    static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-128-CBC", nullptr);
    return cipher;
}

void BM_Baseline_RawAes128CbcEncrypt32(benchmark::State& state) {
    rawAes(state, nullptr, 1);
}
BENCHMARK(BM_Baseline_RawAes128CbcEncrypt32);

void BM_Baseline_RawAes128CbcDecrypt32(benchmark::State& state) {
    rawAes(state, nullptr, 0);
}
BENCHMARK(BM_Baseline_RawAes128CbcDecrypt32);

void BM_Baseline_PrefetchedAes128CbcEncrypt32(benchmark::State& state) {
    rawAes(state, prefetched(), 1);
}
BENCHMARK(BM_Baseline_PrefetchedAes128CbcEncrypt32);

void BM_Baseline_PrefetchedAes128CbcDecrypt32(benchmark::State& state) {
    rawAes(state, prefetched(), 0);
}
BENCHMARK(BM_Baseline_PrefetchedAes128CbcDecrypt32);

}  // namespace

BENCHMARK_MAIN();
