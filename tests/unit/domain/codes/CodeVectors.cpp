#include "CodeVectors.h"

#include <fstream>
#include <sstream>

namespace lockhub::domain::codes::test {

tl::expected<nlohmann::json, std::string> loadVectorFile(std::string_view name) {
    const std::string path = std::string(LOCKHUB_VECTORS_DIR) + "/" + std::string(name);
    std::ifstream in(path);
    if (!in) {
        return tl::unexpected("cannot open vector file " + path);
    }
    auto doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
        return tl::unexpected("vector file is not valid JSON: " + path);
    }
    return doc;
}

std::vector<std::uint8_t> fromHex(std::string_view hex) {
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(
            static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    }
    return out;
}

}  // namespace lockhub::domain::codes::test
