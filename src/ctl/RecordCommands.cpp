// records (records/query) and watch (live `<lock>/event`).
#include <ostream>

#include "ctl/Command.h"
#include "ctl/Views.h"

namespace lockhub::ctl {
namespace {

using nlohmann::json;

// With --all, pages this big unless --limit says otherwise: fewer round trips.
constexpr long long kAllPageSize = 500;

Outcome<json> recordsQuery(const Invocation& invocation) {
    json query = json::object();
    for (const auto& [flag, key] : {std::pair{"lock", "lock"}, std::pair{"method", "method"},
                                    std::pair{"event", "event"}, std::pair{"since", "since"},
                                    std::pair{"until", "until"}, std::pair{"cursor", "cursor"}}) {
        if (auto value = invocation.flag(flag)) {
            query[key] = *value;
        }
    }
    if (auto user = invocation.flag("user")) {
        query["user"] = userReference(*user);
    }
    if (invocation.has("limit") || invocation.has("all")) {
        auto limit = integerFlag(invocation, "limit", 1, 500, kAllPageSize);
        if (!limit) {
            return tl::unexpected(limit.error());
        }
        query["limit"] = *limit;
    }
    return query;
}

Outcome<void> records(Context& context) {
    const auto& invocation = context.invocation();
    if (invocation.has("csv") && context.json()) {
        return usage("--csv and --json are two different outputs: choose one");
    }
    auto query = recordsQuery(invocation);
    if (!query) {
        return tl::unexpected(query.error());
    }
    json page = json::object();
    json all = json::array();
    while (true) {
        auto data = context.call("records/query", *query);
        if (!data) {
            return tl::unexpected(data.error());
        }
        page = std::move(*data);
        for (auto& record : page.value("records", json::array())) {
            all.push_back(std::move(record));
        }
        const json next = page.value("next", json());
        if (!invocation.has("all") || !next.is_string()) {
            break;
        }
        (*query)["cursor"] = next;
    }
    const json next = page.value("next", json());
    if (invocation.has("csv")) {
        context.out() << recordsTable(all).csv();
    } else {
        context.show({{"records", all}, {"next", next}},
                     [&] { context.out() << recordsTable(all).text(); });
    }
    if (next.is_string() && !invocation.has("all")) {
        context.err() << "more records follow: --cursor " << next.get<std::string>()
                      << " for the next page, or --all\n";
    }
    return {};
}

Outcome<void> watch(Context& context) {
    const auto& invocation = context.invocation();
    auto count = integerFlag(invocation, "count", 1, 1LL << 40, 0);
    if (!count) {
        return tl::unexpected(count.error());
    }
    auto client = context.client();
    if (!client) {
        return tl::unexpected(client.error());
    }
    std::string lock = "+";
    if (auto only = invocation.flag("lock")) {
        auto valid = lockArgument(*only);
        if (!valid) {
            return tl::unexpected(valid.error());
        }
        lock = *valid;
    }
    const std::string prefix = (*client)->topic("");
    const std::string filter = prefix + lock + "/event";
    if (auto ok = (*client)->subscribe(filter); !ok) {
        return ok;
    }
    context.err() << "watching " << filter << " (Ctrl-C stops)" << std::endl;
    long long seen = 0;
    const auto forever = std::chrono::steady_clock::time_point::max();
    while (*count == 0 || seen < *count) {
        auto message = (*client)->next(forever);
        if (!message) {
            return tl::unexpected(message.error());
        }
        if (!*message) {
            return {};  // Ctrl-C: watching is over, which is no error
        }
        const std::string& topic = (*message)->topic;
        if (!topic.starts_with(prefix) || !topic.ends_with("/event")) {
            continue;
        }
        const std::string from = topic.substr(prefix.size(), topic.size() - prefix.size() - 6);
        const auto event = json::parse((*message)->payload, nullptr, false);
        if (!event.is_object()) {
            continue;
        }
        if (context.json()) {
            json line = {{"lock", from}};
            line.update(event);
            context.out() << line.dump() << std::endl;
        } else {
            context.out() << eventLine(from, event) << std::endl;
        }
        ++seen;
    }
    return {};
}

}  // namespace

std::vector<Command> recordCommands() {
    return {
        {{"records",
          {},
          {{"lock", "LOCK", "only this lock's records"},
           {"user", "USER", "only this user's (an id or a name)"},
           {"method", "METHOD", "only this method (fingerprint, password, card, ...)"},
           {"event", "EVENT", "only this event (unlock, alarm, wrong_code, ...)"},
           {"since", "TIME", "from this hub time on (ISO-8601, inclusive)"},
           {"until", "TIME", "before this hub time (ISO-8601, exclusive)"},
           {"limit", "N", "records per page, 1-500 (default 100; 500 with --all)"},
           {"cursor", "CURSOR", "continue after the page that returned this `next`"},
           {"all", "", "follow `next` until the last page"},
           {"csv", "", "print CSV (RFC 4180) instead of a table"}},
          "the hub's stored lock records, oldest first (records/query)",
          "Without --all one page is shown; when more follow, stderr says how to get them."},
         records},
        {{"watch",
          {},
          {{"lock", "LOCK", "only this lock's events"},
           {"count", "N", "stop after N events (default: until Ctrl-C)"}},
          "live events, one line each with the user's name (<lock>/event)",
          "With --json each line is the event's payload with the lock's topic name added as\n"
          "\"lock\"."},
         watch},
    };
}

}  // namespace lockhub::ctl
