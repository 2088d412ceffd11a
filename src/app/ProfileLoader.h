// Lock DP profiles from JSON: the shipped profiles/*.json, compiled in, plus the files of the
// configured profiles_dir. Errors name the file and the key path, e.g. "tuya-x.json:
// /dps/3/values/7: unknown lock state \"open\"", so a profile author can fix the file from the log
// line alone.
#pragma once

#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "domain/Error.h"
#include "domain/lock/DpProfile.h"

namespace lockhub {

// Parses and validates one self-contained profile (`//` comments allowed; no "extends").
Result<domain::DpProfile> parseProfile(const std::string& text);

// A profile file's name and its text.
struct ProfileSource {
    std::string_view file;
    std::string_view text;
};

// The shipped profiles/*.json in file-name order, generated into the build by
// cmake/EmbedProfiles.cmake, so a daemon with nothing installed still knows its models.
std::span<const ProfileSource> builtinProfiles();

// `builtins`, then every *.json file in `directory`, keyed by profile name, which must equal the
// file's stem. A file named like a built-in replaces it (built-ins extending it then extend the
// replacement); the others are added, and `extends` may name any of them (profiles/README.md).
// A missing directory is only a logged warning. Anything else wrong with it, or with any file,
// fails the whole load: a daemon half-loaded with profiles would misreport the locks of the
// missing ones.
Result<std::map<std::string, domain::DpProfile>> loadProfiles(
    std::span<const ProfileSource> builtins, const std::filesystem::path& directory);

}  // namespace lockhub
