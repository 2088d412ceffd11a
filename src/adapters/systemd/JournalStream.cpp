#include "adapters/systemd/JournalStream.h"

#include <cstdlib>

namespace lockhub::adapters::systemd {

bool journalRequested() {
    const char* stream = std::getenv("JOURNAL_STREAM");
    return stream != nullptr && *stream != '\0';
}

}  // namespace lockhub::adapters::systemd
