// What a scan reported of one device, parsed as a Tuya advertisement of either generation: the
// one way the services read ports::Advertisement's Tuya fields.
#pragma once

#include "ports/BleCentral.h"
#include "protocol/tuya/Advertisement.h"

namespace lockhub {

inline tl::expected<protocol::tuya::ParsedAdvertisement, protocol::tuya::AdvertisementError>
parseScanned(const ports::Advertisement& advertisement) {
    return protocol::tuya::parseAdvertisement({advertisement.tuyaServiceData,
                                               advertisement.tuyaFd50ServiceData,
                                               advertisement.tuyaManufacturerData});
}

}  // namespace lockhub
