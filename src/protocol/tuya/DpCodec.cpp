#include "protocol/tuya/DpCodec.h"

#include <optional>

#include "protocol/tuya/BigEndian.h"

namespace lockhub::protocol::tuya {

namespace {

constexpr std::size_t kMaxTypeCode = 5;

bool isWidth(std::size_t width) {
    return width == 1 || width == 2 || width == 4;
}

std::uint8_t minimalWidth(std::uint32_t value) {
    if (value <= UINT8_MAX) {
        return 1;
    }
    return value <= UINT16_MAX ? 2 : 4;
}

void appendUnsigned(Bytes& out, std::uint32_t value, std::size_t width) {
    for (std::size_t i = width; i-- > 0;) {
        out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
    }
}

std::uint32_t readUnsigned(ByteView bytes) {
    std::uint32_t value = 0;
    for (std::uint8_t byte : bytes) {
        value = (value << 8) | byte;
    }
    return value;
}

struct ValueEncoder {
    Bytes& out;

    std::optional<ProtocolError> operator()(const Bytes& raw) const {
        out.insert(out.end(), raw.begin(), raw.end());
        return std::nullopt;
    }
    std::optional<ProtocolError> operator()(bool on) const {
        out.push_back(on ? 1 : 0);
        return std::nullopt;
    }
    std::optional<ProtocolError> operator()(std::int32_t value) const {
        appendBe32(out, static_cast<std::uint32_t>(value));
        return std::nullopt;
    }
    std::optional<ProtocolError> operator()(const std::string& text) const {
        out.insert(out.end(), text.begin(), text.end());
        return std::nullopt;
    }
    std::optional<ProtocolError> operator()(DpEnum value) const {
        appendUnsigned(out, value.value, minimalWidth(value.value));
        return std::nullopt;
    }
    std::optional<ProtocolError> operator()(DpBitmap bitmap) const {
        if (!isWidth(bitmap.width) || minimalWidth(bitmap.bits) > bitmap.width) {
            return ProtocolError::DpBadValueSize;
        }
        appendUnsigned(out, bitmap.bits, bitmap.width);
        return std::nullopt;
    }
};

ProtocolResult<DpValue> decodeValue(DpType type, ByteView value) {
    switch (type) {
        case DpType::Raw:
            return DpValue{Bytes(value.begin(), value.end())};
        case DpType::Bool:
            if (value.size() != 1) {
                return tl::unexpected(ProtocolError::DpBadValueSize);
            }
            return DpValue{value[0] != 0};
        case DpType::Value:
            if (value.size() != 4) {
                return tl::unexpected(ProtocolError::DpBadValueSize);
            }
            return DpValue{static_cast<std::int32_t>(readBe32(value, 0))};
        case DpType::String:
            return DpValue{std::string(value.begin(), value.end())};
        case DpType::Enum:
            if (!isWidth(value.size())) {
                return tl::unexpected(ProtocolError::DpBadValueSize);
            }
            return DpValue{DpEnum{readUnsigned(value)}};
        case DpType::Bitmap:
            if (!isWidth(value.size())) {
                return tl::unexpected(ProtocolError::DpBadValueSize);
            }
            return DpValue{DpBitmap{readUnsigned(value), static_cast<std::uint8_t>(value.size())}};
    }
    return tl::unexpected(ProtocolError::DpUnknownType);
}

}  // namespace

ProtocolResult<Bytes> encodeDps(std::span<const Dp> dps, ProtocolVersion version) {
    const bool wide = version != ProtocolVersion::V3;
    const std::size_t maxLength = wide ? UINT16_MAX : UINT8_MAX;
    Bytes out;
    Bytes value;
    for (const Dp& dp : dps) {
        value.clear();
        if (const auto error = std::visit(ValueEncoder{value}, dp.value)) {
            return tl::unexpected(*error);
        }
        if (value.size() > maxLength) {
            return tl::unexpected(ProtocolError::DpTooLong);
        }
        out.push_back(dp.id);
        out.push_back(static_cast<std::uint8_t>(dp.type()));
        if (wide) {
            appendBe16(out, static_cast<std::uint16_t>(value.size()));
        } else {
            out.push_back(static_cast<std::uint8_t>(value.size()));
        }
        out.insert(out.end(), value.begin(), value.end());
    }
    return out;
}

ProtocolResult<std::vector<Dp>> decodeDps(ByteView bytes, ProtocolVersion version) {
    const std::size_t headerSize = version == ProtocolVersion::V3 ? 3 : 4;
    std::vector<Dp> dps;
    std::size_t offset = 0;
    while (offset < bytes.size()) {
        const ByteView rest = bytes.subspan(offset);
        if (rest.size() < headerSize) {
            return tl::unexpected(ProtocolError::DpTruncated);
        }
        if (rest[1] > kMaxTypeCode) {
            return tl::unexpected(ProtocolError::DpUnknownType);
        }
        const std::size_t length = headerSize == 3 ? rest[2] : readBe16(rest, 2);
        if (rest.size() - headerSize < length) {
            return tl::unexpected(ProtocolError::DpTruncated);
        }
        auto value = decodeValue(static_cast<DpType>(rest[1]), rest.subspan(headerSize, length));
        if (!value) {
            return tl::unexpected(value.error());
        }
        dps.push_back(Dp{rest[0], std::move(*value)});
        offset += headerSize + length;
    }
    return dps;
}

}  // namespace lockhub::protocol::tuya
