#include "protocol/tuya/Advertisement.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>

namespace lockhub::protocol::tuya {
namespace {

constexpr std::size_t kMaxIdLength = 20;  // the SDK's longest id (v4 flags pid_len == 20)
constexpr std::size_t kUuidLength = 16;

// v3 manufacturer data: flags, protocol, encryption mode, ability (2), data type, then the UUID.
constexpr std::size_t kV3ManufacturerHeader = 6;
constexpr std::uint8_t kV3Bound = 0x80;
constexpr std::uint8_t kV3Shared = 0x02;
constexpr std::uint8_t kV3ConnectRequest = 0x01;

// v4 service data: frame control (2), id type, id length, then the id.
constexpr std::size_t kV4ServiceHeader = 4;
constexpr std::uint16_t kFcIdIncluded = 0x0100;
constexpr std::uint16_t kFcConnectRequest = 0x0200;
constexpr std::uint16_t kFcShared = 0x0400;
constexpr std::uint16_t kFcBound = 0x0800;
// v4 manufacturer data: encryption mode, ability (2), flag, then the (encrypted) UUID.
constexpr std::size_t kV4ManufacturerHeader = 4;

using Result = tl::expected<ParsedAdvertisement, AdvertisementError>;

std::optional<AdvertisedIdType> idTypeOf(std::uint8_t byte) {
    if (byte > static_cast<std::uint8_t>(AdvertisedIdType::ProductKey)) {
        return std::nullopt;
    }
    return static_cast<AdvertisedIdType>(byte);
}

bool validIdLength(std::size_t length) {
    return length >= 1 && length <= kMaxIdLength;
}

// The product id is shown only when the flags say the id field holds it in clear.
void setProductId(ParsedAdvertisement& ad) {
    if (ad.flags && !ad.flags->bound) {
        ad.productId = std::string(ad.idField.begin(), ad.idField.end());
    }
}

Result parseV3(const Bytes& service, const std::optional<Bytes>& manufacturer) {
    ParsedAdvertisement ad;
    ad.generation = AdvertisementGeneration::V3;
    if (service.empty() || !validIdLength(service.size() - 1)) {
        return tl::unexpected(AdvertisementError::Malformed);
    }
    const auto idType = idTypeOf(service[0]);
    if (!idType) {
        return tl::unexpected(AdvertisementError::Malformed);
    }
    ad.idType = *idType;
    ad.idField.assign(service.begin() + 1, service.end());
    ad.uuidKeyMaterial = ad.idField;
    if (manufacturer) {
        if (manufacturer->size() != kV3ManufacturerHeader + kUuidLength) {
            return tl::unexpected(AdvertisementError::Malformed);
        }
        const std::uint8_t flags = (*manufacturer)[0];
        ad.flags = AdvertisementFlags{(flags & kV3Bound) != 0, (flags & kV3Shared) != 0,
                                      (flags & kV3ConnectRequest) != 0};
        ad.protocolMajor = (*manufacturer)[1];
        ad.encryptedDeviceId.emplace(manufacturer->begin() + kV3ManufacturerHeader,
                                     manufacturer->end());
    }
    setProductId(ad);
    return ad;
}

Result parseV4(const Bytes& service, const std::optional<Bytes>& manufacturer) {
    ParsedAdvertisement ad;
    ad.generation = AdvertisementGeneration::V4;
    if (service.size() < kV4ServiceHeader) {
        return tl::unexpected(AdvertisementError::Malformed);
    }
    const auto control = static_cast<std::uint16_t>((service[0] << 8) | service[1]);
    if ((control & kFcIdIncluded) == 0) {
        return tl::unexpected(AdvertisementError::Unsupported);
    }
    const auto idType = idTypeOf(service[2]);
    const std::size_t idLength = service[3];
    if (!idType || !validIdLength(idLength) || service.size() != kV4ServiceHeader + idLength) {
        return tl::unexpected(AdvertisementError::Malformed);
    }
    ad.protocolMajor = static_cast<std::uint8_t>(control >> 12);
    ad.flags = AdvertisementFlags{(control & kFcBound) != 0, (control & kFcShared) != 0,
                                  (control & kFcConnectRequest) != 0};
    ad.idType = *idType;
    ad.idField.assign(service.begin() + kV4ServiceHeader, service.end());
    ad.uuidKeyMaterial = service;
    if (manufacturer) {
        if (manufacturer->size() <= kV4ManufacturerHeader ||
            manufacturer->size() > kV4ManufacturerHeader + kUuidLength) {
            return tl::unexpected(AdvertisementError::Malformed);
        }
        ad.encryptedDeviceId.emplace(manufacturer->begin() + kV4ManufacturerHeader,
                                     manufacturer->end());
    }
    setProductId(ad);
    return ad;
}

std::array<std::uint8_t, 16> md5(ByteView bytes) {
    std::array<std::uint8_t, 16> digest{};
    unsigned int size = 0;
    // A failure (out of memory) leaves a zero key, which then fails the printable check.
    EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_md5(), nullptr);
    return digest;
}

}  // namespace

tl::expected<ParsedAdvertisement, AdvertisementError> parseAdvertisement(
    const AdvertisementFields& fields) {
    // A lock builds one generation; should both ever appear, the newer layout is the one its
    // firmware speaks.
    if (fields.serviceDataV4) {
        return parseV4(*fields.serviceDataV4, fields.manufacturerData);
    }
    if (fields.serviceDataV3) {
        return parseV3(*fields.serviceDataV3, fields.manufacturerData);
    }
    return tl::unexpected(AdvertisementError::NotTuya);
}

std::optional<std::string> decryptAdvertisedUuid(const ParsedAdvertisement& advertisement) {
    if (!advertisement.encryptedDeviceId ||
        advertisement.encryptedDeviceId->size() != kUuidLength) {
        return std::nullopt;
    }
    const auto key = md5(advertisement.uuidKeyMaterial);
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                        &EVP_CIPHER_CTX_free);
    std::array<std::uint8_t, kUuidLength> plain{};
    int written = 0;
    // One block, key = IV, no padding (SDK tuya_ble_device_id_encrypt and its v4 twin).
    if (!ctx ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_128_cbc(), nullptr, key.data(), key.data()) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
        EVP_DecryptUpdate(ctx.get(), plain.data(), &written,
                          advertisement.encryptedDeviceId->data(),
                          static_cast<int>(kUuidLength)) != 1 ||
        written != static_cast<int>(kUuidLength)) {
        return std::nullopt;
    }
    if (!std::all_of(plain.begin(), plain.end(),
                     [](std::uint8_t c) { return c >= 0x20 && c < 0x7F; })) {
        return std::nullopt;
    }
    return std::string(plain.begin(), plain.end());
}

}  // namespace lockhub::protocol::tuya
