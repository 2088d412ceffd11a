// Whether systemd connected our stderr to the journal ($JOURNAL_STREAM): then log lines go to
// the journal with their priority rather than as plain text.
#pragma once

namespace lockhub::adapters::systemd {

bool journalRequested();

}  // namespace lockhub::adapters::systemd
