#include "sim/host/IdentityJson.h"

#include <algorithm>
#include <regex>

#include "domain/lock/LockAddress.h"

namespace lockhub::sim {
namespace {

using nlohmann::json;

bool printable(const std::string& text) {
    return std::all_of(text.begin(), text.end(),
                       [](unsigned char c) { return c > 0x20 && c < 0x7F; });
}

Result<std::string> text(const json& object, const char* key, const std::string& fallback,
                         std::size_t minSize, std::size_t maxSize) {
    const auto found = object.find(key);
    if (found == object.end()) {
        return fallback;
    }
    const json& value = *found;
    if (!value.is_string()) {
        return fail(Errc::Config, std::string(key) + ": expected a string");
    }
    auto s = value.get<std::string>();
    if (s.size() < minSize || s.size() > maxSize || !printable(s)) {
        return fail(Errc::Config, std::string(key) + ": expected " + std::to_string(minSize) + "-" +
                                      std::to_string(maxSize) + " printable ASCII characters");
    }
    return s;
}

// Milliseconds within what a BLE lock's radio timing can be (the 20 ms advertising minimum, an
// interval of minutes at most).
Result<void> assignMillis(const json& object, const char* key, std::chrono::milliseconds& field) {
    if (!object.contains(key)) {
        return {};
    }
    const auto& value = object.at(key);
    if (!value.is_number_unsigned() || value.get<std::uint64_t>() < 20 ||
        value.get<std::uint64_t>() > 600000) {
        return fail(Errc::Config, std::string(key) + ": expected 20-600000 (milliseconds)");
    }
    field = std::chrono::milliseconds(value.get<std::int64_t>());
    return {};
}

}  // namespace

json identityToJson(const SimLockIdentity& identity) {
    return {{"name", identity.name},
            {"mac", identity.mac},
            {"adapter", identity.adapter},
            {"product_id", identity.productId},
            {"uuid", identity.uuid},
            {"device_id", identity.deviceId},
            {"local_key", identity.localKey},
            {"protocol", static_cast<int>(identity.protocol)},
            {"gatt", identity.gatt == GattGeneration::Fd50 ? "fd50" : "1910"},
            {"power", identity.power.battery() ? "battery" : "mains"},
            {"advertising_interval_ms", identity.power.advertisingInterval.count()},
            {"idle_timeout_ms", identity.power.idleTimeout.count()}};
}

Result<SimLockIdentity> identityFromJson(const json& overrides, SimLockIdentity base) {
    if (!overrides.is_object()) {
        return fail(Errc::Config, "lock: expected a JSON object");
    }
    static const std::vector<std::string> kKeys = {"name",
                                                   "mac",
                                                   "adapter",
                                                   "product_id",
                                                   "uuid",
                                                   "device_id",
                                                   "local_key",
                                                   "protocol",
                                                   "gatt",
                                                   "power",
                                                   "advertising_interval_ms",
                                                   "idle_timeout_ms"};
    for (const auto& [key, value] : overrides.items()) {
        if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
            return fail(Errc::Config, key + ": unknown key");
        }
    }
    SimLockIdentity identity = std::move(base);
    auto assign = [&](const char* key, std::string& field, std::size_t minSize,
                      std::size_t maxSize) -> Result<void> {
        auto value = text(overrides, key, field, minSize, maxSize);
        if (!value) {
            return tl::unexpected(value.error());
        }
        field = *value;
        return {};
    };
    for (auto result :
         {assign("name", identity.name, 1, 64), assign("mac", identity.mac, 17, 17),
          assign("adapter", identity.adapter, 4, 8),
          assign("product_id", identity.productId, 1, 16), assign("uuid", identity.uuid, 16, 16),
          assign("device_id", identity.deviceId, 1, 22),
          assign("local_key", identity.localKey, 6, 64)}) {
        if (!result) {
            return tl::unexpected(result.error());
        }
    }
    if (domain::normalizedMac(identity.mac) != identity.mac) {
        return fail(Errc::Config, "mac: expected AA:BB:CC:DD:EE:FF in upper-case hex");
    }
    static const std::regex kAdapter("^hci[0-9]{1,3}$");
    if (!std::regex_match(identity.adapter, kAdapter)) {
        return fail(Errc::Config, "adapter: expected hciN");
    }
    static const std::regex kName("^[A-Za-z0-9_.-]+$");
    if (!std::regex_match(identity.name, kName)) {
        return fail(Errc::Config, "name: expected letters, digits, '_', '.' or '-'");
    }
    if (const auto found = overrides.find("protocol"); found != overrides.end()) {
        const json& protocol = *found;
        if (!protocol.is_number_integer() || (protocol != 3 && protocol != 4)) {
            return fail(Errc::Config, "protocol: expected 3 or 4");
        }
        identity.protocol = protocol == 3 ? protocol::tuya::ProtocolVersion::V3
                                          : protocol::tuya::ProtocolVersion::V4;
    }
    if (const auto found = overrides.find("gatt"); found != overrides.end()) {
        const json& gatt = *found;
        if (gatt != "1910" && gatt != "fd50") {
            return fail(Errc::Config, "gatt: expected \"1910\" or \"fd50\"");
        }
        identity.gatt = gatt == "fd50" ? GattGeneration::Fd50 : GattGeneration::Classic1910;
    }
    if (overrides.contains("power")) {
        const auto& power = overrides.at("power");
        if (power != "battery" && power != "mains") {
            return fail(Errc::Config, "power: expected \"battery\" or \"mains\"");
        }
        identity.power.source = power == "battery" ? PowerSource::Battery : PowerSource::Mains;
    }
    for (auto result :
         {assignMillis(overrides, "advertising_interval_ms", identity.power.advertisingInterval),
          assignMillis(overrides, "idle_timeout_ms", identity.power.idleTimeout)}) {
        if (!result) {
            return tl::unexpected(result.error());
        }
    }
    return identity;
}

}  // namespace lockhub::sim
