#include "adapters/systemd/JournalSink.h"

#include <sys/uio.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

#include <string>
#include <vector>

namespace lockhub::adapters::systemd {
namespace {

int priorityOf(log::Level level) {
    switch (level) {
        case log::Level::Debug:
            return LOG_DEBUG;
        case log::Level::Info:
            return LOG_INFO;
        case log::Level::Warning:
            return LOG_WARNING;
        case log::Level::Error:
            return LOG_ERR;
    }
    return LOG_INFO;
}

}  // namespace

log::Sink journalSink() {
    return [](log::Level level, std::string_view tag, std::string_view message,
              std::span<const log::Field> fields) {
        std::vector<std::string> entries;
        entries.push_back("MESSAGE=" + std::string(tag) + ": " + std::string(message));
        entries.push_back("PRIORITY=" + std::to_string(priorityOf(level)));
        entries.push_back("SYSLOG_IDENTIFIER=lockhubd");
        entries.push_back("LOCKHUB_COMPONENT=" + std::string(tag));
        for (const auto& field : fields) {
            entries.push_back("LOCKHUB_" + std::string(field.key) + "=" + field.value);
        }
        std::vector<iovec> vectors;
        for (auto& entry : entries) {
            vectors.push_back({entry.data(), entry.size()});
        }
        sd_journal_sendv(vectors.data(), static_cast<int>(vectors.size()));
    };
}

}  // namespace lockhub::adapters::systemd
