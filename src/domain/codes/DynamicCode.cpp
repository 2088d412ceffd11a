#include "domain/codes/DynamicCode.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>

#include "domain/codes/CodeKeys.h"

namespace lockhub::domain::codes {
namespace {

constexpr std::uint32_t kCodeModulus = 100'000'000;
// Tuya indexes SHA1HashSize - 3, where RFC 4226 uses the last byte.
constexpr std::size_t kOffsetByte = 17;

bool isLockClock(std::int64_t seconds) {
    return seconds >= 0 && seconds <= std::numeric_limits<std::uint32_t>::max();
}

tl::expected<std::string, CodeErrc> codeForStep(const std::string& loginKey, std::uint32_t step) {
    const std::string message = dynamicCodeMessage(step);
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int digestLength = 0;
    if (HMAC(EVP_sha1(), loginKey.data(), static_cast<int>(loginKey.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(),
             &digestLength) == nullptr ||
        digestLength != 20) {
        return tl::unexpected(CodeErrc::CryptoFailure);
    }
    const std::size_t offset = digest[kOffsetByte] & 0x0F;
    const std::uint32_t truncated = (static_cast<std::uint32_t>(digest[offset] & 0x7F) << 24) |
                                    (static_cast<std::uint32_t>(digest[offset + 1]) << 16) |
                                    (static_cast<std::uint32_t>(digest[offset + 2]) << 8) |
                                    static_cast<std::uint32_t>(digest[offset + 3]);
    std::string code(kDynamicCodeDigits, '0');
    std::uint32_t value = truncated % kCodeModulus;
    for (std::size_t i = kDynamicCodeDigits; i > 0; --i) {
        code[i - 1] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    return code;
}

bool isDynamicCodeShape(const std::string& code) {
    return code.size() == kDynamicCodeDigits &&
           std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string dynamicCodeMessage(std::uint32_t step) {
    std::array<char, 9> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%08X", static_cast<unsigned int>(step));
    return std::string(buffer.data());
}

tl::expected<SecretString, CodeErrc> generateDynamicCode(const SecretString& loginKey,
                                                         std::int64_t unixSeconds) {
    if (!isValidLoginKey(loginKey)) {
        return tl::unexpected(CodeErrc::InvalidLoginKey);
    }
    if (!isLockClock(unixSeconds) || unixSeconds < kDynamicCodeStepSeconds) {
        return tl::unexpected(CodeErrc::InvalidTime);
    }
    return codeForStep(loginKey.reveal(),
                       static_cast<std::uint32_t>(unixSeconds / kDynamicCodeStepSeconds))
        .map([](std::string code) { return SecretString(std::move(code)); });
}

DynamicCodeResult verifyDynamicCode(const SecretString& loginKey, const SecretString& code,
                                    std::int64_t lockTime) {
    if (!isValidLoginKey(loginKey) || !isDynamicCodeShape(code.reveal()) ||
        !isLockClock(lockTime) || lockTime == 0) {
        return DynamicCodeResult::BadParameters;
    }
    // The lock's clock is 32-bit unsigned; its window arithmetic wraps the same way.
    const auto now = static_cast<std::uint32_t>(lockTime);
    constexpr auto kWindow = static_cast<std::uint32_t>(kDynamicCodeStepSeconds);
    const std::array<std::uint32_t, 3> steps = {now / kWindow, (now + kWindow) / kWindow,
                                                (now - kWindow) / kWindow};
    for (const std::uint32_t step : steps) {
        if (step == 0) {
            return DynamicCodeResult::BadParameters;
        }
        const auto expected = codeForStep(loginKey.reveal(), step);
        // A failing HMAC cannot confirm the code, so it counts as a mismatch (fail closed).
        if (expected && constantTimeEquals(*expected, code.reveal())) {
            return DynamicCodeResult::Accepted;
        }
    }
    return DynamicCodeResult::NoMatch;
}

}  // namespace lockhub::domain::codes
