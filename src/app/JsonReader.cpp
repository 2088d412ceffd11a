#include "app/JsonReader.h"

namespace lockhub {

std::string_view jsonTypeName(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::null:
            return "null";
        case nlohmann::json::value_t::object:
            return "an object";
        case nlohmann::json::value_t::array:
            return "an array";
        case nlohmann::json::value_t::string:
            return "a string";
        case nlohmann::json::value_t::boolean:
            return "a boolean";
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
            return "an integer";
        case nlohmann::json::value_t::number_float:
            return "a number with a fraction";
        default:
            return "an unsupported value";
    }
}

JsonReader::JsonReader(const nlohmann::json& object, std::string path)
    : object_(object), path_(std::move(path)), error_(&ownError_) {}

JsonReader::JsonReader(const nlohmann::json& object, std::string path, std::string* sharedError)
    : object_(object), path_(std::move(path)), error_(sharedError) {}

const std::string& JsonReader::error() const {
    return *error_;
}

std::string JsonReader::pathOf(std::string_view key) const {
    return path_ + "/" + std::string(key);
}

void JsonReader::failMessage(std::string message) {
    if (error_->empty()) {
        *error_ = std::move(message);
    }
}

void JsonReader::fail(std::string_view key, std::string_view expected, const nlohmann::json& got) {
    failMessage(pathOf(key) + ": expected " + std::string(expected) + ", got " +
                std::string(jsonTypeName(got)));
}

const nlohmann::json* JsonReader::find(std::string_view key) {
    known_.emplace(key);
    if (!object_.is_object()) {
        return nullptr;
    }
    auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
}

void JsonReader::string(std::string_view key, std::string& out) {
    if (const auto* v = find(key)) {
        if (!v->is_string()) {
            return fail(key, "a string", *v);
        }
        out = v->get<std::string>();
    }
}

void JsonReader::nonEmptyString(std::string_view key, std::string& out) {
    if (const auto* v = find(key)) {
        if (!v->is_string()) {
            return fail(key, "a non-empty string", *v);
        }
        if (v->get_ref<const std::string&>().empty()) {
            return failMessage(pathOf(key) + ": expected a non-empty string, got an empty string");
        }
        out = v->get<std::string>();
    }
}

void JsonReader::boolean(std::string_view key, bool& out) {
    if (const auto* v = find(key)) {
        if (!v->is_boolean()) {
            return fail(key, "a boolean (true or false)", *v);
        }
        out = v->get<bool>();
    }
}

void JsonReader::integer(std::string_view key, std::int64_t min, std::int64_t max,
                         std::int64_t& out) {
    const auto* v = find(key);
    if (v == nullptr) {
        return;
    }
    const std::string expected =
        "an integer from " + std::to_string(min) + " to " + std::to_string(max);
    if (!v->is_number_integer()) {
        return fail(key, expected, *v);
    }
    // Unsigned values above INT64_MAX are out of every range we use.
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
        return failMessage(pathOf(key) + ": expected " + expected + ", got " + v->dump());
    }
    const auto value = v->get<std::int64_t>();
    if (value < min || value > max) {
        return failMessage(pathOf(key) + ": expected " + expected + ", got " + v->dump());
    }
    out = value;
}

void JsonReader::oneOf(std::string_view key, std::initializer_list<std::string_view> allowed,
                       std::string& out) {
    const auto* v = find(key);
    if (v == nullptr) {
        return;
    }
    std::string expected = "one of";
    for (auto a : allowed) {
        expected.append(" \"").append(a).append("\"");
    }
    if (!v->is_string()) {
        return fail(key, expected, *v);
    }
    const auto& value = v->get_ref<const std::string&>();
    for (auto a : allowed) {
        if (a == value) {
            out = value;
            return;
        }
    }
    failMessage(pathOf(key) + ": expected " + expected + ", got \"" + value + "\"");
}

void JsonReader::nonEmptyStrings(std::string_view key, std::vector<std::string>& out) {
    const auto* v = find(key);
    if (v == nullptr) {
        return;
    }
    if (!v->is_array()) {
        return fail(key, "an array of non-empty strings", *v);
    }
    std::vector<std::string> values;
    for (std::size_t i = 0; i < v->size(); ++i) {
        const auto& item = (*v)[i];
        if (!item.is_string() || item.get_ref<const std::string&>().empty()) {
            return failMessage(
                pathOf(key) + "/" + std::to_string(i) + ": expected a non-empty string, got " +
                (item.is_string() ? "an empty string" : std::string(jsonTypeName(item))));
        }
        values.push_back(item.get<std::string>());
    }
    out = std::move(values);
}

std::optional<JsonReader> JsonReader::object(std::string_view key) {
    const auto* v = find(key);
    if (v == nullptr) {
        return std::nullopt;
    }
    if (!v->is_object()) {
        fail(key, "an object", *v);
        return std::nullopt;
    }
    return JsonReader(*v, pathOf(key), error_);
}

void JsonReader::required(std::string_view key) {
    known_.emplace(key);
    if (object_.is_object() && !object_.contains(key)) {
        failMessage(pathOf(key) + ": required key is missing");
    }
}

void JsonReader::rejectUnknownKeys() {
    if (!object_.is_object()) {
        return;
    }
    for (const auto& [key, value] : object_.items()) {
        if (!known_.contains(key)) {
            failMessage(pathOf(key) + ": unknown key");
        }
    }
}

Result<void> JsonReader::verdict() const {
    if (ok()) {
        return {};
    }
    return lockhub::fail(Errc::BadRequest, error());
}

}  // namespace lockhub
