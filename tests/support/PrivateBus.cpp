#include "support/PrivateBus.h"

#include <signal.h>

#include <fstream>
#include <stdexcept>

namespace lockhub::testing {

PrivateBus::PrivateBus(const std::filesystem::path& workDir) : dir_(workDir / "dbus") {
    std::filesystem::create_directories(dir_);
    const auto socket = dir_ / "bus.sock";
    address_ = "unix:path=" + socket.string();
    std::ofstream conf(dir_ / "bus.conf");
    conf << "<busconfig><type>session</type><listen>" << address_ << "</listen>"
         << "<auth>EXTERNAL</auth><policy context=\"default\">"
         << "<allow send_destination=\"*\" eavesdrop=\"true\"/><allow eavesdrop=\"true\"/>"
         << "<allow own=\"*\"/></policy></busconfig>\n";
    conf.close();
    process_ = std::make_unique<Process>(
        "dbus-daemon",
        std::vector<std::string>{"dbus-daemon", "--config-file=" + (dir_ / "bus.conf").string(),
                                 "--nofork", "--nosyslog"},
        dir_);
    if (!waitUntil([&] { return std::filesystem::exists(socket); }, std::chrono::seconds(10))) {
        throw std::runtime_error("dbus-daemon did not start: " + process_->stderrText());
    }
}

PrivateBus::~PrivateBus() {
    process_->signal(SIGTERM);
    process_->waitExit(std::chrono::seconds(5));
}

}  // namespace lockhub::testing
