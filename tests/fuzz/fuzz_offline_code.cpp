// Offline-code input: what a keypad or a code/verify request hands the verifier, and the DP 65-67
// reports a lock sends back. Byte 0 picks the path:
//   0: typed codes, '\n'-separated, each preceded by 4 bytes of seconds after T0 (the lock's
//      clock), verified in turn against one code table, as a lock sees a day of key presses;
//   1: a report: byte 1 is the DP, the rest its value;
//   2: a dynamic code: 4 bytes of lock time, then the typed digits.
// An accepted code must come with the report the lock would send, and that report must read back
// to the same plaintext; a refused one with none.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "domain/codes/CodeKeys.h"
#include "domain/codes/DynamicCode.h"
#include "domain/codes/OfflineCodeVerifier.h"

namespace codes = lockhub::domain::codes;
using lockhub::SecretString;

namespace {

// The first scenario of the shared offline vectors, so its codes seed the corpus.
constexpr std::uint32_t kT0 = 1589251799;

std::uint32_t take32(std::string_view& in) {
    std::uint32_t value = 0;
    for (int i = 0; i < 4 && !in.empty(); ++i) {
        value = (value << 8) | static_cast<std::uint8_t>(in.front());
        in.remove_prefix(1);
    }
    return value;
}

void typedCodes(std::string_view in, const SecretString& loginKey) {
    const auto verifier = codes::OfflineCodeVerifier::create(loginKey, kT0);
    const auto offlineKey = codes::offlineKeyFromLoginKey(loginKey);
    if (!verifier || !offlineKey) {
        __builtin_trap();
    }
    codes::OfflineCodeTable table;
    while (!in.empty()) {
        const std::int64_t lockTime = std::int64_t{kT0} + take32(in);
        const auto end = in.find('\n');
        const SecretString code(std::string(in.substr(0, end)));
        in.remove_prefix(end == std::string_view::npos ? in.size() : end + 1);
        const auto verification = verifier->verify(table, code, lockTime);
        if (codes::isAccepted(verification.result) != verification.report.has_value()) {
            __builtin_trap();
        }
        if (!verification.report) {
            continue;
        }
        const auto& report = *verification.report;
        const auto read =
            codes::readOfflineCodeReport(offlineKey->reveal(), report.dp, std::span(report.value));
        if (!read || !verification.plaintext || *read != *verification.plaintext) {
            __builtin_trap();
        }
    }
}

void report(std::string_view in, const SecretString& loginKey) {
    if (in.empty()) {
        return;
    }
    const auto dp = static_cast<std::uint8_t>(in.front());
    in.remove_prefix(1);
    const auto offlineKey = codes::offlineKeyFromLoginKey(loginKey);
    const auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(in.data()), in.size());
    const auto read = codes::readOfflineCodeReport(offlineKey->reveal(), dp, bytes);
    if (read && codes::OfflineCodePlaintext::parse(read->digits()) != read) {
        __builtin_trap();
    }
}

void dynamicCode(std::string_view in, const SecretString& loginKey) {
    const std::int64_t lockTime = take32(in);
    const auto result = codes::verifyDynamicCode(loginKey, SecretString(std::string(in)), lockTime);
    if (result != codes::DynamicCodeResult::Accepted &&
        result != codes::DynamicCodeResult::BadParameters &&
        result != codes::DynamicCodeResult::NoMatch) {
        __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const SecretString loginKey("8f7d54");
    const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 3) {
        case 0:
            typedCodes(in, loginKey);
            break;
        case 1:
            report(in, loginKey);
            break;
        default:
            dynamicCode(in, loginKey);
            break;
    }
    return 0;
}
