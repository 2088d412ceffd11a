// Holds a discovery document to the key lists derived from Home Assistant's source
// (tests/unit/app/data/ha-discovery-keys.json names where each list comes from): every problem
// Home Assistant would reject the device for, or silently drop a key for, as one line each.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace lockhub::test {

inline nlohmann::json haDiscoveryKeys() {
    std::ifstream in(std::string(LOCKHUB_SOURCE_DIR) +
                     "/tests/unit/app/data/ha-discovery-keys.json");
    return nlohmann::json::parse(in);
}

class HaDiscoveryChecker {
public:
    HaDiscoveryChecker() : keys_(haDiscoveryKeys()) {}

    // An empty list when Home Assistant accepts `doc` as a device discovery payload and keeps
    // every key in it; unique ids must also be unique across every document checked.
    std::vector<std::string> problems(const nlohmann::json& doc) {
        std::vector<std::string> out;
        if (!doc.is_object()) {
            return {"/: not an object"};
        }
        allowed(doc, keys_["root"], "", out);
        required(doc, keys_["root_required"], "", out);
        if (doc.contains("device")) {
            const auto& device = doc["device"];
            allowed(device, keys_["device"], "/device", out);
            const bool identified =
                (device.contains("identifiers") && !device["identifiers"].empty()) ||
                (device.contains("connections") && !device["connections"].empty());
            if (!identified) {
                out.push_back("/device: needs identifiers or connections");
            }
            for (const auto& connection : device.value("connections", nlohmann::json::array())) {
                if (!connection.is_array() || connection.size() != 2 ||
                    !connection[0].is_string() || !connection[1].is_string()) {
                    out.push_back("/device/connections: each must be a [type, value] pair");
                }
            }
        }
        if (doc.contains("origin")) {
            allowed(doc["origin"], keys_["origin"], "/origin", out);
            required(doc["origin"], keys_["origin_required"], "/origin", out);
        }
        availability(doc, "", out);
        if (doc.contains("components")) {
            for (const auto& [id, component] : doc["components"].items()) {
                checkComponent("/components/" + id, component, out);
            }
        }
        return out;
    }

private:
    static bool listed(const nlohmann::json& list, const std::string& key) {
        return std::find(list.begin(), list.end(), key) != list.end();
    }
    static void allowed(const nlohmann::json& object, const nlohmann::json& list,
                        const std::string& where, std::vector<std::string>& out) {
        if (!object.is_object()) {
            out.push_back(where + ": not an object");
            return;
        }
        for (const auto& [key, value] : object.items()) {
            if (!listed(list, key)) {
                out.push_back(where + "/" + key + ": not a key Home Assistant accepts here");
            }
        }
    }
    static void required(const nlohmann::json& object, const nlohmann::json& list,
                         const std::string& where, std::vector<std::string>& out) {
        for (const auto& key : list) {
            if (!object.contains(key.get<std::string>())) {
                out.push_back(where + "/" + key.get<std::string>() + ": required");
            }
        }
    }
    void availability(const nlohmann::json& object, const std::string& where,
                      std::vector<std::string>& out) {
        if (object.contains("availability")) {
            for (const auto& entry : object["availability"]) {
                allowed(entry, keys_["availability_entry"], where + "/availability", out);
                if (!entry.contains("topic")) {
                    out.push_back(where + "/availability: an entry without topic");
                }
            }
        }
        if (object.contains("availability_mode") &&
            !listed(keys_["availability_modes"], object["availability_mode"])) {
            out.push_back(where + "/availability_mode: not all, any or latest");
        }
    }
    void checkComponent(const std::string& where, const nlohmann::json& component,
                        std::vector<std::string>& out) {
        if (!component.is_object() || !component.contains("platform") ||
            !component["platform"].is_string()) {
            out.push_back(where + ": needs a platform");
            return;
        }
        const std::string platform = component["platform"];
        if (!keys_["platforms"].contains(platform)) {
            out.push_back(where + ": platform " + platform + " is not in the key list");
            return;
        }
        if (component.size() == 1) {
            return;  // HA's form for removing the component
        }
        const auto& spec = keys_["platforms"][platform];
        const bool entity = spec["entity"];
        for (const auto& [key, value] : component.items()) {
            if (!listed(spec["keys"], key) && !(entity && listed(keys_["entity_common"], key))) {
                out.push_back(where + "/" + key + ": not a key of HA's " + platform + " schema");
            }
        }
        required(component, spec["required"], where, out);
        if (entity) {
            if (!component.contains("unique_id") || !component["unique_id"].is_string() ||
                component["unique_id"].get<std::string>().empty()) {
                out.push_back(where + ": an entity component needs a unique_id");
            } else if (!uniqueIds_.insert(component["unique_id"].get<std::string>()).second) {
                out.push_back(where + ": unique_id " + component["unique_id"].dump() +
                              " is used twice");
            }
        }
        if (component.contains("entity_category") &&
            !listed(keys_["entity_categories"], component["entity_category"])) {
            out.push_back(where + "/entity_category: not config or diagnostic");
        }
        if (platform == "event") {
            const auto& types = component.value("event_types", nlohmann::json());
            const bool strings = types.is_array() && !types.empty() &&
                                 std::all_of(types.begin(), types.end(),
                                             [](const auto& t) { return t.is_string(); });
            if (!strings) {
                out.push_back(where + "/event_types: must be a non-empty list of strings");
            }
        }
        availability(component, where, out);
    }

    nlohmann::json keys_;
    std::set<std::string> uniqueIds_;
};

}  // namespace lockhub::test
