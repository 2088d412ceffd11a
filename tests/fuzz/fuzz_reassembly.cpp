// Transport + secure layer + frame decode + both sessions, fed arbitrary GATT packets.
// Input: a sequence of (length byte, packet bytes) chunks; the length byte's top bit also moves
// the clock by 3 s so stream expiry and retransmission paths run.
#include <cstddef>
#include <cstdint>

#include "protocol/tuya/HubSession.h"
#include "protocol/tuya/LockSession.h"
#include "protocol/tuya/Reassembler.h"

namespace tuya = lockhub::protocol::tuya;

namespace {

class ZeroRandom : public tuya::RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        for (std::uint8_t& byte : out) {
            byte = 0;
        }
    }
};

tuya::LockSessionConfig lockConfig() {
    tuya::LockSessionConfig config;
    config.identity.uuid = "tuyab10f2d3c4e5a";
    config.identity.loginKey = lockhub::SecretString("a3f6b2");
    config.identity.deviceId = "bf1234567890abcdefgh";
    config.identity.bound = false;
    return config;
}

tuya::HubSessionConfig hubConfig() {
    tuya::HubSessionConfig config;
    config.uuid = "tuyab10f2d3c4e5a";
    config.loginKey = lockhub::SecretString("a3f6b2");
    config.deviceId = "bf1234567890abcdefgh";
    return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ZeroRandom random;
    tuya::Reassembler reassembler(tuya::ReassemblerConfig{512, 3});
    tuya::LockSession lock(lockConfig(), random);
    tuya::HubSession hub(hubConfig(), random);
    tuya::MonoTime now{};
    hub.start(tuya::Now{now, {}});
    const tuya::ByteView input(data, size);
    for (std::size_t offset = 0; offset < input.size();) {
        const std::uint8_t header = input[offset++];
        if ((header & 0x80) != 0) {
            now += std::chrono::seconds(3);
        }
        const std::size_t length = std::min<std::size_t>(header & 0x3F, input.size() - offset);
        const tuya::ByteView packet = input.subspan(offset, length);
        offset += length;

        const auto complete = reassembler.push(packet, now);
        if (complete && *complete && (*complete)->size() > 512) {
            __builtin_trap();  // the size limit must hold
        }
        lock.receive(packet, now);
        hub.receive(packet, tuya::Now{now, {}});
        lock.poll(now);
        hub.poll(tuya::Now{now, {}});
        (void)lock.takeOutput();
        (void)hub.takeOutput();
    }
    return 0;
}
