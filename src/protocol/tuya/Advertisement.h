// Tuya BLE advertisements of both generations (reference §1.2, docs/protocol.md "Advertisements"),
// parsed from what a scan reports of one device. BlueZ merges a device's advertising data and its
// scan response, so the fields come together: the service data of the generation's UUID from the
// advertising data, and the 0x07D0 manufacturer data from the scan response.
//
// - v3 (SDK TUYA_BLE_PROTOCOL_VERSION_HIGN 3): service data 0xA201 = id type, id; manufacturer
//   data = flags (0x80 bound, 0x02 shared, 0x01 connect request), protocol major, encryption
//   mode, communication ability (2), data type, encrypted device UUID (16).
// - v4: service data 0xFD50 = frame control (2, big-endian: 0x0100 id included, 0x0200 connect
//   request, 0x0400 shared, 0x0800 bound, bits 12-15 the version), id type, id length, id;
//   manufacturer data = encryption mode, communication ability (2), flag, encrypted UUID.
//
// A bound lock puts an encrypted field where the product id was, so `productId` is absent then.
// Pure: no I/O; OpenSSL only for the UUID's decryption.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tl/expected.hpp>

#include "protocol/tuya/Bytes.h"

namespace lockhub::protocol::tuya {

inline constexpr std::uint16_t kAdvertServiceV3 = 0xA201;
inline constexpr std::uint16_t kAdvertServiceV4 = 0xFD50;
inline constexpr std::uint16_t kTuyaCompanyId = 0x07D0;

// The Tuya parts of one scanned device, as BlueZ's ServiceData / ManufacturerData give them.
struct AdvertisementFields {
    std::optional<Bytes> serviceDataV3;     // service data for 0xA201
    std::optional<Bytes> serviceDataV4;     // service data for 0xFD50
    std::optional<Bytes> manufacturerData;  // manufacturer data for company 0x07D0
};

enum class AdvertisementGeneration : std::uint8_t { V3, V4 };

enum class AdvertisedIdType : std::uint8_t { ProductId = 0, ProductKey = 1 };

struct AdvertisementFlags {
    bool bound = false;
    bool shared = false;
    // The lock asks a central to connect: it has records or replies waiting (SDK
    // tuya_ble_adv_change_with_connecting_request).
    bool connectRequest = false;
};

struct ParsedAdvertisement {
    AdvertisementGeneration generation = AdvertisementGeneration::V3;
    // v3: byte 1 of the manufacturer data; v4: the frame control's version field.
    std::optional<std::uint8_t> protocolMajor;
    // v3 carries them in the scan response only: absent when it was not received (passive scan).
    std::optional<AdvertisementFlags> flags;
    AdvertisedIdType idType = AdvertisedIdType::ProductId;
    Bytes idField;                           // the service data's id: product id or encrypted field
    std::optional<std::string> productId;    // idField as text, only when known not to be bound
    std::optional<Bytes> encryptedDeviceId;  // from the manufacturer data, when received
    // What MD5 turns into the key (= IV) that encrypted the device UUID: v3 the id field, v4 the
    // service data from the frame control on.
    Bytes uuidKeyMaterial;
};

enum class AdvertisementError : std::uint8_t {
    NotTuya,      // neither 0xA201 nor 0xFD50 service data
    Malformed,    // a length or field outside what the SDK builds
    Unsupported,  // v4 frame control without the id (beacon layouts of other Tuya products)
};

tl::expected<ParsedAdvertisement, AdvertisementError> parseAdvertisement(
    const AdvertisementFields& fields);

// The 16-character device UUID (the uuid a hub pairs with), or nullopt when there is no 16-byte
// encrypted id or it does not decrypt to printable ASCII.
std::optional<std::string> decryptAdvertisedUuid(const ParsedAdvertisement& advertisement);

}  // namespace lockhub::protocol::tuya
