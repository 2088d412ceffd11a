#include "app/DiscoveryDocument.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace lockhub {
namespace {

using domain::EventKind;
using nlohmann::json;

// HA's event entity and device triggers read `<lock>/event` as it is; these kinds are the ones
// the event entity reports besides the unlocks (one type per method).
constexpr EventKind kEntityEvents[] = {EventKind::Lock, EventKind::Alarm, EventKind::Duress,
                                       EventKind::Doorbell, EventKind::WrongCode};

// The methods a lock with this profile can report an unlock with, in the enum's order.
std::vector<domain::UnlockMethod> unlockMethods(const domain::DpProfile& profile) {
    std::set<domain::UnlockMethod> methods;
    for (const auto& dp : profile.dps) {
        if (dp.role == domain::DpRole::UnlockRecord && dp.method) {
            methods.insert(*dp.method);
        }
        if (dp.role == domain::DpRole::OfflineCode &&
            dp.codeAction.value_or(domain::OfflineCodeAction::Unlock) ==
                domain::OfflineCodeAction::Unlock) {
            methods.insert(domain::UnlockMethod::Offline);
        }
    }
    return {methods.begin(), methods.end()};
}

json origin(const DiscoveryContext& context) {
    json out = {{"name", "lockhub"}, {"sw_version", context.swVersion}};
    if (!context.supportUrl.empty()) {
        out["support_url"] = context.supportUrl;
    }
    return out;
}

std::string lower(std::string text) {
    std::ranges::transform(text, text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

// The event entity's type for one `<lock>/event` payload: `unlock_<method>` or the event's own
// name; anything else renders empty, which HA ignores without a warning (its event platform
// warns about a type missing from event_types). HA's event platform pops `event_type` from the
// rendered JSON object and keeps the other keys as attributes, so the payload stays as it is.
std::string eventTemplate() {
    std::string kinds;
    for (EventKind kind : kEntityEvents) {
        kinds += (kinds.empty() ? "'" : ", '") + std::string(domain::eventKindName(kind)) + "'";
    }
    return "{% set e = value_json.event %}"
           "{% set t = ('unlock_' ~ value_json.method) if e == 'unlock' else (e if e in [" +
           kinds +
           "] else '') %}"
           "{{ (dict(value_json, event_type=t) | to_json) if t else '' }}";
}

json lockComponent(const DiscoveryContext& context, const std::string& base,
                   const std::string& uniqueId) {
    json lock = {
        {"platform", "lock"},
        {"unique_id", uniqueId},
        {"name", nullptr},  // the entity is the device itself
        {"command_topic", base + "/set"},
        {"state_topic", base + "/state"},
        {"value_template", "{{ value_json.lock }}"},
        {"payload_lock", "LOCK"},
        {"payload_unlock", "UNLOCK"},
        {"state_locked", "locked"},
        {"state_unlocked", "unlocked"},
        {"state_locking", "locking"},
        {"state_unlocking", "unlocking"},
        {"state_jammed", "jammed"},
        // The hub's `unknown` (no confirmed bolt position) is HA's unknown, not a stale state.
        {"payload_reset", "unknown"},
    };
    if (context.requireCode) {
        // HA checks the code against code_format before it renders the command; the template
        // sends it in the JSON form of `<lock>/set`, and only then: a lock without a code
        // keeps the bare LOCK/UNLOCK.
        lock["code_format"] = "^[0-9]{4,12}$";
        lock["command_template"] = "{{ {'state': value, 'code': code} | to_json }}";
    }
    return lock;
}

json stateSensor(const std::string& platform, const std::string& uniqueId, const std::string& name,
                 const std::string& topic, const std::string& value,
                 const std::string& deviceClass) {
    return {{"platform", platform}, {"unique_id", uniqueId},   {"name", name},
            {"state_topic", topic}, {"value_template", value}, {"device_class", deviceClass}};
}

// Alarm state as the alarms service retains it: {"active": true|false, "since", "count"}.
std::string alarmTopic(const std::string& base, domain::AlarmKind alarm) {
    return base + "/alarm/" + std::string(domain::alarmKindName(alarm));
}

constexpr const char* kActiveTemplate = "{{ 'ON' if value_json.active else 'OFF' }}";

json trigger(const std::string& eventTopic, const std::string& type, const std::string& subtype,
             const std::string& valueTemplate, const std::string& payload) {
    return {{"platform", "device_automation"},
            {"automation_type", "trigger"},
            {"topic", eventTopic},
            {"type", type},
            {"subtype", subtype},
            {"value_template", valueTemplate},
            {"payload", payload}};
}

}  // namespace

std::string hubObjectId(const std::string& hubId) {
    return "lockhub_" + hubId;
}

std::string lockObjectId(const std::string& hubId, const std::string& lockTopic) {
    return "lockhub_" + hubId + "_" + lockTopic;
}

json hubDiscovery(const DiscoveryContext& context) {
    const std::string id = hubObjectId(context.hubId);
    return {
        {"device",
         {{"identifiers", json::array({id})},
          {"name", "lockhub " + context.hubId},
          {"manufacturer", "lockhub"},
          {"model", "lockhub bridge"},
          {"sw_version", context.swVersion}}},
        {"origin", origin(context)},
        {"components",
         {{"connectivity",
           {{"platform", "binary_sensor"},
            {"unique_id", id + "_connectivity"},
            {"name", "Connectivity"},
            {"state_topic", context.baseTopic + "/bridge/state"},
            {"payload_on", "online"},
            {"payload_off", "offline"},
            {"device_class", "connectivity"},
            {"entity_category", "diagnostic"}}}}},
    };
}

json lockDiscovery(const DiscoveryContext& context, const DiscoveredLock& lock) {
    const std::string id = lockObjectId(context.hubId, lock.topic);
    const std::string base = context.baseTopic + "/" + lock.topic;
    const std::string state = base + "/state";
    const std::string events = base + "/event";
    auto uid = [&id](const std::string& component) { return id + "_" + component; };

    json device = {{"identifiers", json::array({id})},
                   {"connections", json::array({json::array({"mac", lower(lock.mac)})})},
                   {"name", lock.name},
                   {"manufacturer", "Tuya"},
                   {"model", lock.profile.name},
                   {"via_device", hubObjectId(context.hubId)}};
    if (!lock.productId.empty()) {
        device["model_id"] = lock.productId;
    }

    json components = json::object();
    components["lock"] = lockComponent(context, base, uid("lock"));
    // The lockout's level (LockoutPublisher): `active`, and while active `since`, `until` and
    // `duration_s`, as the lock entity's attributes and as a problem sensor of its own.
    const std::string lockout = base + "/lockout";
    components["lock"]["json_attributes_topic"] = lockout;
    components["battery"] = stateSensor("sensor", uid("battery"), "Battery", state,
                                        "{{ value_json.battery }}", "battery");
    components["battery"]["unit_of_measurement"] = "%";
    components["battery"]["state_class"] = "measurement";
    components["battery"]["entity_category"] = "diagnostic";
    if (lock.profile.findRole(domain::DpRole::Door) != nullptr) {
        components["door"] = stateSensor("binary_sensor", uid("door"), "Door", state,
                                         "{{ value_json.door }}", "door");
        components["door"]["payload_on"] = "open";
        components["door"]["payload_off"] = "closed";
    }
    components["tamper"] =
        stateSensor("binary_sensor", uid("tamper"), "Tamper",
                    alarmTopic(base, domain::AlarmKind::Pry), kActiveTemplate, "tamper");
    components["low_battery"] =
        stateSensor("binary_sensor", uid("low_battery"), "Battery low",
                    alarmTopic(base, domain::AlarmKind::LowBattery), kActiveTemplate, "battery");
    components["jammed"] =
        stateSensor("binary_sensor", uid("jammed"), "Jammed", state,
                    "{{ 'ON' if value_json.lock == 'jammed' else 'OFF' }}", "problem");
    components["jammed"]["entity_category"] = "diagnostic";
    components["lockout"] = stateSensor("binary_sensor", uid("lockout"), "Code lockout", lockout,
                                        kActiveTemplate, "problem");

    const auto methods = unlockMethods(lock.profile);
    json types = json::array();
    for (auto method : methods) {
        types.push_back("unlock_" + std::string(domain::unlockMethodName(method)));
    }
    for (EventKind kind : kEntityEvents) {
        types.push_back(domain::eventKindName(kind));
    }
    components["event"] = {{"platform", "event"},  {"unique_id", uid("event")},
                           {"name", "Activity"},   {"state_topic", events},
                           {"event_types", types}, {"value_template", eventTemplate()}};

    const std::string unlock(domain::eventKindName(EventKind::Unlock));
    for (auto method : methods) {
        const std::string name(domain::unlockMethodName(method));
        components["unlocked_with_" + name] =
            trigger(events, "unlocked_with", name,
                    "{{ value_json.event }}:{{ value_json.get('method') }}", unlock + ":" + name);
    }
    // Keyed by the user's id, which never changes: a rename updates the trigger in place.
    for (const auto& user : lock.holders) {
        const std::string userId = std::to_string(user.id);
        components["unlocked_by_user_" + userId] =
            trigger(events, "unlocked_by", user.name,
                    "{{ value_json.event }}:{{ (value_json.user or {}).get('id') }}",
                    unlock + ":" + userId);
    }

    return {
        {"device", device},
        {"origin", origin(context)},
        // Both must be up: the bridge (its will says offline) and the lock's own link.
        {"availability", json::array({json{{"topic", context.baseTopic + "/bridge/state"}},
                                      json{{"topic", base + "/availability"}}})},
        {"availability_mode", "all"},
        {"components", components},
    };
}

json withRemovals(const json& next, const json& previous) {
    json document = next;
    for (const auto& [key, component] : previous.at("components").items()) {
        if (!document["components"].contains(key)) {
            document["components"][key] = {{"platform", component.at("platform")}};
        }
    }
    return document;
}

}  // namespace lockhub
