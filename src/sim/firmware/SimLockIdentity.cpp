#include "sim/firmware/SimLockIdentity.h"

#include <cstdio>
#include <random>

namespace lockhub::sim {
namespace {

std::string randomText(std::mt19937_64& random, std::size_t length, const char* alphabet,
                       std::size_t alphabetSize) {
    std::uniform_int_distribution<std::size_t> pick(0, alphabetSize - 1);
    std::string out;
    for (std::size_t i = 0; i < length; ++i) {
        out.push_back(alphabet[pick(random)]);
    }
    return out;
}

}  // namespace

SimLockIdentity generateIdentity(std::uint64_t seed, std::uint32_t index) {
    // One stream per lock, so adding a lock never changes the ones before it.
    std::seed_seq sequence{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                           index, 0x10c4u};
    std::mt19937_64 random(sequence);
    static constexpr char kAlnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    static constexpr char kLower[] = "abcdefghijklmnopqrstuvwxyz";
    static constexpr char kHex[] = "0123456789abcdef";

    SimLockIdentity identity;
    identity.name = "lock" + std::to_string(index + 1);
    std::uniform_int_distribution<int> byte(0, 255);
    // Drawn in statements of their own: argument evaluation order differs between compilers,
    // and the same seed must give the same MAC with GCC and clang.
    const int first = byte(random);
    const int second = byte(random);
    char mac[18];
    // DC:23 is a Tuya-module OUI prefix; the last bytes carry the index so MACs never collide.
    std::snprintf(mac, sizeof mac, "DC:23:%02X:%02X:%02X:%02X", first, second, (index >> 8) & 0xFF,
                  index & 0xFF);
    identity.mac = mac;
    identity.adapter = "hci0";
    identity.productId = randomText(random, 8, kLower, sizeof kLower - 1);
    identity.uuid = "tuya" + randomText(random, 12, kHex, sizeof kHex - 1);
    identity.deviceId = "bf" + randomText(random, 20, kAlnum, sizeof kAlnum - 1);
    identity.localKey = randomText(random, 16, kAlnum, sizeof kAlnum - 1);
    identity.protocol =
        index % 2 == 0 ? protocol::tuya::ProtocolVersion::V4 : protocol::tuya::ProtocolVersion::V3;
    return identity;
}

}  // namespace lockhub::sim
