// Reads a JSON object against an expected shape and reports the first mismatch with its full path
// and the expected type, e.g. "/mqtt/port: expected an integer from 1 to 65535, got a string".
// Used for the configuration file and for bridge API requests, so both speak the same language.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/Error.h"

namespace lockhub {

class JsonReader {
public:
    // `path` is the JSON pointer of `object` ("" for the root). `object` must outlive the reader.
    JsonReader(const nlohmann::json& object, std::string path);

    // Each accessor leaves `out` untouched when the key is absent (so defaults survive) and records
    // an error when the key is present with the wrong type or range.
    void string(std::string_view key, std::string& out);
    void nonEmptyString(std::string_view key, std::string& out);
    void boolean(std::string_view key, bool& out);
    void integer(std::string_view key, std::int64_t min, std::int64_t max, std::int64_t& out);
    void oneOf(std::string_view key, std::initializer_list<std::string_view> allowed,
               std::string& out);
    // An array of non-empty strings; a bad element is named by its index ("/key/2").
    void nonEmptyStrings(std::string_view key, std::vector<std::string>& out);
    // Marks `key` as known; returns a reader for the nested object if present and an object.
    std::optional<JsonReader> object(std::string_view key);
    // Marks a key as known without reading it (handled elsewhere).
    void skip(std::string_view key) { known_.emplace(key); }
    void required(std::string_view key);

    // Rejects keys no accessor asked for. Call after all accessors.
    void rejectUnknownKeys();

    bool ok() const { return !error_ || error_->empty(); }
    // The request's verdict: nothing, or bad_request with the first problem found.
    Result<void> verdict() const;
    // The first problem found, in document order of the checks.
    const std::string& error() const;

    // Makes this reader and every nested reader share one error slot.
    JsonReader(const nlohmann::json& object, std::string path, std::string* sharedError);

private:
    const nlohmann::json* find(std::string_view key);
    std::string pathOf(std::string_view key) const;
    void fail(std::string_view key, std::string_view expected, const nlohmann::json& got);
    void failMessage(std::string message);

    const nlohmann::json& object_;
    std::string path_;
    std::set<std::string, std::less<>> known_;
    std::string ownError_;
    std::string* error_;
};

// "a string", "an integer", … for error messages.
std::string_view jsonTypeName(const nlohmann::json& value);

}  // namespace lockhub
