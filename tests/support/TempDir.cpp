#include "support/TempDir.h"

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <system_error>

namespace lockhub::testing {

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "lockhub-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed for " + pattern);
    }
    path_ = pattern;
}

TempDir::~TempDir() {
    // Kept on request, to read a failed test's logs (daemon output, broker log) afterwards.
    if (std::getenv("LOCKHUB_KEEP_TEST_DIRS") != nullptr) {
        return;
    }
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

}  // namespace lockhub::testing
