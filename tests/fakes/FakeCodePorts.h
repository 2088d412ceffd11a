// The code service's small ports, faked: a clock whose NTP state a test sets, and a keyed hash
// that is a fixed keyed transformation (not a cryptographic one) so tests can tell hashes apart.
#pragma once

#include "ports/ClockSync.h"
#include "ports/CodeHasher.h"

namespace lockhub::fakes {

class FakeClockSync final : public ports::ClockSync {
public:
    bool synchronised() const override { return synced; }
    bool synced = true;
};

class FakeCodeHasher final : public ports::CodeHasher {
public:
    std::vector<std::uint8_t> hash(const SecretString& code) const override {
        std::vector<std::uint8_t> out(32, 0x5a);
        const auto& text = code.reveal();
        for (std::size_t i = 0; i < text.size(); ++i) {
            out[i % out.size()] = static_cast<std::uint8_t>(out[i % out.size()] ^
                                                            (text[i] * 31 + static_cast<int>(i)));
        }
        return out;
    }
};

}  // namespace lockhub::fakes
