// Chooses where log lines go: the journal, with structured fields, when systemd connected our
// stderr to it ($JOURNAL_STREAM), else plain lines on stderr.
#pragma once

#include "app/Log.h"

namespace lockhub::adapters::systemd {

bool journalRequested();
log::Sink journalSink();

}  // namespace lockhub::adapters::systemd
