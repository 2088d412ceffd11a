#include "adapters/bluez/BluezLink.h"

namespace lockhub::adapters::bluez {

BluezLink::BluezLink(LinkOwner& owner, const std::shared_ptr<LinkState>& state)
    : owner_(owner), state_(state), mac_(state->mac) {}

BluezLink::~BluezLink() {
    disconnect();
}

void BluezLink::write(const ports::Bytes& packet, WriteDone done) {
    // The owner is alive exactly while the state is: it owns the state.
    if (auto state = state_.lock()) {
        owner_.writeLink(state, packet, std::move(done));
        return;
    }
    done(fail(Errc::Unavailable, "write " + mac_ + ": link closed"));
}

void BluezLink::disconnect() {
    if (auto state = state_.lock()) {
        owner_.releaseLink(state);
    }
}

}  // namespace lockhub::adapters::bluez
