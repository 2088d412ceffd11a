// Bounds-checked big-endian reads over a DP payload: every read reports failure instead of
// running past the end, so malformed hub writes are refused without undefined behaviour.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace lockhub::sim {

class ByteReader {
public:
    explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    bool u8(std::uint8_t& out) {
        return take(1, [&](auto p) { out = p[0]; });
    }
    bool u16(std::uint16_t& out) {
        return take(2, [&](auto p) { out = static_cast<std::uint16_t>(p[0] << 8 | p[1]); });
    }
    bool u32(std::uint32_t& out) {
        return take(4, [&](auto p) {
            out = static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
                  static_cast<std::uint32_t>(p[2]) << 8 | p[3];
        });
    }
    bool bytes(std::size_t count, std::vector<std::uint8_t>& out) {
        return take(count, [&](auto p) { out.assign(p, p + count); });
    }
    bool done() const { return offset_ == bytes_.size(); }

private:
    template <typename Fn>
    bool take(std::size_t count, Fn fn) {
        if (bytes_.size() - offset_ < count) {
            return false;
        }
        fn(bytes_.data() + offset_);
        offset_ += count;
        return true;
    }

    std::span<const std::uint8_t> bytes_;
    std::size_t offset_ = 0;
};

inline void putU16(std::vector<std::uint8_t>& out, std::uint16_t value) {
    out.push_back(static_cast<std::uint8_t>(value >> 8));
    out.push_back(static_cast<std::uint8_t>(value));
}

}  // namespace lockhub::sim
