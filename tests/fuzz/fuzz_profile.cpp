// Profile files: the input is one file of a profiles_dir, loaded after the shipped profiles as
// the daemon loads them (so "extends" may name a built-in). A refused file must give an error that
// names the file; an accepted profile must pass the same validation the loader applies.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "app/ProfileLoader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto single = lockhub::parseProfile(text);
    if (single && !lockhub::domain::validateProfile(*single)) {
        __builtin_trap();
    }
    if (!single && single.error().message.empty()) {
        __builtin_trap();
    }
    const auto builtins = lockhub::builtinProfiles();
    std::vector<lockhub::ProfileSource> sources(builtins.begin(), builtins.end());
    sources.push_back({"fuzzed.json", text});
    const auto all = lockhub::loadProfiles(sources, {});
    if (!all) {
        if (all.error().message.empty()) {
            __builtin_trap();
        }
        return 0;
    }
    for (const auto& [name, profile] : *all) {
        if (!lockhub::domain::validateProfile(profile)) {
            __builtin_trap();
        }
    }
    return 0;
}
