#include "adapters/systemd/EventLoop.h"

#include <signal.h>
#include <sys/eventfd.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace lockhub::adapters::systemd {

struct EventLoop::Source {
    EventLoop* loop;
    SourceId id;
    sd_event_source* source = nullptr;
    std::string_view kind;
    std::string label;
    Callback timer;
    IoCallback io;
    ~Source() { sd_event_source_disable_unref(source); }
};

Result<std::unique_ptr<EventLoop>> EventLoop::create() {
    sd_event* event = nullptr;
    if (const int rc = sd_event_new(&event); rc < 0) {
        return fail(Errc::Internal, std::string("cannot create the event loop: ") + strerror(-rc));
    }
    const int wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wakeFd < 0) {
        sd_event_unref(event);
        return fail(Errc::Internal, std::string("cannot create an eventfd: ") + strerror(errno));
    }
    std::unique_ptr<EventLoop> loop(new EventLoop(event, wakeFd));
    loop->addIo(wakeFd, EPOLLIN, [raw = loop.get()](std::uint32_t) { raw->drainPosted(); });
    return loop;
}

EventLoop::EventLoop(sd_event* event, int wakeFd)
    : event_(event),
      firewall_([event](int status) { sd_event_exit(event, status); }),
      wakeFd_(wakeFd) {}

EventLoop::~EventLoop() {
    sources_.clear();
    ::close(wakeFd_);
    sd_event_unref(event_);
}

std::uint64_t EventLoop::nowUsec() const {
    std::uint64_t now = 0;
    sd_event_now(event_, CLOCK_MONOTONIC, &now);
    return now;
}

EventLoop::SourceId EventLoop::remember(sd_event_source* source, std::string_view kind,
                                        std::string label, Callback timer, IoCallback io) {
    const SourceId id = nextId_++;
    auto entry = std::make_unique<Source>();
    entry->loop = this;
    entry->id = id;
    entry->source = source;
    entry->kind = kind;
    entry->label = std::move(label);
    entry->timer = std::move(timer);
    entry->io = std::move(io);
    sd_event_source_set_userdata(source, entry.get());
    sources_.emplace(id, std::move(entry));
    return id;
}

EventLoop::SourceId EventLoop::addTimer(std::chrono::microseconds delay, Callback callback) {
    return addTimerAt(nowUsec() + static_cast<std::uint64_t>(delay.count()), std::move(callback));
}

EventLoop::SourceId EventLoop::addTimerAt(std::uint64_t monotonicUsec, Callback callback) {
    sd_event_source* source = nullptr;
    // Accuracy 1 µs: the default (250 ms) would batch timers and blur protocol deadlines.
    if (sd_event_add_time(event_, &source, CLOCK_MONOTONIC, monotonicUsec, 1, &EventLoop::onTimer,
                          nullptr) < 0) {
        return 0;
    }
    return remember(source, "timer", {}, std::move(callback), nullptr);
}

void EventLoop::cancel(SourceId id) {
    sources_.erase(id);
}

EventLoop::SourceId EventLoop::addIo(int fd, std::uint32_t events, IoCallback callback) {
    sd_event_source* source = nullptr;
    if (sd_event_add_io(event_, &source, fd, events, &EventLoop::onIo, nullptr) < 0) {
        return 0;
    }
    return remember(source, "I/O", "fd " + std::to_string(fd), nullptr, std::move(callback));
}

void EventLoop::setIoEvents(SourceId id, std::uint32_t events) {
    if (auto it = sources_.find(id); it != sources_.end()) {
        sd_event_source_set_io_events(it->second->source, events);
    }
}

Result<void> EventLoop::onSignal(int signo, Callback callback) {
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, signo);
    if (sigprocmask(SIG_BLOCK, &mask, nullptr) < 0) {
        return fail(Errc::Internal, "cannot block signal " + std::to_string(signo));
    }
    sd_event_source* source = nullptr;
    auto handler = [](sd_event_source* s, const signalfd_siginfo*, void*) -> int {
        auto* entry = static_cast<Source*>(sd_event_source_get_userdata(s));
        entry->loop->guard(*entry, [entry] { entry->timer(); });
        return 0;
    };
    if (const int rc = sd_event_add_signal(event_, &source, signo, handler, nullptr); rc < 0) {
        return fail(Errc::Internal,
                    "cannot watch signal " + std::to_string(signo) + ": " + strerror(-rc));
    }
    // glibc has no abbreviation for the real-time signals.
    const char* abbreviation = sigabbrev_np(signo);
    remember(source, "signal",
             abbreviation != nullptr ? std::string("SIG") + abbreviation : std::to_string(signo),
             std::move(callback), nullptr);
    return {};
}

void EventLoop::post(Callback callback) {
    {
        std::lock_guard lock(postedMutex_);
        posted_.push_back(std::move(callback));
        // Work already waiting has its wake-up written, and drainPosted() takes this along; in a
        // burst Paho's threads post a completion per message, one write(2) per batch suffices.
        if (posted_.size() > 1) {
            return;
        }
    }
    const std::uint64_t one = 1;
    // A full counter only means a wake-up is already pending.
    [[maybe_unused]] auto written = ::write(wakeFd_, &one, sizeof(one));
}

void EventLoop::drainPosted() {
    std::uint64_t count = 0;
    [[maybe_unused]] auto readBytes = ::read(wakeFd_, &count, sizeof(count));
    std::vector<Callback> batch;
    {
        std::lock_guard lock(postedMutex_);
        batch.swap(posted_);
    }
    for (auto& callback : batch) {
        if (!firewall_.run({"posted work", {}}, callback)) {
            return;  // the loop is stopping; what is left of the batch dies with it
        }
    }
}

void EventLoop::enableWatchdog() {
    sd_event_set_watchdog(event_, 1);
}

int EventLoop::run() {
    return sd_event_loop(event_);
}

void EventLoop::exit(int code) {
    if (!firewall_.tripped()) {
        sd_event_exit(event_, code);
    }
}

void EventLoop::guard(const Source& source, const std::function<void()>& callback) {
    // A copy: the callback may cancel its own source. Labels are short enough for the small
    // string buffer, so this allocates nothing.
    const std::string label = source.label;
    firewall_.run({source.kind, label}, callback);
}

int EventLoop::onTimer(sd_event_source* source, std::uint64_t, void*) {
    auto* entry = static_cast<Source*>(sd_event_source_get_userdata(source));
    EventLoop* loop = entry->loop;
    // One-shot: forget the source before running the callback, which may add new timers.
    Callback callback = std::move(entry->timer);
    const std::string_view kind = entry->kind;
    loop->sources_.erase(entry->id);
    loop->firewall_.run({kind, {}}, callback);
    return 0;
}

int EventLoop::onIo(sd_event_source* source, int, std::uint32_t revents, void*) {
    auto* entry = static_cast<Source*>(sd_event_source_get_userdata(source));
    entry->loop->guard(*entry, [entry, revents] { entry->io(revents); });
    return 0;
}

}  // namespace lockhub::adapters::systemd
