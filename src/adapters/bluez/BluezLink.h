// One GATT link handed to the app. The central owns the link's state and drops it when the link
// closes; the link object only holds a weak reference, so a link that outlives its connection (or
// the central) fails writes instead of touching freed state.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "ports/BleCentral.h"

namespace lockhub::adapters::bluez {

struct LinkState {
    std::string mac;
    std::string devicePath;
    std::string writePath;
    std::string notifyPath;
    // Writes awaiting BlueZ's reply, by send order, so a closing link can fail them in order.
    std::map<std::uint64_t, ports::GattLink::WriteDone> pendingWrites;
    std::uint64_t nextWrite = 1;
};

// What a link needs from the central that owns its state.
class LinkOwner {
public:
    virtual void writeLink(const std::shared_ptr<LinkState>& link, const ports::Bytes& packet,
                           ports::GattLink::WriteDone done) = 0;
    virtual void releaseLink(const std::shared_ptr<LinkState>& link) = 0;

protected:
    ~LinkOwner() = default;
};

class BluezLink final : public ports::GattLink {
public:
    BluezLink(LinkOwner& owner, const std::shared_ptr<LinkState>& state);
    ~BluezLink() override;
    BluezLink(const BluezLink&) = delete;
    BluezLink& operator=(const BluezLink&) = delete;

    const std::string& mac() const override { return mac_; }
    void write(const ports::Bytes& packet, WriteDone done) override;
    void disconnect() override;

private:
    LinkOwner& owner_;
    std::weak_ptr<LinkState> state_;
    std::string mac_;
};

}  // namespace lockhub::adapters::bluez
