// The lock's enrolled unlock methods (DP 1 create, DP 2 delete, DP 3 modify; reference §2.3):
// passwords, cards, fingerprints and faces, each with the hardware id the lock assigned. Replies
// and progress stages go out as status reports. A password enrols at once; a fingerprint, card or
// face waits at the door, as a real lock does: each touch of the finger reports a step (stage
// running with the count), the last one completes it, and a card or face completes on the first
// presentation. One enrolment at a time; stage cancel stops it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sim/firmware/FirmwareOutput.h"
#include "sim/firmware/Validity.h"

namespace lockhub::sim {

enum class CredentialType : std::uint8_t { Password = 1, Card = 2, Fingerprint = 3, Face = 4 };

struct Credential {
    CredentialType type = CredentialType::Password;
    std::uint8_t hardwareId = 0;
    std::uint8_t memberId = 0;
    bool admin = false;
    Validity validity;
    std::uint8_t times = 0;         // 0 = unlimited; stored, not counted down
    std::vector<std::uint8_t> pin;  // digit values, passwords only
};

class UnlockMethods {
public:
    // Each returns false for a malformed request (write status 1); business failures are
    // reported with their stage and reason instead.
    bool create(const std::vector<std::uint8_t>& raw, FirmwareOutput& out);
    bool remove(const std::vector<std::uint8_t>& raw, FirmwareOutput& out);
    bool modify(const std::vector<std::uint8_t>& raw, FirmwareOutput& out);

    // A finger, card or face presented at the door: a step of the running enrolment of that type
    // (returns true), or not enrolling one (false: the caller treats it as an unlock attempt).
    bool present(CredentialType type, FirmwareOutput& out);
    std::optional<CredentialType> enrolling() const {
        return pending_ ? std::optional(pending_->credential.type) : std::nullopt;
    }

    // The password a keypad entry matches inside its validity window, if any.
    const Credential* matchPassword(std::string_view digits, std::int64_t now) const;
    const std::vector<Credential>& credentials() const { return credentials_; }

private:
    struct Pending {
        Credential credential;
        int steps = 0;
    };

    std::optional<std::uint8_t> freeHardwareId(CredentialType type) const;
    bool taken(CredentialType type, std::uint8_t hardwareId) const;

    std::vector<Credential> credentials_;
    std::optional<Pending> pending_;
};

}  // namespace lockhub::sim
