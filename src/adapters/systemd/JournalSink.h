// The log sink for the journal, with structured fields: chosen when systemd connected our stderr
// to it (journalRequested()), else the log writes plain lines on stderr.
#pragma once

#include "adapters/systemd/JournalStream.h"
#include "app/Log.h"

namespace lockhub::adapters::systemd {

log::Sink journalSink();

}  // namespace lockhub::adapters::systemd
