// Lock DP profiles from JSON (profiles/*.json, installed to /usr/share/lockhub/profiles). Errors
// name the file and the key path, e.g. "tuya-x.json: /dps/3/values/7: unknown lock state
// \"open\"", so a profile author can fix the file from the log line alone.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "domain/Error.h"
#include "domain/lock/DpProfile.h"

namespace lockhub {

// Parses and validates one self-contained profile (`//` comments allowed; no "extends").
Result<domain::DpProfile> parseProfile(const std::string& text);

// Every *.json file in `directory`, keyed by profile name, which must equal the file's stem.
// A profile may extend another in the directory (profiles/README.md).
// The first bad file fails the whole load: a daemon half-loaded with profiles would misreport
// the locks of the missing ones.
Result<std::map<std::string, domain::DpProfile>> loadProfiles(
    const std::filesystem::path& directory);

}  // namespace lockhub
