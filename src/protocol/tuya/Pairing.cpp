#include "protocol/tuya/Pairing.h"

namespace lockhub::protocol::tuya {

ProtocolResult<Bytes> encodePairRequest(const PairRequest& request) {
    const std::string& loginKey = request.loginKey.reveal();
    if (request.uuid.size() != kUuidSize || loginKey.size() != kLoginKeySize ||
        request.deviceId.size() > kDeviceIdSize) {
        return tl::unexpected(ProtocolError::BadPayload);
    }
    Bytes out(request.uuid.begin(), request.uuid.end());
    out.insert(out.end(), loginKey.begin(), loginKey.end());
    out.insert(out.end(), request.deviceId.begin(), request.deviceId.end());
    out.resize(kPairRequestSize, 0);
    return out;
}

ProtocolResult<PairRequest> decodePairRequest(ByteView data) {
    // Longer payloads exist (v5 activation appends keys); the first 44 bytes keep this layout.
    if (data.size() < kPairRequestSize) {
        return tl::unexpected(ProtocolError::BadPayload);
    }
    const auto text = [&](std::size_t at, std::size_t size) {
        return std::string(data.begin() + static_cast<std::ptrdiff_t>(at),
                           data.begin() + static_cast<std::ptrdiff_t>(at + size));
    };
    std::string deviceId = text(kUuidSize + kLoginKeySize, kDeviceIdSize);
    deviceId.erase(deviceId.find_last_not_of('\0') + 1);
    return PairRequest{text(0, kUuidSize), SecretString(text(kUuidSize, kLoginKeySize)),
                       std::move(deviceId)};
}

Bytes encodePairResult(PairResult result) {
    return Bytes{static_cast<std::uint8_t>(result)};
}

ProtocolResult<PairResult> decodePairResult(ByteView data) {
    if (data.size() != 1 || data[0] > static_cast<std::uint8_t>(PairResult::AlreadyBound)) {
        return tl::unexpected(ProtocolError::BadPayload);
    }
    return static_cast<PairResult>(data[0]);
}

}  // namespace lockhub::protocol::tuya
