// lockhub-sim: virtual Tuya BLE locks behind a BlueZ-shaped D-Bus API, or (`lockhub-sim ctl …`)
// the client that steers a running simulator.
#include <sdbus-c++/sdbus-c++.h>

#include <csignal>
#include <iostream>

#include "adapters/bluez/BluezNames.h"
#include "adapters/bluez/BusLoop.h"
#include "adapters/systemd/EventLoop.h"
#include "sim/control/SimControl.h"
#include "sim/control/SimCtl.h"
#include "sim/host/SimHost.h"
#include "sim/host/SimOptions.h"

namespace {

using namespace lockhub;

std::unique_ptr<sdbus::IConnection> connect(const std::string& address) {
    return address.empty() ? sdbus::createSystemBusConnection()
                           : sdbus::createSessionBusConnectionWithAddress(address);
}

int serve(const sim::SimOptions& options) {
    auto loop = adapters::systemd::EventLoop::create();
    if (!loop) {
        std::cerr << "lockhub-sim: " << loop.error().message << "\n";
        return 1;
    }
    auto& events = **loop;
    for (const int signo : {SIGTERM, SIGINT}) {
        if (auto handled = events.onSignal(signo, [&events] { events.exit(0); }); !handled) {
            std::cerr << "lockhub-sim: " << handled.error().message << "\n";
            return 1;
        }
    }
    auto bluezConnection = connect(options.busAddress);
    auto controlConnection = connect(options.busAddress);

    sim::SimHostOptions hostOptions;
    hostOptions.seed = options.seed;
    hostOptions.credentialsFile = options.credentialsFile;
    hostOptions.known = options.known;
    if (options.realistic) {
        hostOptions.timing = sim::bluez::LinkTiming::realistic();
        hostOptions.defaultPower = sim::PowerSource::Battery;
    }
    if (options.temporaryTimeout) {
        hostOptions.timing.temporaryTimeout = std::chrono::seconds(*options.temporaryTimeout);
    }
    sim::SimHost host(events, *bluezConnection, hostOptions);
    const std::uint32_t total = options.lockCount.value_or(options.lockOverrides.empty() ? 1 : 0);
    if (auto populated = host.populate(options.lockOverrides, total); !populated) {
        std::cerr << "lockhub-sim: " << populated.error().message << "\n";
        return populated.error().code == Errc::Storage ? 1 : 2;
    }
    sim::SimControl control(*controlConnection, host);

    auto onFailure = [&events](const std::string& reason) {
        std::cerr << "lockhub-sim: bus connection failed: " << reason << "\n";
        events.exit(1);
    };
    adapters::bluez::BusLoop bluezLoop(events, *bluezConnection, onFailure);
    adapters::bluez::BusLoop controlLoop(events, *controlConnection, onFailure);
    bluezConnection->requestName(adapters::bluez::names::kService);
    controlConnection->requestName(sim::kSimBusName);

    std::cout << "lockhub-sim ready" << std::endl;
    return events.run();
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args[0] == "ctl") {
        return sim::runCtl({args.begin() + 1, args.end()});
    }
    const auto options = sim::parseSimOptions(args);
    if (!options) {
        std::cerr << "lockhub-sim: " << options.error().message << "\n"
                  << "usage: lockhub-sim [--locks N] [--seed S] [--config FILE] [--bus ADDRESS] "
                     "[--credentials FILE] [--realistic] [--known] [--temporary-timeout S]\n"
                  << "       lockhub-sim ctl [--bus ADDRESS] COMMAND [ARGS]\n";
        return 2;
    }
    try {
        return serve(*options);
    } catch (const sdbus::Error& e) {
        std::cerr << "lockhub-sim: " << e.getName() << ": " << e.getMessage() << "\n";
        return 1;
    }
}
