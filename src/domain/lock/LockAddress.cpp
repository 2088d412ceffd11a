#include "domain/lock/LockAddress.h"

#include <algorithm>
#include <cctype>

namespace lockhub::domain {
namespace {

constexpr std::size_t kMaxTopic = 64;
constexpr std::size_t kMacSize = 17;  // "AA:BB:CC:DD:EE:FF"

}  // namespace

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return text;
}

std::optional<std::string> normalizedMac(std::string_view mac) {
    if (mac.size() != kMacSize) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < mac.size(); ++i) {
        const auto c = static_cast<unsigned char>(mac[i]);
        if (i % 3 == 2 ? c != ':' : std::isxdigit(c) == 0) {
            return std::nullopt;
        }
    }
    return upper(std::string(mac));
}

bool isTopic(std::string_view topic) {
    return !topic.empty() && topic.size() <= kMaxTopic && topic != "bridge" &&
           std::all_of(topic.begin(), topic.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
           });
}

}  // namespace lockhub::domain
