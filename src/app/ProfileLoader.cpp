#include "app/ProfileLoader.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "app/JsonReader.h"
#include "domain/lock/DpRecord.h"

namespace lockhub {
namespace {

using domain::DpRole;
using domain::DpSpec;
using nlohmann::json;

// The keys each role may carry beyond id, role, type and name.
bool keyUsedBy(DpRole role, std::string_view key) {
    if (key == "values") {
        return role == DpRole::Motor || role == DpRole::BatteryLevel || role == DpRole::Door ||
               role == DpRole::Alarm;
    }
    if (key == "results") {
        return role == DpRole::BleUnlock || role == DpRole::RemoteSetKey ||
               role == DpRole::RemoteUnlock || role == DpRole::CheckCodeUnlock;
    }
    if (key == "method" || key == "credential" || key == "id_offset") {
        return role == DpRole::UnlockRecord;
    }
    if (key == "action") {
        return role == DpRole::OfflineCode;
    }
    return true;
}

constexpr std::string_view kRoleKeys[] = {"values",     "results",   "method",
                                          "credential", "id_offset", "action"};

// Parses a name with `parse` and reports `what` at `path` when it is not one.
template <typename Parse>
auto named(const std::string& path, std::string_view what, const std::string& name, Parse parse,
           std::string& error) {
    auto parsed = parse(name);
    if (!parsed && error.empty()) {
        error = path + ": unknown " + std::string(what) + " \"" + name + "\"";
    }
    return parsed;
}

// A value-table key: "true"/"false" for bool DPs, else a decimal 32-bit unsigned integer.
std::optional<std::uint32_t> tableKey(const std::string& key, std::uint8_t type) {
    if (type == domain::dptype::kBool) {
        if (key == "true" || key == "false") {
            return key == "true" ? 1U : 0U;
        }
        return std::nullopt;
    }
    std::uint32_t value = 0;
    const auto* end = key.data() + key.size();
    auto [ptr, ec] = std::from_chars(key.data(), end, value);
    if (key.empty() || ec != std::errc() || ptr != end) {
        return std::nullopt;
    }
    return value;
}

// Reads {"<value>": "<name>", …} into `table`, each name parsed by `parse`.
template <typename T, typename Parse>
void readTable(const json& object, const std::string& path, std::uint8_t type,
               std::string_view what, Parse parse, std::map<std::uint32_t, T>& table,
               std::string& error) {
    if (!object.is_object()) {
        error = path + ": expected an object, got " + std::string(jsonTypeName(object));
        return;
    }
    for (const auto& [key, value] : object.items()) {
        const std::string at = path + "/" + key;
        const auto number = tableKey(key, type);
        if (!number) {
            error = at + (type == domain::dptype::kBool
                              ? ": a bool dp's values are keyed \"true\" and \"false\""
                              : ": expected a decimal value from 0 to 4294967295 as the key");
            return;
        }
        if (!value.is_string()) {
            error = at + ": expected a string (" + std::string(what) + "), got " +
                    std::string(jsonTypeName(value));
            return;
        }
        auto parsed = named(at, what, value.template get<std::string>(), parse, error);
        if (!parsed) {
            return;
        }
        table.emplace(*number, *parsed);
    }
}

std::optional<std::string> resultName(std::string_view name) {
    const bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
    return valid ? std::optional<std::string>(name) : std::nullopt;
}

void readValues(const json& values, const std::string& path, DpSpec& spec, std::string& error) {
    switch (spec.role) {
        case DpRole::Motor:
            return readTable(values, path, spec.type, "lock state", domain::parseLockState,
                             spec.lockStates, error);
        case DpRole::BatteryLevel:
            return readTable(values, path, spec.type, "battery level", domain::parseBatteryLevel,
                             spec.batteryLevels, error);
        case DpRole::Door:
            return readTable(values, path, spec.type, "door state", domain::parseDoorState,
                             spec.doorStates, error);
        default:
            return readTable(values, path, spec.type, "alarm", domain::parseAlarmKind, spec.alarms,
                             error);
    }
}

void readRoleKeys(const json& entry, JsonReader& reader, const std::string& path, DpSpec& spec,
                  std::string& error) {
    for (auto key : kRoleKeys) {
        if (entry.contains(key) && !keyUsedBy(spec.role, key)) {
            error = path + "/" + std::string(key) + ": not used by role " +
                    std::string(domain::dpRoleName(spec.role));
            return;
        }
        reader.skip(key);
    }
    if (spec.role == DpRole::UnlockRecord) {
        std::string method, credential;
        reader.required("method");
        reader.required("credential");
        reader.nonEmptyString("method", method);
        reader.nonEmptyString("credential", credential);
        std::int64_t offset = 0;
        reader.integer("id_offset", 0, std::numeric_limits<std::uint32_t>::max(), offset);
        if (!reader.ok()) {
            return;
        }
        spec.method =
            named(path + "/method", "unlock method", method, domain::parseUnlockMethod, error);
        if (auto source = named(path + "/credential", "credential source", credential,
                                domain::parseCredentialSource, error)) {
            spec.credential = *source;
        }
        spec.idOffset = static_cast<std::uint32_t>(offset);
    } else if (spec.role == DpRole::OfflineCode) {
        std::string action;
        reader.required("action");
        reader.nonEmptyString("action", action);
        if (reader.ok()) {
            spec.codeAction = named(path + "/action", "offline-code action", action,
                                    domain::parseOfflineCodeAction, error);
        }
    } else if (keyUsedBy(spec.role, "values")) {
        reader.required("values");
        if (reader.ok()) {
            readValues(entry.at("values"), path + "/values", spec, error);
        }
    } else if (keyUsedBy(spec.role, "results")) {
        reader.required("results");
        if (reader.ok()) {
            readTable(entry.at("results"), path + "/results", domain::dptype::kValue,
                      "result reason", resultName, spec.results, error);
        }
    }
}

std::optional<DpSpec> readDp(const json& entry, const std::string& path, std::string& error) {
    if (!entry.is_object()) {
        error = path + ": expected an object, got " + std::string(jsonTypeName(entry));
        return std::nullopt;
    }
    JsonReader reader(entry, path);
    DpSpec spec;
    std::int64_t id = 0;
    std::string role, type;
    reader.required("id");
    reader.required("role");
    reader.required("type");
    reader.integer("id", 1, std::numeric_limits<std::uint8_t>::max(), id);
    reader.nonEmptyString("role", role);
    reader.nonEmptyString("type", type);
    reader.string("name", spec.name);
    if (!reader.ok()) {
        error = reader.error();
        return std::nullopt;
    }
    spec.id = static_cast<std::uint8_t>(id);
    auto parsedRole = named(path + "/role", "role", role, domain::parseDpRole, error);
    auto parsedType = named(path + "/type", "dp type", type, domain::parseDpType, error);
    if (!parsedRole || !parsedType) {
        return std::nullopt;
    }
    spec.role = *parsedRole;
    spec.type = *parsedType;
    readRoleKeys(entry, reader, path, spec, error);
    if (error.empty()) {
        reader.rejectUnknownKeys();
        error = reader.error();
    }
    return error.empty() ? std::optional<DpSpec>(std::move(spec)) : std::nullopt;
}

void readCommands(JsonReader& reader, domain::DpProfile& profile, std::string& error) {
    std::string unlock = "none", lock = "none";
    reader.nonEmptyString("unlock", unlock);
    reader.nonEmptyString("lock", lock);
    reader.rejectUnknownKeys();
    if (!reader.ok()) {
        return;
    }
    if (auto flow =
            named("/commands/unlock", "command flow", unlock, domain::parseCommandFlow, error)) {
        profile.unlockFlow = *flow;
    }
    if (auto flow =
            named("/commands/lock", "command flow", lock, domain::parseCommandFlow, error)) {
        profile.lockFlow = *flow;
    }
}

Result<std::string> readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail(Errc::Config, path.string() + ": cannot be read");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

Result<domain::DpProfile> parseProfile(const std::string& text) {
    const auto document = json::parse(text, nullptr, false, /*ignore_comments=*/true);
    if (document.is_discarded()) {
        return fail(Errc::Config, "not valid JSON (check quotes, commas and braces)");
    }
    if (!document.is_object()) {
        return fail(Errc::Config, std::string("/: expected an object, got ") +
                                      std::string(jsonTypeName(document)));
    }
    domain::DpProfile profile;
    JsonReader root(document, "");
    root.required("name");
    root.required("dps");
    root.nonEmptyString("name", profile.name);
    root.string("description", profile.description);
    root.skip("dps");
    std::string error;
    if (auto commands = root.object("commands")) {
        readCommands(*commands, profile, error);
    }
    root.rejectUnknownKeys();
    if (!root.ok()) {
        return fail(Errc::Config, root.error());
    }
    const auto& dps = document.at("dps");
    if (error.empty() && !dps.is_array()) {
        error = "/dps: expected an array, got " + std::string(jsonTypeName(dps));
    }
    for (std::size_t i = 0; error.empty() && i < dps.size(); ++i) {
        if (auto spec = readDp(dps[i], "/dps/" + std::to_string(i), error)) {
            profile.dps.push_back(std::move(*spec));
        }
    }
    if (!error.empty()) {
        return fail(Errc::Config, error);
    }
    if (auto valid = domain::validateProfile(profile); !valid) {
        return tl::unexpected(valid.error());
    }
    return profile;
}

Result<std::map<std::string, domain::DpProfile>> loadProfiles(
    const std::filesystem::path& directory) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (it->path().extension() == ".json") {
            files.push_back(it->path());
        }
    }
    if (ec) {
        return fail(Errc::Config, directory.string() + ": cannot list profiles: " + ec.message());
    }
    std::sort(files.begin(), files.end());  // the first error reported is the same every run
    std::map<std::string, domain::DpProfile> profiles;
    for (const auto& file : files) {
        auto text = readFile(file);
        if (!text) {
            return tl::unexpected(text.error());
        }
        auto profile = parseProfile(*text);
        if (!profile) {
            return fail(Errc::Config, file.filename().string() + ": " + profile.error().message);
        }
        if (profile->name != file.stem().string()) {
            return fail(Errc::Config, file.filename().string() + ": /name: \"" + profile->name +
                                          "\" must equal the file name without .json");
        }
        profiles.emplace(profile->name, std::move(*profile));
    }
    return profiles;
}

}  // namespace lockhub
