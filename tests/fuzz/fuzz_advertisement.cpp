// Advertisement parsing of both generations. The input is split into the three fields a scan
// reports: byte 0 says which are present (bit 0 = 0xA201 service data, bit 1 = 0xFD50 service
// data, bit 2 = 0x07D0 manufacturer data), and each present field is one length byte followed by
// that many bytes. Whatever parses must keep the result's invariants.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "protocol/tuya/Advertisement.h"

namespace tuya = lockhub::protocol::tuya;

namespace {

std::optional<tuya::Bytes> take(bool present, const std::uint8_t*& data, std::size_t& size) {
    if (!present || size == 0) {
        return std::nullopt;
    }
    const std::size_t length = std::min<std::size_t>(data[0], size - 1);
    tuya::Bytes field(data + 1, data + 1 + length);
    data += 1 + length;
    size -= 1 + length;
    return field;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::uint8_t present = data[0];
    ++data;
    --size;
    tuya::AdvertisementFields fields;
    fields.serviceDataV3 = take((present & 1) != 0, data, size);
    fields.serviceDataV4 = take((present & 2) != 0, data, size);
    fields.manufacturerData = take((present & 4) != 0, data, size);

    const auto ad = tuya::parseAdvertisement(fields);
    if (!ad) {
        return 0;
    }
    if (ad->idField.empty() || ad->idField.size() > 20) {
        __builtin_trap();
    }
    if (ad->productId && (!ad->flags || ad->flags->bound ||
                          *ad->productId != std::string(ad->idField.begin(), ad->idField.end()))) {
        __builtin_trap();
    }
    if (ad->encryptedDeviceId &&
        (ad->encryptedDeviceId->empty() || ad->encryptedDeviceId->size() > 16)) {
        __builtin_trap();
    }
    if (const auto uuid = tuya::decryptAdvertisedUuid(*ad); uuid && uuid->size() != 16) {
        __builtin_trap();
    }
    return 0;
}
