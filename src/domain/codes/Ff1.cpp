#include "domain/codes/Ff1.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <vector>

namespace lockhub::domain::codes {
namespace {

constexpr std::uint8_t kRadix = 10;
constexpr int kRounds = 10;

std::uint64_t pow10(std::size_t exponent) {
    std::uint64_t value = 1;
    for (std::size_t i = 0; i < exponent; ++i) {
        value *= 10;
    }
    return value;
}

std::uint64_t numRadix(std::string_view digits) {
    std::uint64_t value = 0;
    for (const char c : digits) {
        value = value * kRadix + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

std::string strRadix(std::uint64_t value, std::size_t length) {
    std::string digits(length, '0');
    for (std::size_t i = length; i > 0; --i) {
        digits[i - 1] = static_cast<char>('0' + value % kRadix);
        value /= kRadix;
    }
    return digits;
}

// The fixed parameters of one FF1 invocation (SP 800-38G Algorithm 7, steps 1-5).
struct Params {
    std::size_t u;
    std::size_t v;
    std::size_t b;  // bytes of NUM(B) fed to the PRF
    std::size_t d;  // bytes of PRF output used
    std::array<std::uint8_t, kAesBlockSize> p;
};

Params makeParams(std::size_t n) {
    Params params{};
    params.u = n / 2;
    params.v = n - params.u;
    // ceil(v * log2(10)) is the bit length of 10^v, since 10^v is never a power of two.
    const auto bits = static_cast<std::size_t>(std::bit_width(pow10(params.v)));
    params.b = (bits + 7) / 8;
    params.d = 4 * ((params.b + 3) / 4) + 4;
    // P = [1] [2] [1] [radix]^3 [10] [u mod 256] [n]^4 [t]^4, with t = 0.
    params.p = {1, 2, 1, 0, 0, kRadix, 10, static_cast<std::uint8_t>(params.u % 256)};
    for (std::size_t i = 0; i < 4; ++i) {
        params.p[8 + i] = static_cast<std::uint8_t>(n >> (24 - 8 * i));
    }
    return params;
}

// y = NUM(S) reduced mod 10^m, for round `round` with the other half's value `num`.
// With b <= 7 (halves up to 16 digits) Q is one block and d <= 12, so S is a prefix of R and
// the spec's CIPH(R xor [j]) extension is never needed.
tl::expected<std::uint64_t, CodeErrc> roundValue(const AesKey& key, const Params& params, int round,
                                                 std::uint64_t num, std::uint64_t modulus) {
    std::array<std::uint8_t, 2 * kAesBlockSize> pq{};
    std::copy(params.p.begin(), params.p.end(), pq.begin());
    // Q = [0]^(16 - b - 1) || [i]^1 || [NUM(B)]^b (the tweak is empty).
    const std::size_t numAt = pq.size() - params.b;
    pq[numAt - 1] = static_cast<std::uint8_t>(round);
    for (std::size_t i = 0; i < params.b; ++i) {
        pq[pq.size() - 1 - i] = static_cast<std::uint8_t>(num >> (8 * i));
    }
    const auto cbc = aes128CbcZeroIvEncrypt(key, pq);
    if (!cbc) {
        return tl::unexpected(cbc.error());
    }
    const auto r = std::span(*cbc).last(kAesBlockSize);
    std::uint64_t y = 0;
    for (std::size_t i = 0; i < params.d; ++i) {
        y = (y * 256 + r[i]) % modulus;
    }
    return y;
}

}  // namespace

tl::expected<std::string, CodeErrc> Ff1::encrypt(std::string_view digits) const {
    return run(digits, Direction::Encrypt);
}

tl::expected<std::string, CodeErrc> Ff1::decrypt(std::string_view digits) const {
    return run(digits, Direction::Decrypt);
}

tl::expected<std::string, CodeErrc> Ff1::run(std::string_view digits, Direction direction) const {
    const std::size_t n = digits.size();
    if (n < kMinLength || n > kMaxLength ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return tl::unexpected(CodeErrc::MalformedCode);
    }
    const Params params = makeParams(n);
    std::string a(digits.substr(0, params.u));
    std::string b(digits.substr(params.u));
    for (int step = 0; step < kRounds; ++step) {
        const bool encrypting = direction == Direction::Encrypt;
        const int round = encrypting ? step : kRounds - 1 - step;
        const std::size_t m = round % 2 == 0 ? params.u : params.v;
        const std::uint64_t modulus = pow10(m);
        // Encryption feeds B to the PRF and updates A (always m digits long); decryption undoes
        // it in reverse order.
        const std::string& prfInput = encrypting ? b : a;
        const std::string& updated = encrypting ? a : b;
        const auto y = roundValue(key_, params, round, numRadix(prfInput), modulus);
        if (!y) {
            return tl::unexpected(y.error());
        }
        const std::uint64_t x = numRadix(updated);
        const std::uint64_t c = encrypting ? (x + *y) % modulus : (x + modulus - *y) % modulus;
        if (encrypting) {
            a = std::move(b);
            b = strRadix(c, m);
        } else {
            b = std::move(a);
            a = strRadix(c, m);
        }
    }
    return a + b;
}

}  // namespace lockhub::domain::codes
