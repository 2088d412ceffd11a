#include "app/ProfileLoader.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "app/JsonReader.h"
#include "app/Log.h"
#include "domain/lock/DpRecord.h"

namespace lockhub {
namespace {

using domain::DpRole;
using domain::DpSpec;
using nlohmann::json;

constexpr std::string_view kProfilesTag = "profiles";

// The keys each role may carry beyond id, role, type and name.
bool keyUsedBy(DpRole role, std::string_view key) {
    if (key == "values") {
        return role == DpRole::Motor || role == DpRole::BatteryLevel || role == DpRole::Door ||
               role == DpRole::Alarm;
    }
    if (key == "results") {
        return role == DpRole::BleUnlock || role == DpRole::RemoteSetKey ||
               role == DpRole::RemoteUnlock || role == DpRole::CheckCodeUnlock ||
               role == DpRole::TempPasswordCreate || role == DpRole::TempPasswordDelete ||
               role == DpRole::TempPasswordModify;
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

// A profile as its file states it. One that extends another holds only what it changes, so its
// commands and description stay unset unless the file names them.
struct Draft {
    domain::DpProfile profile;
    std::optional<domain::CommandFlow> unlock;
    std::optional<domain::CommandFlow> lock;
    std::optional<std::string> description;
    std::optional<int> lowBatteryPercent;
    std::string extends;
};

void readCommands(JsonReader& reader, Draft& draft, std::string& error) {
    std::string unlock, lock;
    reader.nonEmptyString("unlock", unlock);
    reader.nonEmptyString("lock", lock);
    reader.rejectUnknownKeys();
    if (reader.ok() && !unlock.empty()) {
        draft.unlock =
            named("/commands/unlock", "command flow", unlock, domain::parseCommandFlow, error);
    }
    if (reader.ok() && !lock.empty()) {
        draft.lock = named("/commands/lock", "command flow", lock, domain::parseCommandFlow, error);
    }
}

Result<Draft> parseDraft(const std::string& text) {
    const auto document = json::parse(text, nullptr, false, /*ignore_comments=*/true);
    if (document.is_discarded()) {
        return fail(Errc::Config, "not valid JSON (check quotes, commas and braces)");
    }
    if (!document.is_object()) {
        return fail(Errc::Config, std::string("/: expected an object, got ") +
                                      std::string(jsonTypeName(document)));
    }
    Draft draft;
    JsonReader root(document, "");
    root.required("name");
    root.nonEmptyString("name", draft.profile.name);
    root.nonEmptyString("extends", draft.extends);
    if (draft.extends.empty()) {
        root.required("dps");  // an extending profile may change commands only
    }
    std::string description;
    root.string("description", description);
    if (document.contains("description")) {
        draft.description = description;
    }
    if (document.contains("low_battery_percent")) {
        std::int64_t percent = 0;
        root.integer("low_battery_percent", 0, 100, percent);
        draft.lowBatteryPercent = static_cast<int>(percent);
    }
    root.skip("dps");
    std::string error;
    if (auto commands = root.object("commands")) {
        readCommands(*commands, draft, error);
    }
    root.rejectUnknownKeys();
    if (!root.ok()) {
        return fail(Errc::Config, root.error());
    }
    const json dps = document.value("dps", json::array());
    if (error.empty() && !dps.is_array()) {
        error = "/dps: expected an array, got " + std::string(jsonTypeName(dps));
    }
    for (std::size_t i = 0; error.empty() && i < dps.size(); ++i) {
        const auto path = "/dps/" + std::to_string(i);
        if (auto spec = readDp(dps[i], path, error)) {
            // Checked here, not only by validateProfile: merge() would fold a repeated id.
            if (draft.profile.find(spec->id) != nullptr) {
                error = path + "/id: dp " + std::to_string(spec->id) + " is listed twice";
            }
            draft.profile.dps.push_back(std::move(*spec));
        }
    }
    if (!error.empty()) {
        return fail(Errc::Config, error);
    }
    return draft;
}

// `child` over `base`: the child's DPs replace the base's DPs of the same id or are added; its
// commands and description, where given, replace the base's.
domain::DpProfile merge(domain::DpProfile base, const Draft& child) {
    base.name = child.profile.name;
    base.description = child.description.value_or(base.description);
    base.unlockFlow = child.unlock.value_or(base.unlockFlow);
    base.lockFlow = child.lock.value_or(base.lockFlow);
    base.lowBatteryPercent = child.lowBatteryPercent.value_or(base.lowBatteryPercent);
    for (const auto& spec : child.profile.dps) {
        auto same = std::find_if(base.dps.begin(), base.dps.end(),
                                 [&](const DpSpec& s) { return s.id == spec.id; });
        if (same != base.dps.end()) {
            *same = spec;
        } else {
            base.dps.push_back(spec);
        }
    }
    return base;
}

struct DraftFile {
    Draft draft;
    std::string file;
};

// The profile `name` with everything it extends merged in, validated; errors name the file
// that has the problem.
Result<domain::DpProfile> resolve(const std::map<std::string, DraftFile>& drafts,
                                  const std::string& name, std::vector<std::string>& chain) {
    const auto& [draft, file] = drafts.at(name);
    domain::DpProfile base;
    if (!draft.extends.empty()) {
        chain.push_back(name);
        if (std::find(chain.begin(), chain.end(), draft.extends) != chain.end()) {
            std::string cycle;
            for (const auto& link : chain) {
                cycle += link + " -> ";
            }
            return fail(Errc::Config, file + ": /extends: profiles extend each other in a cycle (" +
                                          cycle + draft.extends + ")");
        }
        if (!drafts.contains(draft.extends)) {
            return fail(Errc::Config,
                        file + ": /extends: no profile \"" + draft.extends + "\" to extend");
        }
        auto parent = resolve(drafts, draft.extends, chain);
        if (!parent) {
            return parent;
        }
        chain.pop_back();
        base = std::move(*parent);
    }
    auto profile = merge(std::move(base), draft);
    if (auto valid = domain::validateProfile(profile); !valid) {
        return fail(Errc::Config, file + ": " + valid.error().message);
    }
    return profile;
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

// The *.json files in `directory`, sorted so that the first error reported is the same every run;
// none when it does not exist.
Result<std::vector<std::filesystem::path>> profileFiles(const std::filesystem::path& directory) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end;
         it.increment(ec)) {
        if (it->path().extension() == ".json") {
            files.push_back(it->path());
        }
    }
    if (ec == std::errc::no_such_file_or_directory) {
        log::warning(kProfilesTag,
                     directory.string() + " does not exist: only the built-in profiles");
        return files;
    }
    if (ec) {
        return fail(Errc::Config, directory.string() + ": cannot list profiles: " + ec.message());
    }
    std::sort(files.begin(), files.end());
    return files;
}

// Parses `text` as the profile `name` into `drafts`, replacing one of the same name; errors
// name `file`.
Result<void> addDraft(std::map<std::string, DraftFile>& drafts, const std::string& file,
                      const std::string& name, const std::string& text) {
    auto draft = parseDraft(text);
    if (!draft) {
        return fail(Errc::Config, file + ": " + draft.error().message);
    }
    if (draft->profile.name != name) {
        return fail(Errc::Config, file + ": /name: \"" + draft->profile.name +
                                      "\" must equal the file name without .json");
    }
    drafts.insert_or_assign(name, DraftFile{std::move(*draft), file});
    return {};
}

}  // namespace

Result<domain::DpProfile> parseProfile(const std::string& text) {
    auto draft = parseDraft(text);
    if (!draft) {
        return tl::unexpected(draft.error());
    }
    if (!draft->extends.empty()) {
        return fail(Errc::Config,
                    "/extends: only a profile in a profile directory can extend another");
    }
    auto profile = merge({}, *draft);
    if (auto valid = domain::validateProfile(profile); !valid) {
        return tl::unexpected(valid.error());
    }
    return profile;
}

Result<std::map<std::string, domain::DpProfile>> loadProfiles(
    std::span<const ProfileSource> builtins, const std::filesystem::path& directory) {
    std::map<std::string, DraftFile> drafts;
    for (const auto& builtin : builtins) {
        if (auto added = addDraft(drafts, "built-in " + std::string(builtin.file),
                                  std::filesystem::path(builtin.file).stem().string(),
                                  std::string(builtin.text));
            !added) {
            return tl::unexpected(added.error());
        }
    }
    auto files = profileFiles(directory);
    if (!files) {
        return tl::unexpected(files.error());
    }
    for (const auto& file : *files) {
        auto text = readFile(file);
        if (!text) {
            return tl::unexpected(text.error());
        }
        const auto name = file.filename().string();
        const auto stem = file.stem().string();
        // An installed copy of the shipped files replaces them silently; a real change is news.
        const auto builtin = std::find_if(builtins.begin(), builtins.end(),
                                          [&](const ProfileSource& b) { return b.file == name; });
        if (builtin != builtins.end() && builtin->text != *text) {
            log::info(kProfilesTag, file.string() + " replaces the built-in profile " + stem);
        }
        if (auto added = addDraft(drafts, name, stem, *text); !added) {
            return tl::unexpected(added.error());
        }
    }
    std::map<std::string, domain::DpProfile> profiles;
    for (const auto& [name, draft] : drafts) {
        std::vector<std::string> chain;
        auto profile = resolve(drafts, name, chain);
        if (!profile) {
            return tl::unexpected(profile.error());
        }
        profiles.emplace(name, std::move(*profile));
    }
    return profiles;
}

}  // namespace lockhub
