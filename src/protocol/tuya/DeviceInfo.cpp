#include "protocol/tuya/DeviceInfo.h"

#include <algorithm>

namespace lockhub::protocol::tuya {

namespace {
constexpr std::size_t kSrandAt = 6;
constexpr std::size_t kHardwareAt = 12;
constexpr std::size_t kAuthKeyAt = 14;
}  // namespace

Bytes encodeDeviceInfo(const DeviceInfo& info) {
    Bytes out;
    out.reserve(kDeviceInfoMinSize + info.extension.size());
    out.insert(out.end(), info.firmwareVersion.begin(), info.firmwareVersion.end());
    out.push_back(info.protocolMajor);
    out.push_back(info.protocolMinor);
    out.push_back(info.flags);
    out.push_back(info.bound ? 1 : 0);
    out.insert(out.end(), info.srand.begin(), info.srand.end());
    out.insert(out.end(), info.hardwareVersion.begin(), info.hardwareVersion.end());
    out.insert(out.end(), info.authKey.begin(), info.authKey.end());
    out.insert(out.end(), info.extension.begin(), info.extension.end());
    return out;
}

ProtocolResult<DeviceInfo> decodeDeviceInfo(ByteView data) {
    if (data.size() < kDeviceInfoMinSize) {
        return tl::unexpected(ProtocolError::BadPayload);
    }
    DeviceInfo info;
    std::copy_n(data.begin(), 2, info.firmwareVersion.begin());
    info.protocolMajor = data[2];
    info.protocolMinor = data[3];
    info.flags = data[4];
    info.bound = data[5] != 0;
    std::copy_n(data.begin() + kSrandAt, info.srand.size(), info.srand.begin());
    std::copy_n(data.begin() + kHardwareAt, 2, info.hardwareVersion.begin());
    std::copy_n(data.begin() + kAuthKeyAt, info.authKey.size(), info.authKey.begin());
    info.extension.assign(data.begin() + kDeviceInfoMinSize, data.end());
    return info;
}

}  // namespace lockhub::protocol::tuya
