// The lock side of offline codes (reference §3.3): decrypt the 10 typed digits with FF1, apply
// the reference verifier's rules in its order, update the code table, and produce the DP 67/65/66
// record for accepted codes. Used by the simulator's keypad and by the hub when a code is
// presented to it. Time is a parameter; the table is the caller's value.
#pragma once

#include <cstdint>
#include <optional>
#include <tl/expected.hpp>

#include "domain/Secret.h"
#include "domain/codes/Aes128.h"
#include "domain/codes/CodeError.h"
#include "domain/codes/OfflineCodePlaintext.h"
#include "domain/codes/OfflineCodeReport.h"
#include "domain/codes/OfflineCodeTable.h"

namespace lockhub::domain::codes {

// The reference verifier's return values (its OFFLINE_PWD_* names in the comments).
enum class OfflineVerifyResult : int {
    Accepted = 0,           // VERIFY_SUCCESS: unlock, DP 67
    ClearedOne = 1,         // CLEAR_SINGLE_SUCCESS: DP 65
    ClearedAll = 2,         // CLEAR_ALL_SUCCESS: DP 66
    BadParameters = -1,     // ERR_PARAM: not 10 digits
    DecryptFailed = -2,     // ERR_DECRYPT: only if the cipher itself fails
    UnknownType = -3,       // ERR_TYPE: type digit 2-7
    UsedUp = -4,            // ERR_INVALID: used one-time or clear-all, cleared timed code
    NotYetValid = -5,       // ERR_START_TIME
    Expired = -6,           // ERR_END_TIME
    ActivationMissed = -7,  // ERR_ACTIVE_TIME: first use too long after the start
    BadSerial = -8,         // ERR_BSS_SN: serial above 10
    NothingToClear = -10,   // ERR_NO_EXIST (also a clear-one before its start)
};

inline int resultCode(OfflineVerifyResult result) {
    return static_cast<int>(result);
}
inline bool isAccepted(OfflineVerifyResult result) {
    return resultCode(result) >= 0;
}

struct OfflineVerification {
    OfflineVerifyResult result;
    // Present whenever the digits decrypted, accepted or not.
    std::optional<OfflineCodePlaintext> plaintext;
    // Present exactly when the code was accepted.
    std::optional<OfflineCodeReport> report;
};

class OfflineCodeVerifier {
public:
    static tl::expected<OfflineCodeVerifier, CodeErrc> create(const SecretString& loginKey,
                                                              std::uint32_t t0);

    std::uint32_t t0() const { return t0_; }

    // Changes `table` exactly as the lock would; a failed cipher leaves it untouched.
    OfflineVerification verify(OfflineCodeTable& table, const SecretString& code,
                               std::int64_t lockTime) const;

private:
    OfflineCodeVerifier(Secret<AesKey> key, std::uint32_t t0) : key_(std::move(key)), t0_(t0) {}

    Secret<AesKey> key_;
    std::uint32_t t0_;
};

}  // namespace lockhub::domain::codes
