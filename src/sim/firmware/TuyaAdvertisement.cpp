#include "sim/firmware/TuyaAdvertisement.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>

#include "domain/codes/Aes128.h"
#include "protocol/tuya/Advertisement.h"

namespace lockhub::sim {
namespace {

using domain::codes::AesKey;
using Bytes = std::vector<std::uint8_t>;

constexpr std::size_t kIdSize = 16;
constexpr std::uint8_t kV3Bound = 0x80;
constexpr std::uint8_t kV3ConnectRequest = 0x01;
constexpr std::uint8_t kV4FrameControl = 0x41;  // version 4, id included
constexpr std::uint8_t kV4Bound = 0x08;
constexpr std::uint8_t kV4ConnectRequest = 0x02;

AesKey md5(const Bytes& bytes) {
    AesKey digest{};
    unsigned int size = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_md5(), nullptr);
    return digest;
}

Bytes bytesOf(const std::string& text) {
    return {text.begin(), text.end()};
}

// AES-128-CBC of the 16-byte UUID with IV = key: over one block that is the zero-IV CBC of
// (block XOR key), which lets the domain's AES primitive serve.
Bytes encryptUuid(const std::string& uuidText, const Bytes& keyMaterial) {
    const auto key = md5(keyMaterial);
    std::array<std::uint8_t, kIdSize> uuid{};
    std::copy_n(uuidText.begin(), std::min(uuidText.size(), kIdSize), uuid.begin());
    Bytes block(kIdSize);
    for (std::size_t i = 0; i < kIdSize; ++i) {
        block[i] = static_cast<std::uint8_t>(uuid[i] ^ key[i]);
    }
    auto encrypted = domain::codes::aes128CbcZeroIvEncrypt(key, block);
    return encrypted ? Bytes(encrypted->begin(), encrypted->end()) : Bytes{};
}

TuyaAdvertisement a201(const SimLockIdentity& identity, bool bound, bool connectRequest) {
    TuyaAdvertisement ad;
    ad.serviceUuid = protocol::tuya::kAdvertServiceV3;
    // The SDK puts an encrypted field here when bound; the sim keeps the product id in clear,
    // which the hub's 0xA201 scan relies on (docs/simulator.md, fidelity).
    ad.serviceData.push_back(0x00);  // id type 0: product id
    const auto pid = bytesOf(identity.productId);
    ad.serviceData.insert(ad.serviceData.end(), pid.begin(), pid.end());
    ad.manufacturerData = {
        static_cast<std::uint8_t>((bound ? kV3Bound : 0) |
                                  (connectRequest ? kV3ConnectRequest : 0)),
        static_cast<std::uint8_t>(identity.protocol),  // protocol major
        0x00,                                          // encryption method
        0x00,
        0x03,  // communication capability
        0x00,  // data type
    };
    const auto encrypted = encryptUuid(identity.uuid, pid);
    ad.manufacturerData.insert(ad.manufacturerData.end(), encrypted.begin(), encrypted.end());
    return ad;
}

TuyaAdvertisement fd50(const SimLockIdentity& identity, bool bound, bool connectRequest) {
    TuyaAdvertisement ad;
    ad.serviceUuid = protocol::tuya::kAdvertServiceV4;
    auto id = bytesOf(identity.productId);
    if (bound) {
        // The SDK's field comes from a closed cipher (tuya_ble_encrypt_old_with_key over the
        // login key and UUID); the stand-in is as opaque: MD5(login key ‖ UUID), cut to length.
        const auto digest = md5(bytesOf(identity.loginKey() + identity.uuid));
        id.assign(digest.begin(), digest.begin() + static_cast<long>(std::min(id.size(), kIdSize)));
    }
    ad.serviceData = {
        static_cast<std::uint8_t>(kV4FrameControl | (bound ? kV4Bound : 0) |
                                  (connectRequest ? kV4ConnectRequest : 0)),
        0x00,
        0x00,  // id type 0: product id
        static_cast<std::uint8_t>(id.size()),
    };
    ad.serviceData.insert(ad.serviceData.end(), id.begin(), id.end());
    ad.manufacturerData = {0x00, 0x00, 0x03, 0x00};  // encryption, capability (2), flag
    const auto encrypted = encryptUuid(identity.uuid, ad.serviceData);
    ad.manufacturerData.insert(ad.manufacturerData.end(), encrypted.begin(), encrypted.end());
    return ad;
}

}  // namespace

TuyaAdvertisement buildAdvertisement(const SimLockIdentity& identity, bool bound,
                                     bool connectRequest) {
    return identity.advertisesFd50() ? fd50(identity, bound, connectRequest)
                                     : a201(identity, bound, connectRequest);
}

std::string decryptAdvertisedUuid(const std::string& productId,
                                  const std::vector<std::uint8_t>& manufacturerData) {
    protocol::tuya::AdvertisementFields fields;
    fields.serviceDataV3 = Bytes{0x00};
    fields.serviceDataV3->insert(fields.serviceDataV3->end(), productId.begin(), productId.end());
    fields.manufacturerData = manufacturerData;
    const auto parsed = protocol::tuya::parseAdvertisement(fields);
    if (!parsed) {
        return {};
    }
    return protocol::tuya::decryptAdvertisedUuid(*parsed).value_or("");
}

}  // namespace lockhub::sim
