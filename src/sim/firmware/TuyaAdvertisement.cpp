#include "sim/firmware/TuyaAdvertisement.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>

#include "domain/codes/Aes128.h"

namespace lockhub::sim {
namespace {

using domain::codes::AesKey;

constexpr std::size_t kIdOffset = 6;
constexpr std::size_t kIdSize = 16;

AesKey md5(const std::string& text) {
    AesKey digest{};
    unsigned int size = 0;
    EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_md5(), nullptr);
    return digest;
}

// CBC with IV = key over one block is the zero-IV CBC of (block XOR IV): that lets the domain's
// AES primitive serve here too.
std::vector<std::uint8_t> xorBlock(const std::uint8_t* block, const AesKey& iv) {
    std::vector<std::uint8_t> out(kIdSize);
    for (std::size_t i = 0; i < kIdSize; ++i) {
        out[i] = static_cast<std::uint8_t>(block[i] ^ iv[i]);
    }
    return out;
}

}  // namespace

TuyaAdvertisement buildAdvertisement(const SimLockIdentity& identity, bool bound) {
    TuyaAdvertisement ad;
    ad.serviceData.assign(1 + identity.productId.size(), 0x00);  // id type 0: product id
    std::copy(identity.productId.begin(), identity.productId.end(), ad.serviceData.begin() + 1);

    const auto key = md5(identity.productId);
    std::array<std::uint8_t, kIdSize> uuid{};
    std::copy_n(identity.uuid.begin(), std::min(identity.uuid.size(), kIdSize), uuid.begin());
    const auto encrypted = domain::codes::aes128CbcZeroIvEncrypt(key, xorBlock(uuid.data(), key));

    ad.manufacturerData = {
        static_cast<std::uint8_t>(bound ? 0x80 : 0x00),  // flags: bit 7 = bound
        static_cast<std::uint8_t>(identity.protocol),    // protocol major
        0x00,                                            // encryption method
        0x00,
        0x03,  // communication capability
        0x00,  // reserved
    };
    if (encrypted) {
        ad.manufacturerData.insert(ad.manufacturerData.end(), encrypted->begin(), encrypted->end());
    }
    return ad;
}

std::string decryptAdvertisedUuid(const std::string& productId,
                                  const std::vector<std::uint8_t>& manufacturerData) {
    if (manufacturerData.size() != kIdOffset + kIdSize) {
        return {};
    }
    const auto key = md5(productId);
    const auto plain = domain::codes::aes128CbcZeroIvDecrypt(
        key, std::span(manufacturerData).subspan(kIdOffset, kIdSize));
    if (!plain) {
        return {};
    }
    const auto clear = xorBlock(plain->data(), key);
    if (!std::all_of(clear.begin(), clear.end(),
                     [](std::uint8_t c) { return c >= 0x20 && c < 0x7F; })) {
        return {};
    }
    return std::string(clear.begin(), clear.end());
}

}  // namespace lockhub::sim
