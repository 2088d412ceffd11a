// Tuya's 8-digit dynamic code (reference §3.3): HMAC-SHA1 keyed with the 6-byte login key over
// the 300-second time step written as upper-case hex, truncated with the offset taken from
// digest byte 17 (not RFC 4226's byte 19), 31 bits mod 10^8. The lock accepts the step of its
// clock, the next one and the previous one, and keeps no record of used codes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <tl/expected.hpp>

#include "domain/Secret.h"
#include "domain/codes/CodeError.h"

namespace lockhub::domain::codes {

inline constexpr std::int64_t kDynamicCodeStepSeconds = 300;
inline constexpr std::size_t kDynamicCodeDigits = 8;

// The reference verifier's return values.
enum class DynamicCodeResult : int {
    Accepted = 0,
    BadParameters = -1,  // malformed key or code, clock at 0, or a window reaching step 0
    NoMatch = -3,
};

// The HMAC message of a time step: upper-case hex, zero-padded to 8 characters.
std::string dynamicCodeMessage(std::uint32_t step);

// InvalidLoginKey, or InvalidTime outside the lock's 32-bit clock or in step 0 (which the lock
// refuses to verify).
tl::expected<SecretString, CodeErrc> generateDynamicCode(const SecretString& loginKey,
                                                         std::int64_t unixSeconds);

// Exactly the lock's decision with its clock at `lockTime`; the comparison is constant-time.
DynamicCodeResult verifyDynamicCode(const SecretString& loginKey, const SecretString& code,
                                    std::int64_t lockTime);

}  // namespace lockhub::domain::codes
